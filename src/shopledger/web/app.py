"""The web door: the REST API under /api/v1 (bearer tokens) and the merchant's pages."""
from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import APIRouter, Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine, text

from shopledger.adapters.db.engine import reading
from shopledger.bootstrap import default_engine, load_connectors
from shopledger.config import get_settings
from shopledger.demo.shop_source import MOUNT_PATH
from shopledger.demo_shop.mounted import demo_shop_app
from shopledger.web import body_limit, errors, i18n, security
from shopledger.web.api import (accounting, alerts, cod, documents, imports, journal, orders, orders_write, push, reports,
                                shipping, settings, sources, stock, tokens)
from shopledger.web.api.schemas import Health
from shopledger.web.auth import guard_api, open_to_all
from shopledger.web.deps import engine_of
from shopledger.web.ui import accounting_pages, dashboard, document_pages, etax_pages, help_pages, import_pages, order_form, order_pages, pages, people_pages, print_pages, settings_pages, shipping_pages, stock_pages

STATIC_DIR = Path(__file__).parent / "static"
API_ROUTERS = (documents.router, journal.router, reports.router, imports.router, orders.router, sources.router,
               orders_write.router, stock.router, shipping.router, cod.router, alerts.router, settings.router,
               tokens.router, accounting.router)


def create_app(engine: Engine | None = None, enqueue_sync: Callable[[int], object] | None = None,
               demo_shop_file: Path | None = None, demo_shop: bool | None = None,
               extra_hosts: tuple[str, ...] = ()) -> FastAPI:
    """`demo_shop`: None follows SHOPLEDGER_DEMO_SHOP; `extra_hosts` are allowed besides the settings' ones."""
    settings = get_settings()
    # No Swagger UI or ReDoc: both load their scripts from a CDN; /openapi.json is the spec.
    app = FastAPI(title="shopledger", version="1", openapi_url="/openapi.json", docs_url=None, redoc_url=None,
                  lifespan=_threads_for_requests(settings.web_threads),
                  description="Orders joined to real books. Amounts are decimal strings; errors are problem+json.")
    app.state.engine = engine or default_engine()
    app.state.enqueue_sync = enqueue_sync or _enqueue_with_huey
    load_connectors()
    errors.install(app)
    i18n.install(app)  # pages in Thai or English: ?lang= remembered in a cookie (docs/i18n.md)
    security.install(app, [*settings.trusted_hosts(), *extra_hosts])
    app.add_middleware(body_limit.BodyLimit)  # no body read past its bound (an order file large, the rest small)
    app.include_router(_api())
    app.include_router(push.router, prefix="/api/v1")  # signed by the shop, not by a bearer token
    app.add_api_route("/healthz", healthz, methods=["GET"], response_model=Health, tags=["health"],
                      responses=errors.problem_responses(503), dependencies=[Depends(open_to_all)])
    people_pages.install(app)  # /signin, /signout, /people; a page without a session goes to /signin
    app.include_router(document_pages.router)  # before pages: /documents/pdf is not a document's number
    app.include_router(order_pages.router)
    app.include_router(order_form.router)  # before pages: /orders/new, /orders/edit, /orders/refund
    app.include_router(print_pages.router)  # the ticked orders' documents as one PDF
    app.include_router(stock_pages.router)  # before pages: its /stock has a search
    app.include_router(pages.router)
    app.include_router(import_pages.router)  # /import: sources, an order file, a run's progress
    app.include_router(settings_pages.router)  # /settings: company, VAT rates, API tokens
    app.include_router(dashboard.router)  # the home page /
    app.include_router(shipping_pages.router)
    app.include_router(etax_pages.router)
    app.include_router(accounting_pages.router)  # the accountant's reports, closing, VAT, exports
    app.include_router(help_pages.router)  # docs/*.md at /help/NAME
    app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")
    # A shop answering to a token everyone knows is a demo's, never a merchant's server's.
    if settings.demo_shop if demo_shop is None else demo_shop:
        app.mount(MOUNT_PATH, demo_shop_app(demo_shop_file or _demo_shop_file()))
    return app


def _threads_for_requests(threads: int):
    """A few threads run the requests' work, each request in turn: with anyio's 40, fifty busy
    clients shared one GIL forty ways and every request finished late together (at 50 clients p99
    577 -> 428 ms, 248 -> 303 requests/s with 8; bench/README.md)."""
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield

    return lifespan


def create_served_app() -> FastAPI:
    """The app of one of `serve`'s web processes (uvicorn's factory): it ends with `serve`."""
    import os

    from shopledger.adapters.lifeline import die_with_parent

    die_with_parent(os.getppid())
    return create_app()


def _enqueue_with_huey(run_id: int) -> object:
    from shopledger.jobs import run_queued_sync

    return run_queued_sync(run_id)


def _demo_shop_file() -> Path:
    """The demo shop's orders live beside a SQLite database, else under ./var."""
    url = get_settings().database_url
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///")).with_name("demo-shop.json")
    return Path("var/demo-shop.json").absolute()


def _api() -> APIRouter:
    # Every route also declares the capability it needs (web/auth.py api_needs).
    api = APIRouter(prefix="/api/v1", dependencies=[Depends(guard_api)],
                    responses=errors.problem_responses(400, 401, 403, 413, 422, 500))
    for router in API_ROUTERS:
        api.include_router(router)
    return api


def healthz(engine: Engine = Depends(engine_of)) -> dict:
    """Up, and the database answers."""
    try:
        with reading(engine) as conn:
            conn.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure to reach the database is "unavailable"
        raise errors.WebProblem(503, "database_unavailable", f"the database does not answer ({type(error).__name__})") from None
    return {"status": "ok", "database": "ok"}
