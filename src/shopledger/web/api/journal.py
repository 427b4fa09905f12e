"""GET /journal-entries: posted entries with their lines, oldest first."""
from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy import Connection

from shopledger.adapters.db import reads
from shopledger.web.api.paging import Page, page
from shopledger.web.api.schemas import JournalEntry
from shopledger.web.deps import read_conn

router = APIRouter(prefix="/journal-entries", tags=["journal"])


@router.get("", response_model=list[JournalEntry], summary="List journal entries with their lines")
def list_entries(paging: Page = Depends(page), conn: Connection = Depends(read_conn)) -> list[dict]:
    return reads.entries(conn, limit=paging.limit, offset=paging.offset)
