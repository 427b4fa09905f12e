"""GET /documents and /documents/{number}: the documents issued, newest first."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import Connection, Engine

from shopledger.adapters.db import reads
from shopledger.domain.errors import NotFound
from shopledger.services import listing
from shopledger.web.api.paging import Page, page, paged
from shopledger.web.api.schemas import Document, DocumentDetail
from shopledger.web.deps import engine_of, read_conn
from shopledger.web.errors import problem_responses

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
