"""GET /documents and /documents/{number}: the documents issued, newest first."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import Connection, Engine

from shopledger.adapters.db import reads
from shopledger.domain.errors import NotFound
from shopledger.services import etax, listing
from shopledger.services.reports import paper
from shopledger.web.api.paging import Page, page, paged
from shopledger.web.api.schemas import MONTH_PATTERN, Day, Document, DocumentDetail, DocumentKind, QueryFlag
from shopledger.web.auth import Caller, api_needs, forbidden
from shopledger.web.deps import engine_of, read_conn
from shopledger.web.errors import problem_responses

router = APIRouter(prefix="/documents", tags=["documents"])


@router.get("", dependencies=[Depends(api_needs("documents.read"))],
            response_model=list[Document], summary="List documents, newest first")
def list_documents(request: Request, response: Response, paging: Page = Depends(page),
                   engine: Engine = Depends(engine_of)) -> list[dict]:
    return paged(listing.documents(engine, paging.limit, paging.offset), paging, request, response)


@router.get("/pdf", dependencies=[Depends(api_needs("documents.read"))],
            summary="Many documents in one PDF: of a month, a day, or a list of numbers",
            response_class=Response, responses={200: {"content": {"application/pdf": {}}}} | problem_responses(404))
def documents_pdf(month: str | None = Query(None, pattern=MONTH_PATTERN), day: Annotated[Day | None, Query()] = None,
                  numbers: str | None = Query(None, max_length=20_000, description="comma-separated"),
                  kind: DocumentKind | None = Query(None), copy: QueryFlag = Query(False),
                  engine: Engine = Depends(engine_of)) -> Response:
    listed = [n.strip() for n in numbers.split(",") if n.strip()] if numbers is not None else None
    data = paper.documents_pdf(engine, month=month, day=day, numbers=listed, kind=kind, copy=copy)
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="documents-{month or day or "list"}.pdf"'})


@router.get("/{number}", dependencies=[Depends(api_needs("documents.read"))],
            response_model=DocumentDetail, summary="One document with its particulars",
            responses=problem_responses(404))
def get_document(number: str, conn: Connection = Depends(read_conn)) -> dict:
    found = reads.document(conn, number)
    if found is None:
        raise NotFound("document", number)
    return found


@router.get("/{number}/pdf", dependencies=[Depends(api_needs("documents.read"))],
            summary="The document as PDF (A4, Thai first; ?copy=true for สำเนา / Copy)",
            response_class=Response, responses={200: {"content": {"application/pdf": {}}}} | problem_responses(404))
def get_document_pdf(number: str, copy: QueryFlag = Query(False), engine: Engine = Depends(engine_of)) -> Response:
    data = paper.document_pdf(engine, number, copy=copy)
    name = f"{number}{'-copy' if copy else ''}.pdf"
    return Response(data, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})


@router.get("/{number}/xml", summary="The document as ETDA e-Tax Invoice XML (v2.1)", response_class=Response,
            responses={200: {"content": {"application/xml": {}}}} | problem_responses(403, 404, 422))
def get_document_xml(number: str, signed: QueryFlag = Query(False, description="XAdES-BES signed (documents.sign)"),
                     caller: Caller = Depends(api_needs("documents.read")),
                     engine: Engine = Depends(engine_of)) -> Response:
    """Checked before it is written: a document that cannot be valid is 422 `etax_not_valid` with
    the reasons. Signing uses the company's certificate: it needs `documents.sign` (admin, accountant)."""
    if signed and not caller.may("documents.sign"):
        raise forbidden(caller.role, ("documents.sign",))
    xml = etax.document_xml(engine, number, signed=signed)
    return Response(xml, media_type="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{number}.xml"'})
