"""The merchant's pages (read-only for now): documents, one printable document, journal, trial balance.

Pages need no token: they are served for the merchant on localhost (`serve` binds 127.0.0.1
by default). Put them behind a login before binding to a public address.
"""
from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection

from shopledger.adapters.db import reads
from shopledger.web.deps import read_conn
from shopledger.web.ui.view import make_templates

PAGE_SIZE = 50

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
templates = make_templates()


@router.get("/")
def documents_page(request: Request, offset: int = Query(0, ge=0), conn: Connection = Depends(read_conn)):
    rows = reads.documents(conn, limit=PAGE_SIZE + 1, offset=offset)
    return templates.TemplateResponse(request, "documents.html", {
        "nav": "documents", "documents": rows[:PAGE_SIZE], "offset": offset, "page_size": PAGE_SIZE,
        "has_next": len(rows) > PAGE_SIZE})


@router.get("/documents/{number}")
def document_page(request: Request, number: str, conn: Connection = Depends(read_conn)):
    doc = reads.document(conn, number)
    if doc is None:
        return templates.TemplateResponse(request, "not_found.html", {"what": f"เอกสาร {number}"}, status_code=404)
    return templates.TemplateResponse(request, "document.html", {"nav": "documents", "doc": doc, "p": doc["particulars"]})


@router.get("/journal")
def journal_page(request: Request, offset: int = Query(0, ge=0), conn: Connection = Depends(read_conn)):
    rows = reads.entries(conn, limit=PAGE_SIZE + 1, offset=offset)
    return templates.TemplateResponse(request, "journal.html", {
        "nav": "journal", "entries": rows[:PAGE_SIZE], "offset": offset, "page_size": PAGE_SIZE,
        "has_next": len(rows) > PAGE_SIZE})


@router.get("/trial-balance")
def trial_balance_page(request: Request, as_of: str = "", conn: Connection = Depends(read_conn)):
    day, problem = _day(as_of)
    tb = reads.trial_balance(conn, day)
    # A bad date shows a notice on a 200 page: htmx swaps in only successful answers.
    return templates.TemplateResponse(request, "trial_balance.html", {"nav": "trial_balance", "tb": tb,
                                                                      "problem": problem})


def _day(text: str) -> tuple[date | None, str | None]:
    if not text:
        return None, None
    try:
        return date.fromisoformat(text), None
    except ValueError:
        return None, f"วันที่ไม่ถูกต้อง (not a date): {text!r}; showing every entry"
