"""Printing from the orders page: the ticked orders' documents as one PDF (receipts/tax
invoices, invoices, credit notes; services/order_papers.py), served to the signed-in person
through the page session; packing slips and address labels go to /shipping/slips from the same
ticks. Needs `documents.read` (a reader may print). Nothing ticked, too many, or no document
among them: a page saying so in words, with the way back."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from shopledger.domain.errors import DomainError, NotFound
from shopledger.services import order_papers
from shopledger.web.auth import guard_page, page_needs
from shopledger.web.deps import engine_of
from shopledger.web.i18n import N_
from shopledger.web.ui.pages import _refused, _same_site, templates

PROBLEMS = {
    "nothing_ticked": N_("Tick the orders to print first."),
    "too_many_orders": N_("Too many orders for one print: tick at most %(most)s."),
    "not_found": N_("None of the ticked orders has a document yet."),
}

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse, dependencies=[Depends(guard_page)])


def _problem(request: Request, code: str, status_code: int):
    return templates.TemplateResponse(request, "print_problem.html", {
        "nav": "orders", "problem": PROBLEMS[code], "most": order_papers.MAX_ORDERS}, status_code=status_code)


@router.post("/orders/print", dependencies=[Depends(page_needs("documents.read"))])
async def print_documents(request: Request, engine: Engine = Depends(engine_of)):
    """The ticked orders (`pick` = source:external_id) as one PDF of their documents, in the order ticked."""
    if not _same_site(request):
        return _refused(request)
    form = await request.form()
    keys = [tuple(str(k).partition(":")[::2]) for k in form.getlist("pick") if ":" in str(k)]
    if not keys:
        return _problem(request, "nothing_ticked", 422)
    try:
        data, count = order_papers.orders_documents_pdf(engine, keys)
    except NotFound:
        return _problem(request, "not_found", 404)
    except DomainError as error:
        if error.code != "too_many_orders":
            raise
        return _problem(request, "too_many_orders", 422)
    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": 'inline; filename="orders-documents.pdf"', "X-Document-Count": str(count)})


templates.env.globals.update(print_most=order_papers.MAX_ORDERS)
