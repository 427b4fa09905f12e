"""Shipping and COD: orders to ship (tick and ship, or print their packing slips and address
labels: A4 sheets and 100x150 mm by CSS @page), COD money couriers hold by age, and a courier's payout
statement uploaded and shown row by row: what was matched and booked, what not and why
(services/cod.py). The page needs `shipping.change` or `cod.read`; slips `orders.read`; a
statement `cod.change`."""
from __future__ import annotations

import csv
import io

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from sqlalchemy import Engine

from shopledger.domain.errors import DomainError, NotFound
from shopledger.domain.shipping.carriers import KNOWN_CARRIERS
from shopledger.services import cod, company, order_views
from shopledger.web.auth import guard_page, page_needs
from shopledger.web.deps import engine_of
from shopledger.web.i18n import N_
from shopledger.web.ui.acted_at import AT_PROBLEMS, at_from_form
from shopledger.web.ui.pages import PAGE_SIZE, _refused, _same_site, templates

MAX_STATEMENT = 5_000_000
MAX_SLIPS = 200
SLIP_SIZES = ("a4", "label", "sheet")  # packing slips; a label a page; labels on A4 sheets
MISMATCH = {
    "unreadable_row": N_("The row could not be read."),
    "duplicate_row": N_("The same parcel is on the statement twice."),
    "unknown_tracking": N_("No COD parcel of ours has this tracking number."),
    "already_remitted": N_("This parcel's money was already remitted."),
    "amount_differs": N_("The amount differs from the order's."),
    "unreadable": N_("The file could not be read as a CSV statement."),
}

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse, dependencies=[Depends(guard_page)])


@router.get("/shipping", dependencies=[Depends(page_needs("shipping.change", "cod.read"))])
def shipping_page(request: Request, engine: Engine = Depends(engine_of)):
    to_ship = order_views.orders_page(engine, status="to_ship", limit=PAGE_SIZE)
    return templates.TemplateResponse(request, "shipping.html", {
        "nav": "shipping", "orders": to_ship.items, "to_ship_total": to_ship.total,
        "cod": cod.cod_receivable(engine), "carriers": KNOWN_CARRIERS})


@router.post("/shipping/slips", dependencies=[Depends(page_needs("orders.read"))])
async def slips(request: Request, engine: Engine = Depends(engine_of)):
    """Packing slips (A4, a tick box a line) or address labels (sender, recipient, phone, COD amount,
    tracking number), one 100x150 mm label a page or several on an A4 sheet, for the ticked orders."""
    if not _same_site(request):
        return _refused(request)
    form = await request.form()
    found = []
    for key in form.getlist("pick")[:MAX_SLIPS]:
        source, _, external_id = str(key).partition(":")
        try:
            found.append(order_views.order_detail(engine, source, external_id))
        except NotFound:
            continue
    size = str(form.get("size")) if form.get("size") in SLIP_SIZES else "a4"
    return templates.TemplateResponse(request, "slips.html", {"nav": "shipping", "orders": found, "size": size,
                                                              "sender": company.show_settings(engine)["company"]})


@router.post("/shipping/cod-statement")
def cod_statement(request: Request, statement: UploadFile = File(...), carrier: str = Form(...), at: str = Form(""),
                  engine: Engine = Depends(engine_of), person=Depends(page_needs("cod.change"))):
    if not _same_site(request):
        return _refused(request)
    body = statement.file.read(MAX_STATEMENT + 1)
    try:
        if len(body) > MAX_STATEMENT:
            raise DomainError("invalid_request", "too big")
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        report = cod.remit_rows(engine, rows, carrier, statement.filename or "statement.csv", person.email,
                                at=at_from_form(at))
        problem = None
    except (DomainError, UnicodeDecodeError, csv.Error) as error:
        report, problem = None, AT_PROBLEMS.get(getattr(error, "code", ""))  # a refused date, else unreadable
    return templates.TemplateResponse(request, "cod_statement.html", {"nav": "shipping", "report": report,
                                                                      "mismatch_words": MISMATCH, "problem": problem})
