"""GET /documents and /documents/{number}: the documents issued, newest first."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import Connection, Engine

from shopledger.adapters.db import reads
from shopledger.domain.errors import NotFound
from shopledger.services import etax, listing
from shopledger.web.api.paging import Page, page, paged
from shopledger.web.api.schemas import Document, DocumentDetail, QueryFlag
from shopledger.web.auth import Caller, authorize
from shopledger.web.deps import engine_of, read_conn
from shopledger.web.errors import WebProblem, problem_responses

router = APIRouter(prefix="/documents", tags=["documents"])


@router.get("", response_model=list[Document], summary="List documents, newest first")
def list_documents(request: Request, response: Response, paging: Page = Depends(page),
                   engine: Engine = Depends(engine_of)) -> list[dict]:
    return paged(listing.documents(engine, paging.limit, paging.offset), paging, request, response)


@router.get("/{number}", response_model=DocumentDetail, summary="One document with its particulars",
            responses=problem_responses(404))
def get_document(number: str, conn: Connection = Depends(read_conn)) -> dict:
    found = reads.document(conn, number)
    if found is None:
        raise NotFound("document", number)
    return found


@router.get("/{number}/xml", summary="The document as ETDA e-Tax Invoice XML (v2.1)", response_class=Response,
            responses={200: {"content": {"application/xml": {}}}} | problem_responses(403, 404, 422))
def get_document_xml(number: str, signed: QueryFlag = Query(False, description="XAdES-BES signed (clerk or admin)"),
                     caller: Caller = Depends(authorize), engine: Engine = Depends(engine_of)) -> Response:
    """Checked before it is written: a document that cannot be valid is 422 `etax_not_valid` with
    the reasons. Signing uses the company's certificate, so a reader may only take it unsigned."""
    if signed and caller.role == "reader":
        raise WebProblem(403, "forbidden", "signing with the company's certificate needs a clerk or admin token")
    xml = etax.document_xml(engine, number, signed=signed)
    return Response(xml, media_type="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{number}.xml"'})
