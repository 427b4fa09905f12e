"""The demo shop as the product serves it at /demo-shop, so Import Data works out of the box.

Its orders are kept in a JSON file beside the database (a restart keeps the shop as it was),
and they move on by one business day each time a pull starts from a cursor: the first press
of Import Data brings every order, the next ones only what changed at the shop.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path

from fastapi import FastAPI, Request, Response

from shopledger.demo.shop_source import DEMO_TOKEN
from shopledger.demo_shop.app import ORDERS_PATH, answer_orders
from shopledger.demo_shop.store import ShopStore

_save_lock = threading.Lock()


def load_store(path: Path, orders: int = 30) -> ShopStore:
    store = ShopStore()
    if path.exists():
        for order in json.loads(path.read_text(encoding="utf-8")):
            store.upsert(order)
    else:
        store.seed_demo(orders)
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
        params = request.query_params
        if params.get("updated_from") and params.get("page", "1") == "1" and _authorized(request, token):
            if store.advance():
                save_store(store, path)
        answer = answer_orders(store, token, request.headers.get("authorization"), params)
        return Response(answer.body, status_code=answer.status, headers=answer.headers)

    return app


def _authorized(request: Request, token: str) -> bool:
    return request.headers.get("authorization", "") == f"Bearer {token}"
