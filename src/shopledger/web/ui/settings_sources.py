"""Sources: the shops orders are pulled from, each with its daily time and its Import Data button;
an admin adds one or changes its address, token or daily time (sources.change) through
services/sources.py, as `shopledger source add` does. The token is never shown: left empty, a
source keeps its own. A new source's push secret is shown once, on the answer to its form.

Import Data queues a run (as POST /api/v1/sources/{name}/sync does) and goes to the run's own
page, which follows its progress live and shows its counts and failures when it ends
(web/ui/import_pages.py).
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import Engine

from shopledger.domain.errors import DomainError, NotFound
from shopledger.domain.sync.connector import CONNECTORS
from shopledger.services import sources
from shopledger.services.sync import queue_run
from shopledger.web.auth import page_needs
from shopledger.web.deps import engine_of
from shopledger.web.i18n import N_
from shopledger.web.ui.pages import _not_found, _refused, _same_site, templates

router = APIRouter()

PROBLEMS = {
    "invalid_source_name": N_("A source's name is letters, digits, '-', '_' or '.', starting with a letter or digit."),
    "unknown_connector": N_("Choose the kind of source."),
    "invalid_source_url": N_("The address must start with http:// or https://."),
    "invalid_source_token": N_("A new source needs the token the shop gave you."),
    "invalid_daily_at": N_("The daily time is hours and minutes, such as 06:30."),
    "invalid_timezone": N_("That time zone is not known."),
    "invalid_source": N_("A field is too long or holds a character that is not text."),
}
OTHER_PROBLEM = N_("That could not be done.")


def _sources(request: Request, engine: Engine, *, typed: dict | None = None, problem: str = "",
             saved: dict | None = None, edit: str = "", status: int = 200):
    listed = sources.list_sources(engine)
    if typed is None:
        chosen = next((s for s in listed if s["name"] == edit), None)
        typed = {"name": chosen["name"], "kind": chosen["kind"], "base_url": chosen["base_url"],
                 "daily_at": chosen["daily_at"] or "", "editing": True} if chosen else {}
    return templates.TemplateResponse(request, "sources.html", {
        "nav": "sources", "sources": listed, "kinds": sorted(CONNECTORS), "typed": typed,
        "problem": PROBLEMS.get(problem, OTHER_PROBLEM) if problem else None, "saved": saved}, status_code=status)


@router.get("/sources", dependencies=[Depends(page_needs("sources.read"))])
def sources_page(request: Request, edit: str = "", engine: Engine = Depends(engine_of)):
    return _sources(request, engine, edit=edit[:200])


@router.post("/sources", dependencies=[Depends(page_needs("sources.change"))])
def save_source(request: Request, name: str = Form("", max_length=200), kind: str = Form("", max_length=50),
                base_url: str = Form("", max_length=1000), token: str = Form("", max_length=1000),
                daily_at: str = Form("", max_length=10), editing: str = Form(""), engine: Engine = Depends(engine_of)):
    if not _same_site(request):
        return _refused(request)
    typed = {"name": name.strip(), "kind": kind, "base_url": base_url.strip(), "daily_at": daily_at.strip(),
             "editing": editing == "yes"}
    try:
        timezone = next((s["timezone"] for s in sources.list_sources(engine) if s["name"] == typed["name"]),
                        "Asia/Bangkok")
        saved = sources.save_source(engine, typed["name"], kind=kind, base_url=typed["base_url"], token=token,
                                    daily_at=typed["daily_at"] or None, timezone=timezone)
    except DomainError as error:
        return _sources(request, engine, typed=typed, problem=error.code, status=422)
    return _sources(request, engine, typed={}, saved=saved)


@router.post("/sources/{name}/sync", dependencies=[Depends(page_needs("imports.run"))])
def import_data(request: Request, name: str, engine: Engine = Depends(engine_of)):
    """The Import Data button: queue a run, then follow it on its own page."""
    if not _same_site(request):
        return _refused(request)
    try:
        run_id = queue_run(engine, name)
    except NotFound:
        return _not_found(request, "source", name)
    request.app.state.enqueue_sync(run_id)
    return RedirectResponse(f"/import/run?id={run_id}", status_code=303)
