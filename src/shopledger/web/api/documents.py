"""GET /documents and /documents/{number}: the documents issued, oldest first."""
from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy import Connection

from shopledger.adapters.db import reads
from shopledger.domain.errors import NotFound
from shopledger.web.api.paging import Page, page
from shopledger.web.api.schemas import Document, DocumentDetail
from shopledger.web.deps import read_conn
from shopledger.web.errors import problem_responses

router = APIRouter(prefix="/documents", tags=["documents"])


@router.get("", response_model=list[Document], summary="List documents")
def list_documents(paging: Page = Depends(page), conn: Connection = Depends(read_conn)) -> list[dict]:
    return reads.documents(conn, limit=paging.limit, offset=paging.offset)


@router.get("/{number}", response_model=DocumentDetail, summary="One document with its particulars",
            responses=problem_responses(404))
def get_document(number: str, conn: Connection = Depends(read_conn)) -> dict:
    found = reads.document(conn, number)
    if found is None:
        raise NotFound("document", number)
    return found
