"""The merchant's pages: documents, one printable document, journal, trial balance; orders,
one order, stock, alerts and the sync runs (the sources and their Import Data button: settings_sources.py).

Every page needs a signed-in person whose role has the capability the route declares
(`page_needs`, web/auth.py; the table is domain/people/roles.py): without a session it
redirects to /signin, without the capability it is the 403 page. The few buttons that change
something (Import Data, resolving an alert) are form POSTs carrying the session's CSRF token
(`{{ csrf_field() }}`), answered with a redirect (so a reload does not repeat them); a POST
from another site's page is refused.
"""
from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import Engine

from shopledger.adapters.db import reads, sendings_repo
from shopledger.adapters.db.engine import reading
from shopledger.domain.errors import NotFound
from shopledger.services import alerts, listing, order_views, payment_accounts
from shopledger.services.listing import Page as Listed
from shopledger.web.auth import guard_page, page_needs
from shopledger.web.deps import engine_of
from shopledger.web.ui.view import make_templates

PAGE_SIZE = 50
STORED_SHOWN = 50
GOOD = {"completed", "delivered", "succeeded"}
BAD = {"cancelled", "refunded", "returned", "failed"}

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse, dependencies=[Depends(guard_page)])
templates = make_templates()


def _paged(found: Listed, offset: int) -> dict:
    """What pager.html needs: where this page starts, its size, whether there is more, how many in all."""
    return {"offset": offset, "page_size": PAGE_SIZE, "has_next": found.has_more, "total": found.total}


@router.get("/documents/{number}", dependencies=[Depends(page_needs("documents.read"))])
def document_page(request: Request, number: str, engine: Engine = Depends(engine_of)):
    with reading(engine) as conn:
        doc = reads.document(conn, number)
        sendings = sendings_repo.sendings(conn, number) if doc is not None else []
    if doc is None:
        return _not_found(request, "document", number)
    return templates.TemplateResponse(request, "document.html", {"nav": "documents", "doc": doc, "p": doc["particulars"],
                                                                 "sendings": sendings})


@router.get("/journal", dependencies=[Depends(page_needs("reports.read"))])
def journal_page(request: Request, offset: int = Query(0, ge=0), engine: Engine = Depends(engine_of)):
    found = listing.entries(engine, PAGE_SIZE, offset)
    return templates.TemplateResponse(request, "journal.html", {
        "nav": "journal", "entries": found.items, "added_accounts": payment_accounts.added_account_names(engine)}
        | _paged(found, offset))


@router.get("/trial-balance", dependencies=[Depends(page_needs("reports.read"))])
def trial_balance_page(request: Request, as_of: str = "", engine: Engine = Depends(engine_of)):
    day, problem = _day(as_of)
    with reading(engine) as conn:
        tb = reads.trial_balance(conn, day)
    # A bad date shows a notice on a 200 page: htmx swaps in only successful answers.
    return templates.TemplateResponse(request, "trial_balance.html", {"nav": "trial_balance", "tb": tb,
                                                                      "problem": problem})


def _day(text: str) -> tuple[date | None, dict | None]:
    if not text:
        return None, None
    try:
        return date.fromisoformat(text), None
    except ValueError:  # the notice is worded by the page (web/ui/messages.py NOTICES)
        return None, {"code": "invalid_date", "value": text}


# -- running the shop ----------------------------------------------------------------------

# /orders itself: web/ui/order_pages.py


# an external id may hold '/'
@router.get("/orders/{source}/{external_id:path}", dependencies=[Depends(page_needs("orders.read"))])
def order_page(request: Request, source: str, external_id: str, engine: Engine = Depends(engine_of)):
    try:
        order = order_views.order_detail(engine, source, external_id)
    except NotFound:
        return _not_found(request, "order", f"{source}:{external_id}")
    return templates.TemplateResponse(request, "order.html", {
        "nav": "orders", "o": order, "data": order["data"],
        "added_accounts": payment_accounts.added_account_names(engine) if order["entries"] else {}})


@router.get("/alerts", dependencies=[Depends(page_needs("alerts.read"))])
def alerts_page(request: Request, engine: Engine = Depends(engine_of)):
    """One line per kind and stuck rule with how many and where they are; the stored alerts
    (COD mismatches, books conflicts) one by one, for their Resolve button, STORED_SHOWN at most."""
    groups = alerts.alert_groups(engine)
    stored = {g["kind"]: alerts.stored_alerts(engine, g["kind"], STORED_SHOWN) for g in groups
              if g["kind"] in alerts.STORED_KINDS}
    return templates.TemplateResponse(request, "alerts.html", {"nav": "alerts", "groups": groups, "stored": stored})


@router.post("/alerts/{alert_id}/resolve", dependencies=[Depends(page_needs("alerts.resolve"))])
def resolve_alert(request: Request, alert_id: int, engine: Engine = Depends(engine_of)):
    if not _same_site(request):
        return _refused(request)
    try:
        alerts.resolve_alert(engine, alert_id)
    except NotFound:
        return _not_found(request, "alert", alert_id)
    return RedirectResponse("/alerts", status_code=303)


@router.get("/sync-runs", dependencies=[Depends(page_needs("sources.read"))])
def sync_runs_page(request: Request, queued: int | None = None, offset: int = Query(0, ge=0),
                   engine: Engine = Depends(engine_of)):
    found = listing.sync_runs(engine, PAGE_SIZE, offset)
    active = any(run["status"] in ("queued", "running") for run in found.items)
    return templates.TemplateResponse(request, "sync_runs.html", {"nav": "sync_runs", "runs": found.items,
                                                                  "queued": queued, "active": active}
                                      | _paged(found, offset))


def _not_found(request: Request, what: str, ident: object):
    """`what`: document, order, alert, source (web/ui/messages.py NOT_FOUND words it)."""
    return templates.TemplateResponse(request, "not_found.html", {"what": what, "ident": ident}, status_code=404)


def _same_site(request: Request) -> bool:
    """A form posted from our own pages (or by a script without an Origin), not from another site."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        return False
    origin = request.headers.get("origin")
    return not origin or urlsplit(origin).netloc == request.headers.get("host")


def _refused(request: Request):
    return templates.TemplateResponse(request, "refused.html", {}, status_code=403)


def tone(status: str) -> str:
    """The badge a status wears: green when done, red when it went wrong, plain otherwise."""
    return "badge-issued" if status in GOOD else "badge-void" if status in BAD else ""


templates.env.globals.update(tone=tone)
