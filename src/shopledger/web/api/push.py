"""POST /sources/{name}/orders: a shop pushes one order, signed with HMAC-SHA256 of the body.

No bearer token here: the shop proves itself with the signature in `X-Shop-Signature`
(hex, optionally `sha256=`-prefixed), made with the source's push secret.
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, Header, Request
from sqlalchemy import Engine

from shopledger.services.push import take_pushed_order
from shopledger.web.api.schemas import ImportReport
from shopledger.web.deps import engine_of
from shopledger.web.errors import problem_responses

router = APIRouter(tags=["import data"])


@router.post("/sources/{name}/orders", response_model=ImportReport, responses=problem_responses(401, 404, 422),
             summary="A shop pushes one order (shop-api.md shape), signed with HMAC-SHA256")
async def push_order(name: str, request: Request, x_shop_signature: str | None = Header(None),
                     engine: Engine = Depends(engine_of)) -> dict:
    body = await request.body()
    from starlette.concurrency import run_in_threadpool

    run_id, report = await run_in_threadpool(take_pushed_order, engine, name, body, x_shop_signature)
    return report.as_dict() | {"run_id": run_id}
