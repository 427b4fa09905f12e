"""Sources, their runs and the daily runs due, in the database."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Connection, func, or_, select, update

from shopledger.adapters.db import tables as t
from sqlalchemy.dialects import postgresql, sqlite

SHOWN_SOURCE_COLUMNS = (t.sources.c.id, t.sources.c.name, t.sources.c.kind, t.sources.c.base_url,
                        t.sources.c.daily_at, t.sources.c.timezone, t.sources.c.cursor)


def source_by_name(conn: Connection, name: str, *, with_secrets: bool = False):
    columns = [t.sources] if with_secrets else list(SHOWN_SOURCE_COLUMNS)
    return conn.execute(select(*columns).where(t.sources.c.name == name)).first()


def all_sources(conn: Connection) -> list:
    return list(conn.execute(select(*SHOWN_SOURCE_COLUMNS).order_by(t.sources.c.name)))


def scheduled_sources(conn: Connection) -> list:
    columns = (*SHOWN_SOURCE_COLUMNS, t.sources.c.created_at)
    return list(conn.execute(select(*columns).where(t.sources.c.daily_at.is_not(None))))


def new_run(conn: Connection, source_id: int, trigger: str, now: datetime) -> int:
    return conn.execute(t.sync_runs.insert().values(
        source_id=source_id, trigger=trigger, status="queued", pages=0, created=0, updated=0, unchanged=0,
        failed=0, failures=[]).returning(t.sync_runs.c.id)).scalar_one()


def start_run(conn: Connection, run_id: int, since: datetime | None, now: datetime) -> bool:
    """Queued -> running for exactly one taker (a re-enqueued job finds it taken)."""
    r = t.sync_runs
    taken = conn.execute(update(r).where(r.c.id == run_id, r.c.status == "queued")
                         .values(status="running", started_at=now, heartbeat_at=now, since=since))
    return taken.rowcount == 1


STALE_AFTER = timedelta(minutes=15)


def abandon_stale_runs(conn: Connection, source_id: int, now: datetime) -> None:
    """A run whose process died (killed, power cut) stops claiming to be running."""
    r = t.sync_runs
    conn.execute(update(r).where(r.c.source_id == source_id, r.c.status == "running",
                                 r.c.heartbeat_at < now - STALE_AFTER)
                 .values(status="failed", error="interrupted: the process running it stopped", ended_at=now))


def stale_queued_runs(conn: Connection, now: datetime, older_than: timedelta = timedelta(minutes=2)) -> list[int]:
    """Queued runs nobody took (the enqueue was lost in a crash): the tick hands them out again."""
    r = t.sync_runs
    return list(conn.execute(select(r.c.id).join(t.due_runs, t.due_runs.c.run_id == r.c.id)
                             .where(r.c.status == "queued", t.due_runs.c.created_at < now - older_than)).scalars())


def add_progress(conn: Connection, run_id: int, *, pages: int, created: int, updated: int, unchanged: int,
                 failures: list[dict], now: datetime, expected: int | None = None) -> None:
    run = t.sync_runs
    current = conn.execute(select(run.c.failures).where(run.c.id == run_id)).scalar_one()
    conn.execute(update(run).where(run.c.id == run_id).values(
        pages=run.c.pages + pages, created=run.c.created + created, updated=run.c.updated + updated,
        unchanged=run.c.unchanged + unchanged, failed=run.c.failed + len(failures),
        failures=list(current) + failures, heartbeat_at=now,
        **({"expected_orders": expected} if expected is not None else {})))


def finish_run(conn: Connection, run_id: int, status: str, error: str | None, now: datetime) -> None:
    conn.execute(update(t.sync_runs).where(t.sync_runs.c.id == run_id)
                 .values(status=status, error=error, ended_at=now, heartbeat_at=now))


def move_cursor(conn: Connection, source_id: int, cursor: datetime) -> None:
    """Forward only: two runs at once never drag the cursor back."""
    s = t.sources
    conn.execute(update(s).where(s.c.id == source_id, or_(s.c.cursor.is_(None), s.c.cursor < cursor))
                 .values(cursor=cursor))


def run_row(conn: Connection, run_id: int):
    r, s = t.sync_runs, t.sources
    return conn.execute(select(r, s.c.name.label("source")).join(s, s.c.id == r.c.source_id)
                        .where(r.c.id == run_id)).first()


def _runs_query():
    r, s = t.sync_runs, t.sources
    return select(r, s.c.name.label("source")).join(s, s.c.id == r.c.source_id).order_by(r.c.id.desc())


def run_rows(conn: Connection, limit: int = 50, source_id: int | None = None, *, offset: int = 0) -> list:
    """Runs newest first, with their source's name."""
    query = _runs_query().limit(limit).offset(offset)
    if source_id is not None:
        query = query.where(t.sync_runs.c.source_id == source_id)
    return list(conn.execute(query))


def count_runs(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(t.sync_runs)).scalar_one()


def iter_runs(conn: Connection, chunk: int = 500):
    for rows in conn.execution_options(yield_per=chunk).execute(_runs_query()).partitions():
        yield from rows


def last_run_of(conn: Connection, source_id: int):
    r = t.sync_runs
    return conn.execute(select(r).where(r.c.source_id == source_id).order_by(r.c.id.desc()).limit(1)).first()


def claim_due_run(conn: Connection, source_id: int, day: date, now: datetime) -> bool:
    """Insert the (source, business date) row; True only for the one caller that inserted it."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(t.due_runs).values(source_id=source_id, business_date=day, created_at=now)
    return conn.execute(stmt.on_conflict_do_nothing().returning(t.due_runs.c.id)).first() is not None


def supersede_queued_daily_runs(conn: Connection, source_id: int, day: date) -> None:
    """An older daily run still waiting is pointless once a newer one is due: one pull covers both."""
    r = t.sync_runs
    conn.execute(update(r).where(r.c.source_id == source_id, r.c.status == "queued", r.c.trigger == "daily")
                 .values(status="skipped", error=f"superseded by the daily run of {day.isoformat()}"))


def attach_run_to_due(conn: Connection, source_id: int, day: date, run_id: int) -> None:
    conn.execute(update(t.due_runs).where(t.due_runs.c.source_id == source_id, t.due_runs.c.business_date == day)
                 .values(run_id=run_id))
