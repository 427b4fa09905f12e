"""The orders page (tabs by display status with their counts, the search box, filters by
channel, payment method and the day it was placed, in the database; newest first, paged) and
shipping several ticked orders at once: a tracking number each, or a courier's sheet as
`shopledger ship --file` reads it (services/bulk_ship.py). Reading needs `orders.read`,
shipping `shipping.change`."""
from __future__ import annotations

import csv
import io
from urllib.parse import quote, urlencode
from datetime import date, datetime, time, timedelta

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import Engine

from shopledger.domain.clock import BANGKOK
from shopledger.domain.errors import DomainError
from shopledger.domain.limits import MAX_SEARCH
from shopledger.domain.orders.model import Channel, PaymentMethod
from shopledger.domain.orders.status import DisplayStatus
from shopledger.domain.shipping.carriers import KNOWN_CARRIERS
from shopledger.services import bulk_ship, dashboard, order_views
from shopledger.services import order_changes as oc
from shopledger.web.auth import guard_page, page_needs
from shopledger.web.deps import engine_of
from shopledger.web.i18n import N_
from shopledger.web.ui.acted_at import AT_PROBLEMS, at_from_form
from shopledger.web.ui.pages import PAGE_SIZE, _paged, _refused, _same_site, templates

MAX_SHEET = 2_000_000  # bytes of a shipping sheet
SHIP_ERRORS = {
    "invalid_shipment": N_("It needs a carrier and a tracking number."),
    "order_cancelled": N_("The order is cancelled."),
    "already_delivered": N_("The order was already delivered or returned."),
    "not_found": N_("There is no such order."),
    "invalid_request": N_("The sheet has no column we know for the order or the tracking number."),
    "other": N_("It could not be shipped."),
} | AT_PROBLEMS

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse, dependencies=[Depends(guard_page)])


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _start(day: date | None) -> datetime | None:
    return datetime.combine(day, time(), BANGKOK) if day else None


@router.get("/orders", dependencies=[Depends(page_needs("orders.read"))])
def orders_page(request: Request, status: str = "", stuck: bool = False, rule: str = "", offset: int = Query(0, ge=0),
                search: str = "", channel: str = "", method: str = "", placed_from: str = "", placed_to: str = "",
                engine: Engine = Depends(engine_of)):
    problem = None
    search = search.strip()[:MAX_SEARCH]
    channel = channel if channel in {c.value for c in Channel} else ""
    method = method if method in {m.value for m in PaymentMethod} else ""
    first, last = _day(placed_from), _day(placed_to)
    narrow = {"channel": channel or None, "payment_method": method or None, "placed_from": _start(first),
              "placed_to": _start(last + timedelta(days=1)) if last else None}
    try:
        found = order_views.orders_page(engine, status=status or None, stuck=stuck, rule=rule or None,
                                        search=search, limit=PAGE_SIZE, offset=offset, narrow=narrow)
    except DomainError as error:  # an unknown status or rule: a notice on a 200 page, every order shown
        problem = {"code": error.code, "value": status if error.code == "invalid_status" else rule}
        status, rule = "", ""
        found = order_views.orders_page(engine, stuck=stuck, search=search, limit=PAGE_SIZE, offset=offset,
                                        narrow=narrow)
    return templates.TemplateResponse(request, "orders.html", {
        "nav": "orders", "orders": found.items, "status": status, "stuck": stuck or bool(rule), "rule": rule,
        "search": search, "problem": problem, "statuses": list(DisplayStatus), "counts": dashboard.status_counts(engine),
        "channel": channel, "method": method, "placed_from": first.isoformat() if first else "",
        "placed_to": last.isoformat() if last else "", "channels": list(Channel), "methods": list(PaymentMethod),
        "carriers": KNOWN_CARRIERS} | _paged(found, offset))


def _ship(engine: Engine, rows: list[tuple[str, str, str, str]], actor: str, at_text: object = "") -> dict:
    report: dict[str, list] = {"shipped": [], "unchanged": [], "failed": []}
    for source, external_id, carrier, tracking in rows:
        item = {"source": source, "external_id": external_id, "carrier": carrier, "tracking": tracking}
        try:
            at = at_from_form(at_text)  # when they were shipped: each row says why not, as for a tracking number
            report[bulk_ship.ship_one(engine, source, external_id, carrier, tracking, actor, at=at)].append(item)
        except DomainError as error:
            report["failed"].append(item | {"why": SHIP_ERRORS.get(error.code, SHIP_ERRORS["other"])})
    return report


