"""POST /sources/{name}/orders: a shop pushes one order, signed, fresh, once per delivery id.

No bearer token here: the shop proves itself with X-Shop-Signature (docs/webhooks.md). The
body is read here, a chunk at a time, and never past MAX_BODY_BYTES: a sender cannot make us
hold more than that, whatever it declares or streams. What can be refused without the body
(its declared size, the signing headers, the time) is refused before it is read.
"""
from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Header, Request
from pydantic import Field
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from shopledger.domain.clock import utc_now
from shopledger.domain.sync.webhook import SignedHeaders
from shopledger.services.push import check_headers, take_pushed_order
from shopledger.web.api.schemas import ImportReport
from shopledger.web.auth import open_to_all
from shopledger.web.deps import engine_of
from shopledger.web.errors import WebProblem, problem_responses

MAX_BODY_BYTES = 1024 * 1024  # one order is a few kilobytes; a megabyte is generous

router = APIRouter(tags=["import data"])


class PushAnswer(ImportReport):
    run_id: int | None = Field(description="the run that took this delivery (the first one, if received before)")
    status: Literal["received", "already_received"]


@router.post("/sources/{name}/orders", dependencies=[Depends(open_to_all)],
             response_model=PushAnswer, responses=problem_responses(401, 409, 413, 422),
             summary="A shop pushes one order (shop-api.md shape), signed with HMAC-SHA256 (docs/webhooks.md)")
async def push_order(
        name: str, request: Request, engine: Engine = Depends(engine_of),
        x_shop_timestamp: str | None = Header(None, description="unix seconds when sent; within 5 minutes of ours"),
        x_shop_delivery: str | None = Header(None, description="unique per delivery; a repeat is answered once"),
        x_shop_signature: str | None = Header(None, description="sha256=hex HMAC of `{timestamp}.{delivery}.{body}`"),
) -> dict:
    if _declared_size(request) > MAX_BODY_BYTES:
        raise _too_large()
    headers = SignedHeaders(x_shop_timestamp, x_shop_delivery, x_shop_signature)
    check_headers(headers, utc_now())
    body = await _body_within(request, MAX_BODY_BYTES)
    answer = await run_in_threadpool(take_pushed_order, engine, name, body, headers)
    return answer.as_dict()


def _declared_size(request: Request) -> int:
    try:
        return int(request.headers.get("content-length", "0"))
    except ValueError:
        return 0  # the server's HTTP parser refuses a malformed length before we are called


async def _body_within(request: Request, limit: int) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large()
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large() -> WebProblem:
    # Closing the connection: the rest of the body is never read.
    return WebProblem(413, "request_too_large", f"a pushed order is at most {MAX_BODY_BYTES} bytes",
                      headers={"Connection": "close"})
