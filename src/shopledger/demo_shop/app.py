"""The demo shop speaking shop-api.md, through two doors sharing one answer function:

- `create_shop_app`: a FastAPI app, served by the product (or mounted in it) so "Import
  Data" has a shop to pull from on a fresh machine, and run by uvicorn in slow tests;
- `shop_transport`: an httpx2 transport answering in-process, for fast connector tests
  against the very same behaviour (faults included) without a socket.
"""
from __future__ import annotations

import hmac
import json
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import httpx2
from fastapi import FastAPI, Request, Response

from shopledger.demo_shop.store import Fault, ShopStore
from shopledger.domain.clock import parse_instant

ORDERS_PATH = "/api/v1/orders"
MAX_LIMIT = 100


@dataclass(frozen=True, slots=True)
class ShopAnswer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def _json(status: int, payload: object, headers: dict[str, str] | None = None) -> ShopAnswer:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return ShopAnswer(status, body, {"Content-Type": "application/json; charset=utf-8", **(headers or {})})


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> ShopAnswer:
    return _json(status, {"error": code, "message": message}, headers)


def answer_orders(
    store: ShopStore,
    token: str,
    authorization: str | None,
    params: Mapping[str, str],
    *,
    wait: Callable[[float], None] = time.sleep,
) -> ShopAnswer:
    """GET /api/v1/orders: the next queued fault first, then auth, then a page of orders."""
    store.record_request({key: params[key] for key in params})
    fault = store.next_fault()
    if fault is not None:
        answer = _apply_fault(store, fault, wait)
        if answer is not None:
            return answer
    if not _authorized(authorization, token):
        return _error(401, "unauthorized", "missing or invalid bearer token", {"WWW-Authenticate": "Bearer"})
    try:
        updated_from, page, limit = _parse_query(params)
    except ValueError as exc:
        return _error(400, "bad_request", str(exc))
    orders = store.changed_since(updated_from)
    last_page = max(1, math.ceil(len(orders) / limit))
    meta = {"page": page, "limit": limit, "total": len(orders), "last_page": last_page}
    return _json(200, {"data": orders[(page - 1) * limit : page * limit], "meta": meta})


def _apply_fault(store: ShopStore, fault: Fault, wait: Callable[[float], None]) -> ShopAnswer | None:
    """An answer that replaces the real one, or None to go on answering after the fault."""
    if fault.kind == "http":
        return _error(fault.status, "fault", f"injected HTTP {fault.status}")
    if fault.kind == "rate_limited":
        headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
        return _error(429, "rate_limited", "too many requests", headers)
    if fault.kind == "malformed":
        return ShopAnswer(200, fault.body, {"Content-Type": "application/json"})
    if fault.kind == "delay":
        wait(fault.seconds)
    elif fault.kind == "touch":
        store.touch(fault.order_id)
    else:
        raise ValueError(f"unknown fault kind {fault.kind!r}")
    return None


def _authorized(authorization: str | None, token: str) -> bool:
    expected = f"Bearer {token}".encode()
    return authorization is not None and hmac.compare_digest(authorization.encode(), expected)


def _parse_query(params: Mapping[str, str]) -> tuple[datetime | None, int, int]:
    raw_from = params.get("updated_from")
    try:
        updated_from = parse_instant(raw_from) if raw_from else None
    except ValueError:
        # Strict on purpose: a client that sends "+07:00" unescaped arrives here as " 07:00",
        # and the tests should catch that client rather than this shop guess for it.
        raise ValueError(f"updated_from {raw_from!r} is not ISO 8601 with an offset") from None
    page = _positive_int(params.get("page", "1"), "page")
    limit = _positive_int(params.get("limit", str(MAX_LIMIT)), "limit")
    if limit > MAX_LIMIT:
        raise ValueError(f"limit must be at most {MAX_LIMIT}")
    return updated_from, page, limit


def _positive_int(text: str, name: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{name} must be a positive integer")
    return int(text)


def create_shop_app(store: ShopStore, token: str) -> FastAPI:
    app = FastAPI(title="shopledger demo shop", version="1", docs_url=None, redoc_url=None)

    @app.get(ORDERS_PATH)
    def list_orders(request: Request) -> Response:
        answer = answer_orders(store, token, request.headers.get("authorization"), request.query_params)
        return Response(answer.body, status_code=answer.status, headers=answer.headers)

    return app


def shop_transport(store: ShopStore, token: str) -> httpx2.MockTransport:
    """The same shop in-process. A `delay` fault at or beyond the client's read timeout raises
    ReadTimeout at once, as a real client would after waiting; shorter delays cost nothing."""

    def handle(request: httpx2.Request) -> httpx2.Response:
        if request.method != "GET" or not request.url.path.endswith(ORDERS_PATH):
            return httpx2.Response(404, json={"error": "not_found"})

        def wait(seconds: float) -> None:
            read_timeout = (request.extensions.get("timeout") or {}).get("read")
            if read_timeout is not None and seconds >= read_timeout:
                raise httpx2.ReadTimeout("the demo shop took too long", request=request)

        authorization = request.headers.get("authorization")
        answer = answer_orders(store, token, authorization, request.url.params, wait=wait)
        return httpx2.Response(answer.status, content=answer.body, headers=answer.headers)

    return httpx2.MockTransport(handle)