@router.post("/orders/ship")
async def ship_ticked(request: Request, engine: Engine = Depends(engine_of),
                      person=Depends(page_needs("shipping.change"))):
    """Ticked orders (`pick` = source:external_id), each with `tracking:<key>` and the one carrier."""
    if not _same_site(request):
        return _refused(request)
    form = await request.form()
    carrier = str(form.get("carrier") or "")
    rows = []
    for key in form.getlist("pick"):
        source, _, external_id = str(key).partition(":")
        rows.append((source, external_id, str(form.get(f"carrier:{key}") or carrier),
                     str(form.get(f"tracking:{key}") or "").strip()))
    return templates.TemplateResponse(request, "shipped.html", {"nav": "orders",
                                                                "report": _ship(engine, rows, person.email, form.get("at"))})


@router.post("/orders/ship-file")
def ship_sheet(request: Request, sheet: UploadFile = File(...), source: str = Form(""), at: str = Form(""),
               engine: Engine = Depends(engine_of), person=Depends(page_needs("shipping.change"))):
    """A sheet of source, order, carrier, tracking (the columns `shopledger ship --file` knows)."""
    if not _same_site(request):
        return _refused(request)
    body = sheet.file.read(MAX_SHEET + 1)
    report: dict[str, list] = {"shipped": [], "unchanged": [], "failed": []}
    try:
        if len(body) > MAX_SHEET:
            raise DomainError("invalid_request", "the sheet is too big")
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        found = bulk_ship.ship_rows(engine, rows, person.email, default_source=source.strip() or None,
                                    at=at_from_form(at))
        report["shipped"], report["unchanged"] = found["shipped"], found["unchanged"]
        report["failed"] = [r | {"why": SHIP_ERRORS["other"]} for r in found["failed"]]
    except (DomainError, UnicodeDecodeError, csv.Error) as error:
        why = AT_PROBLEMS.get(getattr(error, "code", ""), SHIP_ERRORS["invalid_request"])  # a refused date: the sheet
        report["failed"] = [{"source": source, "external_id": sheet.filename or "", "why": why}]
    return templates.TemplateResponse(request, "shipped.html", {"nav": "orders", "report": report})


# -- one order's buttons ------------------------------------------------------------------------

ACTIONS = ("verifying", "paid", "ship", "deliver", "return", "cancel")
DATED = ("ship", "deliver", "return")  # they take a "when" (web/ui/acted_at.py)
ACTION_ERRORS = SHIP_ERRORS | {
    "order_locked": N_("The order is not waiting for payment."),
    "already_cancelled": N_("The order is already cancelled."),
    "not_shipped": N_("The order has not been shipped."),
    "invalid_date": N_("That is not a day."),
}


def _change(action: str, form) -> oc.Change:
    if action == "verifying":
        return oc.mark_verifying()
    if action == "paid":
        day = _day(str(form.get("paid_on") or ""))
        if form.get("paid_on") and day is None:
            raise DomainError("invalid_date", "not a day")
        return oc.mark_paid(paid_at=_start(day) + timedelta(hours=12) if day else None)
    if action == "deliver":
        return oc.deliver()
    if action == "return":
        return oc.give_back()
    return oc.cancel()


@router.post("/order-actions")
async def order_action(request: Request, engine: Engine = Depends(engine_of),
                       person=Depends(page_needs("orders.change"))):
    """A button on an order's page (form fields action, source, external_id; ship: carrier, tracking), then
    back to the order with what was done or, in words, why not (and what was typed)."""
    if not _same_site(request):
        return _refused(request)
    form = await request.form()
    action = str(form.get("action") or "")
    source, external_id = str(form.get("source") or ""), str(form.get("external_id") or "")
    back = f"/orders/{quote(source, safe='')}/{quote(external_id, safe='')}"
    if action not in ACTIONS:
        return RedirectResponse(f"{back}?failed=other", status_code=303)
    try:
        at = at_from_form(form.get("at")) if action in DATED else None  # when it happened, if not now
        if action == "ship":
            bulk_ship.ship_one(engine, source, external_id, str(form.get("carrier") or ""),
                               str(form.get("tracking") or "").strip(), person.email, at=at)
        else:
            oc.change_order(engine, source, external_id, _change(action, form), person.email, at=at)
    except DomainError as error:
        code = error.code if error.code in ACTION_ERRORS else "other"
        typed = urlencode({"tracking": str(form.get("tracking") or "")[:100]} if action == "ship" else {})
        if action in DATED:
            typed += "&" + urlencode({"at": str(form.get("at") or "")[:40]})
        return RedirectResponse(f"{back}?failed={code}&action={action}&{typed}", status_code=303)
    return RedirectResponse(f"{back}?done={action}", status_code=303)


DONE = {"verifying": N_("Marked as checking the payment."), "paid": N_("Marked as paid."), "ship": N_("Marked as shipped."),
        "deliver": N_("Marked as delivered."), "return": N_("Marked as returned."), "cancel": N_("The order is cancelled.")}
templates.env.globals.update(order_action_errors=ACTION_ERRORS, order_action_done=DONE, known_carriers=KNOWN_CARRIERS)
