"""GET /documents and /documents/{number}: the documents issued, newest first."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from shopledger.adapters.db import reads
from shopledger.adapters.db.engine import reading
from shopledger.domain.errors import NotFound
from shopledger.services import etax, etax_mail, listing
from shopledger.services.reports import paper
from shopledger.web.api.paging import Page, page, paged_as
from shopledger.web.api.schemas import MONTH_PATTERN, Day, Document, DocumentDetail, DocumentKind, QueryFlag
from shopledger.web.auth import Caller, api_needs, forbidden
from shopledger.web.deps import engine_of
from shopledger.web.errors import problem_responses

router = APIRouter(prefix="/documents", tags=["documents"])


@router.get("", dependencies=[Depends(api_needs("documents.read"))],
            response_model=list[Document], summary="List documents, newest first")
def list_documents(request: Request, paging: Page = Depends(page), engine: Engine = Depends(engine_of)) -> Response:
    return paged_as(Document, listing.documents(engine, paging.limit, paging.offset), paging, request)


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
def get_document(number: str, engine: Engine = Depends(engine_of)) -> dict:
    with reading(engine) as conn:
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


# --- e-Tax Invoice by Email (docs/etax.md): the PDF/A-3, sending it, the sendings ------------

class Sending(BaseModel):
    number: str = Field(examples=["RT-202611-00001"])
    attempted_at: str = Field(description="when it was handed to the SMTP server (UTC, ISO 8601)")
    to: str = Field(examples=["buyer@example.co.th"])
    cc: str = Field(examples=["csemail@etax.teda.th"])
    subject: str
    message_id: str = Field(examples=["<173290011.1@shop.example>"])
    outcome: Literal["sent", "failed"]
    error: str | None = Field(None, description="why the SMTP server did not take it")
    sent_by: str


@router.get("/{number}/etax.pdf", dependencies=[Depends(api_needs("documents.etax"))],
            summary="The document as PDF/A-3 with its e-Tax XML inside (e-Tax Invoice by Email)",
            response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}} | problem_responses(403, 404, 422))
def get_document_etax_pdf(number: str, engine: Engine = Depends(engine_of)) -> Response:
    """PDF/A-3b with the XML of GET /documents/{number}/xml embedded as `ETDA-invoice.xml`
    (/AFRelationship /Alternative). A document whose XML cannot be valid is 422 `etax_not_valid`."""
    made = etax_mail.etax_pdf(engine, number)
    return Response(made.pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{number}-etax.pdf"'})


@router.post("/{number}/send", response_model=Sending,
             summary="E-mail the document's e-Tax PDF/A-3 to the buyer, ETDA's time-stamping address in copy",
             responses=problem_responses(403, 404, 422, 502))
def send_document(number: str, caller: Caller = Depends(api_needs("documents.etax")),
                  engine: Engine = Depends(engine_of)) -> dict:
    """Through the SMTP server of the settings. 422 when it cannot be sent (`no_buyer_email`,
    `email_not_set_up`, `document_void`, `etax_not_valid`; nothing is sent or recorded); 502
    `email_not_sent` when the SMTP server does not take it (recorded with the reason)."""
    return etax_mail.send_document(engine, number, sent_by=caller.actor())


@router.get("/{number}/sendings", dependencies=[Depends(api_needs("documents.read"))], response_model=list[Sending],
            summary="Each e-mail of the document's e-Tax PDF, sent or failed, the newest first",
            responses=problem_responses(404))
def list_sendings(number: str, engine: Engine = Depends(engine_of)) -> list[dict]:
    return [{"number": number} | sending for sending in etax_mail.sendings(engine, number)]
