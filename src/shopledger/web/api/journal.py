"""GET /journal-entries: posted entries with their lines, newest first."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import Engine

from shopledger.services import listing
from shopledger.web.api.paging import Page, page, paged
from shopledger.web.api.schemas import JournalEntry
from shopledger.web.auth import api_needs
from shopledger.web.deps import engine_of

router = APIRouter(prefix="/journal-entries", tags=["journal"])


@router.get("", dependencies=[Depends(api_needs("reports.read"))],
            response_model=list[JournalEntry], summary="List journal entries with their lines")
def list_entries(request: Request, response: Response, paging: Page = Depends(page),
                 engine: Engine = Depends(engine_of)) -> list[dict]:
    return paged(listing.entries(engine, paging.limit, paging.offset), paging, request, response)
