"""Past runs of Import Data, as people and scripts read them."""
from __future__ import annotations

from sqlalchemy import Engine

from shopledger.adapters.db import sync_repo
from shopledger.adapters.db.engine import reading
from shopledger.domain.errors import NotFound


def run_view(run) -> dict:
    def iso(moment):
        return moment.isoformat() if moment else None

    return {"id": run.id, "source": run.source, "trigger": run.trigger, "status": run.status,
            "started_at": iso(run.started_at), "ended_at": iso(run.ended_at), "pages": run.pages,
            "created": run.created, "updated": run.updated, "unchanged": run.unchanged,
            "failed": list(run.failures), "error": run.error}


def list_runs(engine: Engine, limit: int = 50) -> list[dict]:
    with reading(engine) as conn:
        return [run_view(r) for r in sync_repo.run_rows(conn, limit)]


def get_run(engine: Engine, run_id: int) -> dict:
    with reading(engine) as conn:
        run = sync_repo.run_row(conn, run_id)
    if run is None:
        raise NotFound("sync run", run_id)
    return run_view(run)
