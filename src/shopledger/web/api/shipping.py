"""POST /shipments and /shipments/file: many orders shipped at once, as `shopledger ship --file`.

Each row is its own change, so a bad row (an unknown order, a cancelled one) is listed in
`failed` with its reason and every other row still ships: 200 even with failures, like an
import. A row already shipped with that carrier and tracking number is `unchanged`.
"""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import APIRouter, Body, Depends, File, Form, Query, UploadFile
from pydantic import Field
from sqlalchemy import Engine

from shopledger.services import bulk_ship
from shopledger.web.api.dated import AT_HELP, AtText, at_of
from shopledger.web.api.schemas import Input, ShipReport
from shopledger.web.auth import Caller, api_needs
from shopledger.web.deps import engine_of
from shopledger.web.errors import problem_responses

router = APIRouter(prefix="/shipments", tags=["shipping"])


class ShipmentIn(Input):
    source: str | None = Field(None, examples=["import"], description="left out: the `source` query parameter")
    external_id: str = Field(examples=["BW-100234"])
    carrier: str = Field(examples=["Kerry Express"])
    tracking_number: str = Field(examples=["KEX123456789TH"])


@router.post("", response_model=ShipReport, responses=problem_responses(422),
             summary="Record shipments from a JSON list of rows")
def ship_list(rows: list[ShipmentIn] = Body(..., max_length=10000), source: str | None = None,
              at: AtText | None = Query(None, description=AT_HELP),
              caller: Caller = Depends(api_needs("shipping.change")), engine: Engine = Depends(engine_of)) -> dict:
    report = bulk_ship.ship_rows(engine, [_row(r) for r in rows], caller.actor(engine), default_source=source,
                                 at=at_of(at))
    # ship_rows counts lines of a sheet (header = 1); a JSON list's rows are numbered from 1
    return {outcome: [item | {"line": item["line"] - 1} for item in items] for outcome, items in report.items()}


@router.post("/file", response_model=ShipReport, responses=problem_responses(422),
             summary="Record shipments from a CSV or XLSX sheet: source, external_id, carrier, tracking")
def ship_sheet(file: UploadFile = File(..., description="a .csv or .xlsx sheet; Thai or English headers"),
               source: str | None = Form(None, description="the source of rows that name none"),
               at: AtText | None = Form(None, description=AT_HELP),
               caller: Caller = Depends(api_needs("shipping.change")), engine: Engine = Depends(engine_of)) -> dict:
    shipped_at = at_of(at)
    with saved_upload(file) as path:
        return bulk_ship.ship_file(engine, path, caller.actor(engine), default_source=source or None, at=shipped_at)


def _row(row: ShipmentIn) -> dict[str, str]:
    return {"source": row.source or "", "external_id": row.external_id, "carrier": row.carrier,
            "tracking_number": row.tracking_number}


@contextmanager
def saved_upload(file: UploadFile) -> Iterator[Path]:
    """The upload as a file under its own name (reports name the merchant's file), then gone."""
    with tempfile.TemporaryDirectory(prefix="shopledger-upload-") as folder:
        path = Path(folder) / safe_name(file.filename)
        with path.open("wb") as saved:
            shutil.copyfileobj(file.file, saved)
        yield path


def safe_name(filename: str | None) -> str:
    name = Path((filename or "").replace("\\", "/")).name
    return name if name not in ("", ".", "..") else "upload"
