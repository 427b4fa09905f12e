"""POST /imports: a file of orders (JSON, NDJSON, CSV, XLSX), answered like `import --json`.

200 with the report whenever the file could be read, bad orders listed in `failed` with
their reasons (the good ones are imported); 422 `unreadable_file` when nothing in it can be
read. With `dry_run=true` nothing is written and the answer is `import --dry-run --json`'s
(docs/imports.md), the first PREVIEW_ORDERS orders in detail.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from sqlalchemy import Engine

from shopledger.adapters.connectors.files import UnreadableFile, read_orders
from shopledger.config import get_settings
from shopledger.domain.errors import DomainError
from shopledger.domain.limits import SOURCE_NAME, source_name_problem
from shopledger.services.intake import take_orders
from shopledger.services.preview import preview_orders
from shopledger.web.api.preview_schemas import ImportPreview
from shopledger.web.api.schemas import ImportReport, QueryFlag
from shopledger.web.auth import Caller, api_needs
from shopledger.web.deps import engine_of
from shopledger.web.errors import problem_responses

router = APIRouter(prefix="/imports", tags=["imports"])
PREVIEW_ORDERS = 1000  # orders a dry run details; the totals per account count every one


@router.post("", response_model=ImportPreview | ImportReport, summary="Import a file of orders",
             responses=problem_responses(413, 422))
def import_file(file: UploadFile = File(..., description="a .json, .ndjson, .jsonl, .csv or .xlsx file of orders"),
                source: str = Form("import", pattern=f"^{SOURCE_NAME.pattern}$", description="the source orders are keyed by"),
                dry_run: Annotated[QueryFlag, Query(description="say what the import would do and write nothing")] = False,
                caller: Caller = Depends(api_needs("imports.run")), engine: Engine = Depends(engine_of)) -> dict:
    if (problem := source_name_problem(source)):
        raise DomainError("invalid_source", problem)  # every order would be unreachable by its address
    with tempfile.TemporaryDirectory(prefix="shopledger-import-") as folder:
        path = Path(folder) / _safe_name(file.filename)
        with path.open("wb") as saved:
            shutil.copyfileobj(file.file, saved)
        try:
            records = read_orders(path)
        except UnreadableFile as error:
            raise DomainError("unreadable_file", str(error), {"filename": path.name}) from None
        if dry_run:
            return preview_orders(engine, records, source=source, actor=caller.actor(engine),
                                  batch_size=get_settings().import_batch_size, orders_shown=PREVIEW_ORDERS)
        report = take_orders(engine, records, source=source, actor=caller.actor(engine),
                             batch_size=get_settings().import_batch_size)
    return report.as_dict()


def _safe_name(filename: str | None) -> str:
    """The uploaded name without any folder (so messages name the merchant's file)."""
    name = Path((filename or "").replace("\\", "/")).name
    return name if name not in ("", ".", "..") else "upload"
