"""What route handlers are handed: the engine the app was created with. A route opens its own
read transaction (`with reading(engine)`): a generator dependency doing it would cross to a
worker thread twice more per request, and under load each crossing waits its turn for a thread."""
from __future__ import annotations

from fastapi import Request
from sqlalchemy import Engine


async def engine_of(request: Request) -> Engine:
    # async: FastAPI runs a plain `def` dependency on a worker thread, a hand-over each way per request
    return request.app.state.engine
