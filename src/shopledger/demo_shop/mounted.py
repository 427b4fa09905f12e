"""The demo shop as the product serves it at /demo-shop, so Import Data works out of the box.

Its orders are kept in a JSON file beside the database (a restart keeps the shop as it was).
A GET only reads; `POST /demo-shop/advance` (the demo token) moves the shop one business day
on, so the next Import Data brings only what changed at the shop.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from shopledger.demo.shop_source import ADVANCE_PATH, DEMO_TOKEN
from shopledger.demo_shop.app import ORDERS_PATH, answer_orders
from shopledger.demo_shop.store import ShopStore

_save_lock = threading.Lock()


def load_store(path: Path, orders: int = 30) -> ShopStore:
    store = ShopStore()
    if path.exists():
        for order in json.loads(path.read_text(encoding="utf-8")):
            store.upsert(order)
    else:
        store.seed_demo(orders, fresh=True)  # the demo starts as a shop whose work is up to date
        save_store(store, path)
    return store


def save_store(store: ShopStore, path: Path) -> None:
    with _save_lock:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(store.changed_since(None), ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)


def demo_shop_app(path: Path, token: str = DEMO_TOKEN) -> FastAPI:
    store = load_store(path)
    app = FastAPI(title="shopledger demo shop", docs_url=None, redoc_url=None, openapi_url=None)

    @app.get(ORDERS_PATH)
    def list_orders(request: Request) -> Response:
        answer = answer_orders(store, token, request.headers.get("authorization"), request.query_params)
        return Response(answer.body, status_code=answer.status, headers=answer.headers)

    # A bearer token, not a cookie: another site's form cannot move the shop on.
    @app.post(ADVANCE_PATH)
    def advance(request: Request) -> Response:
        if not _authorized(request, token):
            return JSONResponse({"error": "unauthorized", "message": "missing or invalid bearer token"},
                                status_code=401, headers={"WWW-Authenticate": "Bearer"})
        changed = store.advance()
        if changed:
            save_store(store, path)
        return JSONResponse({"changed": changed})

    return app


def _authorized(request: Request, token: str) -> bool:
    return request.headers.get("authorization", "") == f"Bearer {token}"
