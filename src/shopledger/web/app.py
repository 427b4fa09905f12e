"""The web door: the REST API under /api/v1 (bearer tokens) and the merchant's pages."""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine, text

from shopledger.adapters.db.engine import reading
from shopledger.bootstrap import default_engine
from shopledger.web import errors
from shopledger.web.api import documents, imports, journal, orders, reports
from shopledger.web.api.schemas import Health
from shopledger.web.auth import authorize
from shopledger.web.deps import engine_of
from shopledger.web.ui import pages

STATIC_DIR = Path(__file__).parent / "static"
API_ROUTERS = (documents.router, journal.router, reports.router, imports.router, orders.router)


def create_app(engine: Engine | None = None) -> FastAPI:
    # No Swagger UI or ReDoc: both load their scripts from a CDN; /openapi.json is the spec.
    app = FastAPI(title="shopledger", version="1", openapi_url="/openapi.json", docs_url=None, redoc_url=None,
                  description="Orders joined to real books. Amounts are decimal strings; errors are problem+json.")
    app.state.engine = engine or default_engine()
    errors.install(app)
    app.include_router(_api())
    app.add_api_route("/healthz", healthz, methods=["GET"], response_model=Health, tags=["health"],
                      responses=errors.problem_responses(503))
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")
    return app


def _api() -> APIRouter:
    api = APIRouter(prefix="/api/v1", dependencies=[Depends(authorize)],
                    responses=errors.problem_responses(401, 403, 422, 500))
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
