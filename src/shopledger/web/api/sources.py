"""Sources and Import Data: GET /sources, POST /sources/{name}/sync (202), GET /sync-runs[/{id}]."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import Field
from sqlalchemy import Engine

from shopledger.services import listing, sources, sync_runs
from shopledger.web.api.paging import Page, page, paged
from shopledger.services.sync import queue_run
from shopledger.web.api.schemas import Shape
from shopledger.web.auth import api_needs
from shopledger.web.deps import engine_of
from shopledger.web.errors import problem_responses

router = APIRouter(tags=["import data"])


class Source(Shape):
    name: str
    kind: str = Field(examples=["shop-api"])
    base_url: str
    daily_at: str | None = Field(None, examples=["06:00"])
    timezone: str = "Asia/Bangkok"
    cursor: str | None = Field(None, description="the newest updated_at fully imported")
    last_run: dict[str, Any] | None = None


class RunQueued(Shape):
    run_id: int
    status: str = "queued"


class SyncRun(Shape):
    id: int
    source: str
    trigger: str
    status: str = Field(examples=["succeeded"])
    started_at: str | None
    ended_at: str | None
    pages: int
    created: int
    updated: int
    unchanged: int
    failed: list[dict[str, Any]]
    error: str | None
    expected_orders: int | None = Field(None, description="How many orders the source said the run would bring "
                                        "(the shop API's meta.total), once it said; null if it gave no count.")


@router.get("/sources", dependencies=[Depends(api_needs("sources.read"))],
            response_model=list[Source], summary="Sources, their schedule, cursor and last run")
def list_sources(request: Request, response: Response, paging: Page = Depends(page),
                 engine: Engine = Depends(engine_of)) -> list[dict]:
    every = sources.list_sources(engine)  # a shop has a handful: read whole, paged like every list
    found = listing.Page(every[paging.offset:paging.offset + paging.limit], len(every), paging.offset)
    return paged(found, paging, request, response)


@router.post("/sources/{name}/sync", dependencies=[Depends(api_needs("imports.run"))],
             status_code=202, response_model=RunQueued, responses=problem_responses(404),
             summary="Import Data now: queue a run of this source")
def start_sync(name: str, request: Request, engine: Engine = Depends(engine_of)) -> dict:
    run_id = queue_run(engine, name)
    request.app.state.enqueue_sync(run_id)
    return {"run_id": run_id, "status": "queued"}


@router.get("/sync-runs", dependencies=[Depends(api_needs("sources.read"))],
            response_model=list[SyncRun], summary="Past runs, newest first, with their counts and failed orders")
def list_runs(request: Request, response: Response, paging: Page = Depends(page),
              engine: Engine = Depends(engine_of)) -> list[dict]:
    return paged(listing.sync_runs(engine, paging.limit, paging.offset), paging, request, response)


@router.get("/sync-runs/{run_id}", dependencies=[Depends(api_needs("sources.read"))],
            response_model=SyncRun, responses=problem_responses(404))
def get_run(run_id: int, engine: Engine = Depends(engine_of)) -> dict:
    return sync_runs.get_run(engine, run_id)
