"""Background jobs: thin task wrappers that take ids and call services.

Schedules live in our data (sources.daily_at, due_runs), not in the queue: the periodic
tick only asks the database what is due, so any number of ticks is harmless.
"""
from __future__ import annotations

from huey import crontab

from shopledger.adapters.db import sync_repo
from shopledger.adapters.db.engine import reading
from shopledger.adapters.queue import make_huey
from shopledger.bootstrap import default_engine, load_connectors
from shopledger.config import get_settings
from shopledger.domain.clock import utc_now
from shopledger.services import schedule
from shopledger.services.sync import run_source_sync

huey = make_huey(get_settings())


@huey.task(retries=0)
def run_queued_sync(run_id: int) -> dict:
    engine = default_engine()
    load_connectors()
    with reading(engine) as conn:
        run = sync_repo.run_row(conn, run_id)
    if run is None:
        return {"run_id": run_id, "status": "missing"}
    return run_source_sync(engine, run.source, run_id=run_id, trigger=run.trigger).as_dict()


@huey.periodic_task(crontab(minute="*"))
def daily_runs_tick() -> list[int]:
    return schedule.tick(default_engine(), utc_now(), run_queued_sync)
