"""Past runs of Import Data, as people and scripts read them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from shopledger.adapters.db import sync_repo
from shopledger.adapters.db.engine import reading
from shopledger.domain.clock import utc_now
from shopledger.domain.errors import NotFound


def run_view(run) -> dict:
    def iso(moment):
        return moment.isoformat() if moment else None

    return {"id": run.id, "source": run.source, "trigger": run.trigger, "status": run.status,
            "started_at": iso(run.started_at), "ended_at": iso(run.ended_at), "pages": run.pages,
            "created": run.created, "updated": run.updated, "unchanged": run.unchanged,
            "failed": list(run.failures), "error": run.error, "expected_orders": run.expected_orders}


def list_runs(engine: Engine, limit: int = 50) -> list[dict]:
    with reading(engine) as conn:
        return [run_view(r) for r in sync_repo.run_rows(conn, limit)]


def get_run(engine: Engine, run_id: int) -> dict:
    with reading(engine) as conn:
        run = sync_repo.run_row(conn, run_id)
    if run is None:
        raise NotFound("sync run", run_id)
    return run_view(run)


def pace(run: dict, now: datetime | None = None) -> dict:
    """A run's orders done, of how many (when the source said), orders a second so far (till it
    ended) and the seconds left while it runs, from the counts it stores as it goes: the numbers
    the CLI's progress bar moves on (services/intake.Progress). A source that gives no count, or a
    run that went past it (orders changed while it paged), shows no total and no time left."""
    done = run["created"] + run["updated"] + run["unchanged"] + len(run["failed"])
    started = datetime.fromisoformat(run["started_at"]) if run["started_at"] else None
    ended = datetime.fromisoformat(run["ended_at"]) if run["ended_at"] else (now or utc_now())
    seconds = (ended - started).total_seconds() if started else 0
    rate = done / seconds if done and seconds >= 1 else None
    expected = run.get("expected_orders")
    of = expected if expected is not None and expected >= done else None
    left = round((of - done) / rate) if of is not None and rate and not run["ended_at"] else None
    return {"done": done, "of": of, "per_second": round(rate) if rate else None, "seconds_left": left}
