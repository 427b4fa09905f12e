"""The new-order form for chat orders (LINE, Facebook, Instagram, the phone), editing an unpaid
order with the same form, and refunding a paid one from its page.

- GET/POST /orders/new: customer, lines (a product search per line: htmx asks /orders/products as
  one types and /orders/line fills the line from the product picked), shipping fee, discount,
  channel, payment method and whether (and when) it was paid. /orders/totals answers the
  totals and VAT as one types (htmx), worked out by the domain as the documents are
  (domain/orders/totals.py). Without a script the form's "Recalculate" and "Add a line" buttons
  post it and get it back with its totals. "Save" takes the order through
  services/order_changes.create_manual_order, the road of every other intake, so its invoice or
  receipt/tax invoice, entries and stock movements follow; then the order's page.
- GET/POST /orders/edit?source=&external_id=: the same form for an unpaid order, saved as a new
  version of it (order_changes.edit): the reconciler voids and reissues its invoice.
- POST /orders/refund: part or all of a paid order's money paid back, with a reason
  (order_changes.refund): its credit note and payout follow.

A problem is shown beside its field in the person's words, with everything typed kept (422).
All of it needs `orders.change`. Registered before web/ui/pages.py's router.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import Engine

from shopledger.domain.clock import business_date, utc_now
from shopledger.domain.errors import DomainError, NotFound
from shopledger.domain.limits import MAX_NOTE, MAX_TOTAL
from shopledger.domain.money import ZERO
from shopledger.services import order_changes as oc
from shopledger.services import order_views, products
from shopledger.web.auth import guard_page, page_needs
from shopledger.web.deps import engine_of
from shopledger.web.i18n import N_
from shopledger.web.ui import order_form_fields as fields
from shopledger.web.ui.pages import _not_found, _refused, _same_site, templates

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse, dependencies=[Depends(guard_page)])
NEEDS = [Depends(page_needs("orders.change"))]
SUGGESTED = 8
NOT_TAKEN = N_("The order could not be saved as it is. Check its items and amounts.")
FILLED = N_("The name and price were filled in from the product list. Check them, then save.")
REFUND_PROBLEMS = {
    "not_paid": N_("Only a paid order can be refunded."),
    "invalid_refund": N_("A refund is more than ฿0.00 and no more than what is left to pay back."),
    "not_found": N_("There is no such order."),
    "other": N_("The refund could not be recorded."),
}
REFUND_DONE = N_("The refund was recorded: its credit note is in the documents.")


# -- the form -----------------------------------------------------------------------------------

def _form_page(request: Request, typed: fields.OrderInput, checked: fields.Checked | None, *, show_problems: bool,
               editing: dict | None = None, notice: str | None = None, status_code: int = 200):
    terms = request.state.vat_terms
    return templates.TemplateResponse(request, "order_form.html", {
        "nav": "orders", "typed": typed, "checked": checked, "t": checked.totals if checked else None,
        "problems": checked.problems if checked and show_problems else {}, "problem_words": fields.PROBLEMS,
        "channels": fields.CHANNELS, "methods": fields.METHODS, "editing": editing, "notice": notice,
        "vat_registered": terms.registered, "today": business_date(utc_now()).isoformat()}, status_code=status_code)


def _check(request: Request, typed: fields.OrderInput, editing: dict | None = None) -> fields.Checked:
    today = business_date(utc_now())
    if editing is not None:  # an unpaid order keeps its day: its invoice's VAT is of the day it was placed
        placed = business_date(datetime.fromisoformat(editing["placed_at"]))
        return fields.check(typed, request.state.vat_terms, today=today, tax_day=placed, payment_fixed=True)
    return fields.check(typed, request.state.vat_terms, today=today)


def _fill_from_products(engine: Engine, typed: fields.OrderInput) -> bool:
    """A line with only its SKU typed (no script to pick from the search) takes the product's name
    and price. Whether anything was filled in."""
    filled = False
    for line in typed.lines:
        if line.sku and not (line.name and line.unit_price):
            product = _product(engine, line.sku)
            if product is not None:
                line.sku, line.name = product["sku"], line.name or product["name"]
                line.unit_price = line.unit_price or product["price"]
                filled = True
    return filled


def _product(engine: Engine, sku: str) -> dict | None:
    wanted = sku.strip().lower()
    return next((p for p in products.find_products(engine, sku, SUGGESTED) if p["sku"].lower() == wanted), None)


def _with_terms(request: Request, engine: Engine) -> None:
    request.state.vat_terms = oc.vat_terms(engine)


@router.get("/orders/new", dependencies=NEEDS)
def new_order_form(request: Request, engine: Engine = Depends(engine_of)):
    _with_terms(request, engine)
    typed = fields.OrderInput().with_blank_lines()
    return _form_page(request, typed, _check(request, typed), show_problems=False)


@router.post("/orders/new")
async def new_order(request: Request, engine: Engine = Depends(engine_of), person=Depends(page_needs("orders.change"))):
    if not _same_site(request):
        return _refused(request)
    _with_terms(request, engine)
    form = await request.form()
    typed = fields.read_form(form)
    action = str(form.get("do") or "save")
    filled = _fill_from_products(engine, typed)
    checked = _check(request, typed)
    if action != "save" or filled:
        typed.with_blank_lines(1 + (action == "add_line"))
        return _form_page(request, typed, checked, show_problems=False, notice=FILLED if filled and action == "save" else None)
    if not checked.ok:
        return _form_page(request, typed.with_blank_lines(0), checked, show_problems=True, status_code=422)
    try:
        order = oc.create_manual_order(engine, fields.interchange(typed, checked, utc_now()), person.email)
    except DomainError:  # what the form's own checks did not foresee: parse_order's gate said no
        return _form_page(request, typed.with_blank_lines(0), checked, show_problems=True, notice=NOT_TAKEN,
                          status_code=422)
    return RedirectResponse(f"{_order_path(order.source, order.external_id)}?done=created", status_code=303)


@router.post("/orders/totals", dependencies=NEEDS)
async def live_totals(request: Request, engine: Engine = Depends(engine_of)):
    """The totals and VAT of the form as typed so far (htmx, as one types)."""
    _with_terms(request, engine)
    form = await request.form()
    typed = fields.read_form(form)
    editing = None
    if form.get("external_id"):
        editing = _editable(engine, str(form.get("source") or ""), str(form.get("external_id") or ""))
    checked = _check(request, typed, editing)
    return templates.TemplateResponse(request, "order_form_totals.html", {
        "t": checked.totals, "problems": {k: v for k, v in checked.problems.items() if k == "discount"},
        "problem_words": fields.PROBLEMS, "vat_registered": request.state.vat_terms.registered})


@router.get("/orders/products", dependencies=NEEDS)
def product_suggestions(request: Request, find: str = "", row: int = Query(0, ge=0, le=1000),
                        engine: Engine = Depends(engine_of)):
    """Products whose SKU or name holds what is typed, to pick for line `row` (htmx)."""
    found = products.find_products(engine, find, SUGGESTED) if find.strip() else []
    return templates.TemplateResponse(request, "order_form_found.html", {"products": found, "row": row, "find": find.strip()})


@router.get("/orders/line", dependencies=NEEDS)
def picked_line(request: Request, row: int = Query(0, ge=0, le=1000), pick: str = "", quantity: str = "1",
                line_discount: str = "", engine: Engine = Depends(engine_of)):
    """Line `row` filled from the product picked (its quantity and discount as typed); the totals
    are asked again once it is in place (HX-Trigger-After-Swap: the form then holds the pick)."""
    line = fields.LineInput(quantity=quantity.strip() or "1", discount=line_discount.strip())
    product = _product(engine, pick) if pick.strip() else None
    if product is not None:
        line.sku, line.name, line.unit_price = product["sku"], product["name"], product["price"]
    answer = templates.TemplateResponse(request, "order_form_line.html", {"n": row, "line": line, "problems": {},
                                                                          "problem_words": fields.PROBLEMS})
    answer.headers["HX-Trigger-After-Swap"] = "order-line-picked"
    return answer


# -- editing an unpaid order ----------------------------------------------------------------------

def _editable(engine: Engine, source: str, external_id: str) -> dict | None:
    try:
        order = order_views.order_detail(engine, source, external_id)
    except NotFound:
        return None
    return order


def _may_edit(order: dict) -> bool:
    return not order["cancelled"] and order["payment_status"] in ("unpaid", "verifying")


def _editing(order: dict) -> dict:
    return {"source": order["source"], "external_id": order["external_id"], "placed_at": order["placed_at"]}


@router.get("/orders/edit", dependencies=NEEDS)
def edit_order_form(request: Request, source: str = "", external_id: str = "", engine: Engine = Depends(engine_of)):
    order = _editable(engine, source, external_id)
    if order is None:
        return _not_found(request, "order", f"{source}:{external_id}")
    if not _may_edit(order):
        return _back(source, external_id, failed="order_locked")
    _with_terms(request, engine)
    typed = fields.from_order(order["data"]).with_blank_lines()
    editing = _editing(order)
    return _form_page(request, typed, _check(request, typed, editing), show_problems=False, editing=editing)


@router.post("/orders/edit")
async def edit_order(request: Request, engine: Engine = Depends(engine_of), person=Depends(page_needs("orders.change"))):
    if not _same_site(request):
        return _refused(request)
    form = await request.form()
    source, external_id = str(form.get("source") or ""), str(form.get("external_id") or "")
    order = _editable(engine, source, external_id)
    if order is None:
        return _not_found(request, "order", f"{source}:{external_id}")
    if not _may_edit(order):
        return _back(source, external_id, failed="order_locked")
    _with_terms(request, engine)
    editing = _editing(order)
    typed = fields.read_form(form)
    action = str(form.get("do") or "save")
    filled = _fill_from_products(engine, typed)
    checked = _check(request, typed, editing)
    if action != "save" or filled:
        typed.with_blank_lines(1 + (action == "add_line"))
        return _form_page(request, typed, checked, show_problems=False, editing=editing,
                          notice=FILLED if filled and action == "save" else None)
    if not checked.ok:
        return _form_page(request, typed.with_blank_lines(0), checked, show_problems=True, editing=editing,
                          status_code=422)
    try:
        oc.change_order(engine, source, external_id, oc.edit(fields.edit_patch(typed, checked)), person.email)
    except DomainError as error:
        if error.code == "order_locked":  # paid or cancelled since the form was opened
            return _back(source, external_id, failed=error.code)
        return _form_page(request, typed.with_blank_lines(0), checked, show_problems=True, editing=editing,
                          notice=NOT_TAKEN, status_code=422)
    return _back(source, external_id, done="edited")


# -- refunds ------------------------------------------------------------------------------------

@router.post("/orders/refund")
async def refund_order(request: Request, engine: Engine = Depends(engine_of), person=Depends(page_needs("orders.change"))):
    """Form fields source, external_id, amount (baht), reason; back to the order with what was done."""
    if not _same_site(request):
        return _refused(request)
    form = await request.form()
    source, external_id = str(form.get("source") or ""), str(form.get("external_id") or "")
    typed_amount = str(form.get("amount") or "").strip()
    reason = str(form.get("reason") or "").strip()[:MAX_NOTE // 4]
    amount = fields.baht(typed_amount, MAX_TOTAL) if typed_amount else None
    kept = {"amount": typed_amount[:40], "reason": reason[:300]}
    if amount is None:
        return _back(source, external_id, refund_failed="invalid_refund", **kept)
    try:
        oc.change_order(engine, source, external_id, oc.refund(amount, reason), person.email)
    except DomainError as error:
        code = error.code if error.code in REFUND_PROBLEMS else "other"
        return _back(source, external_id, refund_failed=code, **kept)
    return _back(source, external_id, done="refunded")


def _order_path(source: str, external_id: str) -> str:
    return f"/orders/{quote(source, safe='')}/{quote(external_id, safe='')}"


def _back(source: str, external_id: str, **query: str) -> RedirectResponse:
    return RedirectResponse(f"{_order_path(source, external_id)}?{urlencode(query)}", status_code=303)


def money_left(total: object, refunds: list[dict]) -> Decimal:
    """What is left to pay back on an order: its total less its refunds (the refund form's most)."""
    return Decimal(str(total)) - sum((Decimal(str(r.get("amount") or 0)) for r in refunds), ZERO)


DONE = {"created": N_("The order was saved."), "edited": N_("The order was changed."), "refunded": REFUND_DONE}
templates.env.globals.update(order_form_done=DONE, refund_problems=REFUND_PROBLEMS, money_left=money_left)
