"""The Documents page with its filters (kind, status, month), a search by number or buyer, a PDF
button on each document, and many documents as one PDF: the ticked ones, or a month's.

Registered before web/ui/pages.py's router, so /documents/pdf is not read as a document number.
A PDF that cannot be made (nothing ticked, a month without documents, too many) is the list
again with a notice, worded here.
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from shopledger.domain.accounting.documents import DocumentKind, DocumentStatus
from shopledger.domain.errors import DomainError, NotFound
from shopledger.domain.limits import MAX_SEARCH
from shopledger.services import document_list
from shopledger.services.reports import paper
from shopledger.web.auth import guard_page, page_needs
from shopledger.web.deps import engine_of
from shopledger.web.i18n import N_
from shopledger.web.ui import pages
from shopledger.web.ui.pages import _not_found, templates

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse, dependencies=[Depends(guard_page)])

PROBLEMS = {
    "invalid_kind": N_("That is not a kind of document; every kind is shown."),
    "invalid_status": N_("That is not a document status; every status is shown."),
    "invalid_month": N_("That is not a month; every month is shown."),
    "invalid_search": N_("The search is too long."),
    "nothing_ticked": N_("Tick the documents to put in the PDF first."),
    "not_found": N_("There are no such documents to print."),
    "too_many_documents": N_("Too many documents for one PDF: choose fewer, or a kind."),
}
OTHER_PROBLEM = N_("That could not be done.")
MAX_TICKED = 500


def _pdf(data: bytes, name: str) -> Response:
    return Response(data, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}.pdf"'})


def _list(request: Request, engine: Engine, *, kind: str = "", status: str = "", month: str = "", search: str = "",
          offset: int = 0, problem: str | None = None):
    search = search.strip()[:MAX_SEARCH]
    try:
        items, total = document_list.documents(engine, kind=kind, status=status, month=month, search=search,
                                               limit=pages.PAGE_SIZE, offset=offset)
    except DomainError as error:
        problem = PROBLEMS.get(error.code, OTHER_PROBLEM)
        kind = status = month = ""
        items, total = document_list.documents(engine, search="" if error.code == "invalid_search" else search,
                                               limit=pages.PAGE_SIZE, offset=offset)
    query = "".join(f"{k}={v}&" for k, v in (("kind", kind), ("status", status), ("month", month), ("search", search)) if v)
    return templates.TemplateResponse(request, "document_list.html", {
        "nav": "documents", "documents": items, "kind": kind, "status": status, "month": month, "search": search,
        "kinds": [str(k) for k in DocumentKind], "statuses": [str(s) for s in DocumentStatus], "problem": problem,
        "offset": offset, "page_size": pages.PAGE_SIZE, "has_next": offset + len(items) < total, "total": total,
        "query": query})


@router.get("/documents", dependencies=[Depends(page_needs("documents.read"))])
def documents_list(request: Request, kind: str = "", status: str = "", month: str = "", search: str = "",
                   offset: int = Query(0, ge=0), engine: Engine = Depends(engine_of)):
    return _list(request, engine, kind=kind, status=status, month=month, search=search, offset=offset)


@router.get("/documents/pdf", dependencies=[Depends(page_needs("documents.read"))])
def documents_pdf(request: Request, numbers: list[str] = Query([]), month: str = "", kind: str = "",
                  engine: Engine = Depends(engine_of)):
    """The ticked documents (`numbers`, in the order shown) or a month's (`month`, of `kind` if given)."""
    ticked = [n.strip() for n in numbers if n.strip()][:MAX_TICKED]
    if not ticked and not month:
        return _list(request, engine, problem=PROBLEMS["nothing_ticked"])
    try:
        if ticked:
            return _pdf(paper.documents_pdf(engine, numbers=ticked), "documents")
        return _pdf(paper.documents_pdf(engine, month=month, kind=kind or None), f"documents-{month}")
    except NotFound:
        problem = PROBLEMS["not_found"]
    except DomainError as error:
        problem = PROBLEMS.get(error.code, OTHER_PROBLEM)
    return _list(request, engine, problem=problem)


@router.get("/documents/{number}/pdf", dependencies=[Depends(page_needs("documents.read"))])
def document_pdf(request: Request, number: str, copy: bool = False, engine: Engine = Depends(engine_of)):
    try:
        return _pdf(paper.document_pdf(engine, number, copy=copy), number)
    except NotFound:
        return _not_found(request, "document", number)
