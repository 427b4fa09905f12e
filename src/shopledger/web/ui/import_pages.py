"""Import Data: the sources with their button, a run in progress with live progress (htmx polls a
small fragment while the run is queued or running; the polling stops when it ends), a finished
run's counts and each failed order with its reason; uploading an order file (JSON, NDJSON, CSV,
XLSX) answered with the same report, or first previewed (what posting it would make, nothing
written: services/preview.py) and then posted; the run history (/sync-runs).

The upload goes through the same reader and intake as POST /api/v1/imports. What an importer
said about a failed order is shown as data, as it said it.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from sqlalchemy import Engine

from shopledger.adapters.connectors.files import UnreadableFile, read_orders
from shopledger.config import get_settings
from shopledger.domain.errors import NotFound
from shopledger.services import payment_accounts, sources
from shopledger.services.intake import take_orders
from shopledger.services.preview import books_fingerprint, preview_orders
from shopledger.services.sync_runs import get_run, pace
from shopledger.web.api.imports import _safe_name
from shopledger.web.auth import guard_page, page_needs
from shopledger.web.deps import engine_of
from shopledger.web.sessions import person_of
from shopledger.web.ui import held_uploads
from shopledger.web.ui.pages import _refused, _same_site, templates

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse, dependencies=[Depends(guard_page)])
ACTIVE = ("queued", "running")
PREVIEW_ORDERS = 50  # orders a preview shows in detail; its counts and totals cover every one


@router.get("/import", dependencies=[Depends(page_needs("sources.read"))])
def import_page(request: Request, engine: Engine = Depends(engine_of)):
    return templates.TemplateResponse(request, "import.html", {"nav": "import", "sources": sources.list_sources(engine)})


@router.post("/import/file", dependencies=[Depends(page_needs("imports.run"))])
def import_file(request: Request, file: UploadFile = File(None), engine: Engine = Depends(engine_of)):
    if not _same_site(request):
        return _refused(request)
    context = {"nav": "import", "sources": sources.list_sources(engine)}
    if file is None or not file.filename:
        return templates.TemplateResponse(request, "import.html", context | {"unreadable": True})
    person = person_of(request, engine)
    with tempfile.TemporaryDirectory(prefix="shopledger-import-") as folder:
        path = Path(folder) / _safe_name(file.filename)
        with path.open("wb") as saved:
            shutil.copyfileobj(file.file, saved)
        try:
            records = read_orders(path)
            report = take_orders(engine, records, source="import", actor=person.email if person else "page",
                                 batch_size=get_settings().import_batch_size).as_dict()
        except UnreadableFile:
            return templates.TemplateResponse(request, "import.html", context | {"unreadable": True, "filename": path.name})
    return templates.TemplateResponse(request, "import.html", context | {"report": report, "filename": path.name})


@router.post("/import/preview", dependencies=[Depends(page_needs("imports.run"))])
def preview_file(request: Request, file: UploadFile = File(None), engine: Engine = Depends(engine_of)):
    """Step one: what posting the file would make, nothing written; the file is kept for step two."""
    if not _same_site(request):
        return _refused(request)
    if file is None or not file.filename:
        return _import_page(request, engine, unreadable=True)
    token, path = held_uploads.hold(file.file, _safe_name(file.filename), _actor(request, engine))
    return _previewed(request, engine, token, path)


@router.post("/import/post", dependencies=[Depends(page_needs("imports.run"))])
def post_file(request: Request, token: str = Form(""), books: str = Form(""), engine: Engine = Depends(engine_of)):
    """Step two: the previewed file posted, if the books are still those it was previewed on;
    else it is previewed again, so what is posted is what the person saw."""
    if not _same_site(request):
        return _refused(request)
    actor = _actor(request, engine)
    path = held_uploads.held(token, actor)
    if path is None:
        return _import_page(request, engine, expired=True)
    if books_fingerprint(engine) != books:
        return _previewed(request, engine, token, path, changed=True)
    try:
        report = take_orders(engine, read_orders(path), source="import", actor=actor,
                             batch_size=get_settings().import_batch_size).as_dict()
    except UnreadableFile:
        return _import_page(request, engine, unreadable=True, filename=path.name)
    finally:
        held_uploads.let_go(token)
    return _import_page(request, engine, report=report, filename=path.name, posted=True)


def _previewed(request: Request, engine: Engine, token: str, path: Path, changed: bool = False):
    try:
        preview = preview_orders(engine, read_orders(path), source="import", actor=_actor(request, engine),
                                 batch_size=get_settings().import_batch_size, orders_shown=PREVIEW_ORDERS)
    except UnreadableFile:
        held_uploads.let_go(token)
        return _import_page(request, engine, unreadable=True, filename=path.name)
    return templates.TemplateResponse(request, "import_preview.html", {
        "nav": "import", "preview": preview, "token": token, "filename": path.name, "changed": changed,
        "added_accounts": payment_accounts.added_account_names(engine)})


def _import_page(request: Request, engine: Engine, **shown):
    return templates.TemplateResponse(request, "import.html", {"nav": "import", "sources": sources.list_sources(engine)}
                                      | shown)


def _actor(request: Request, engine: Engine) -> str:
    person = person_of(request, engine)
    return person.email if person else "page"


def _run(engine: Engine, run_id: int) -> dict | None:
    try:
        run = get_run(engine, run_id)
    except NotFound:
        return None
    return run | {"pace": pace(run)}  # orders done and a second, as the CLI's progress bar counts them


@router.get("/import/run", dependencies=[Depends(page_needs("sources.read"))])
def run_page(request: Request, id: int = 0, engine: Engine = Depends(engine_of)):
    return templates.TemplateResponse(request, "import_run.html", {"nav": "import", "run": _run(engine, id),
                                                                   "run_id": id, "active": ACTIVE})


@router.get("/import/run/progress", dependencies=[Depends(page_needs("sources.read"))])
def run_progress(request: Request, id: int = 0, engine: Engine = Depends(engine_of)):
    """The fragment htmx swaps in every two seconds while the run is under way."""
    return templates.TemplateResponse(request, "import_progress.html", {"run": _run(engine, id), "run_id": id,
                                                                        "active": ACTIVE})
