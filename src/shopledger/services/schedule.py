"""The daily run: due runs are rows of ours, unique per (source, business date).

A coarse tick (every minute) claims today's run of each source whose daily time has passed,
so a second scheduler, a restart, or a server that was down at the due time never doubles a
run and never loses one: the first tick after the due time claims it.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from shopledger.adapters.db import sync_repo
from shopledger.adapters.db.engine import writing


def latest_due_date(daily_at: str, tz: str, now: datetime) -> tuple[date, datetime]:
    """The business date of the most recent due moment at or before `now`, and that moment."""
    local = now.astimezone(ZoneInfo(tz))
    due = datetime.combine(local.date(), time.fromisoformat(daily_at), ZoneInfo(tz))
    if due > local:
        due -= timedelta(days=1)
    return due.date(), due


def claim_due_runs(engine: Engine, now: datetime) -> list[int]:
    """Claim every run now due; returns the new runs' ids (queued) plus any lost in a crash."""
    claimed: list[int] = []
    with writing(engine) as conn:
        for source in sync_repo.scheduled_sources(conn):
            day, due_at = latest_due_date(source.daily_at, source.timezone, now)
            if due_at < source.created_at:
                continue  # a source added after today's time first runs at the next one
            if sync_repo.claim_due_run(conn, source.id, day, now):
                sync_repo.supersede_queued_daily_runs(conn, source.id, day)
                run_id = sync_repo.new_run(conn, source.id, "daily", now)
                sync_repo.attach_run_to_due(conn, source.id, day, run_id)
                claimed.append(run_id)
        claimed += [r for r in sync_repo.stale_queued_runs(conn, now) if r not in claimed]
    return claimed


def tick(engine: Engine, now: datetime, enqueue: Callable[[int], object]) -> list[int]:
    runs = claim_due_runs(engine, now)
    for run_id in runs:
        enqueue(run_id)
    return runs
