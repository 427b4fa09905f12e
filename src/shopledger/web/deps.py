"""What route handlers are handed: the engine the app was created with, and a read connection."""
from __future__ import annotations

from collections.abc import Iterator

from fastapi import Depends, Request
from sqlalchemy import Connection, Engine

from shopledger.adapters.db.engine import reading


async def engine_of(request: Request) -> Engine:
    # async: FastAPI runs a plain `def` dependency on a worker thread, a hand-over each way per request
    return request.app.state.engine


def read_conn(engine: Engine = Depends(engine_of)) -> Iterator[Connection]:
    """One read transaction for the request's queries (a consistent snapshot on PostgreSQL)."""
    with reading(engine) as conn:
        yield conn
