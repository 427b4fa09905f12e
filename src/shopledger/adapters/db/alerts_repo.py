"""Alerts that are facts of the past, not of the current state: a COD statement row that did
not match, a books conflict. Everything else is derived at read time (services/alerts.py).

One row per `key`; raising an open alert again keeps its first `since`, raising a resolved
one opens it again from now.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.kept_counts import remembered

_a = t.alerts


def raise_alerts(conn: Connection, rows: list[dict]) -> None:
    """Rows: key, kind, subject, reason, action, since."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(_a)
    reopened = _a.c.resolved_at.is_not(None)
    stmt = stmt.on_conflict_do_update(index_elements=["key"], set_={
        "reason": stmt.excluded.reason, "action": stmt.excluded.action, "subject": stmt.excluded.subject,
        "since": case((reopened, stmt.excluded.since), else_=_a.c.since),
        "resolved_at": None,
    })
    conn.execute(stmt, [row | {"resolved_at": None} for row in rows])


def _open(kinds: Iterable[str]):
    return select(_a).where(_a.c.kind.in_(list(kinds)), _a.c.resolved_at.is_(None))


def open_rows(conn: Connection, kinds: Iterable[str], *, limit: int | None = None, offset: int = 0) -> list:
    """Open alerts of these kinds, oldest first."""
    query = _open(kinds).order_by(_a.c.since, _a.c.id).offset(offset)
    return list(conn.execute(query if limit is None else query.limit(limit)))


def open_summary(conn: Connection, kind: str) -> tuple[int, datetime | None]:
    """How many alerts of a kind are open, and since when the oldest (kept a moment:
    adapters/db/kept_counts.py)."""
    def summary() -> tuple[int, datetime | None]:
        count, oldest = conn.execute(select(func.count(), func.min(_a.c.since)).where(
            _a.c.kind == kind, _a.c.resolved_at.is_(None))).one()
        return count, oldest

    return remembered(conn, ("open alerts", kind), summary)


def iter_open(conn: Connection, kind: str, chunk: int = 1000):
    query = _open([kind]).order_by(_a.c.since, _a.c.id)
    for rows in conn.execution_options(yield_per=chunk).execute(query).partitions():
        yield from rows


def resolve_by_prefix(conn: Connection, prefixes: Iterable[str], now: datetime) -> int:
    """Resolve open alerts whose key starts with one of `prefixes`; how many were resolved."""
    done = 0
    for prefix in sorted(set(prefixes)):
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        result = conn.execute(update(_a).where(_a.c.key.like(escaped + "%", escape="\\"), _a.c.resolved_at.is_(None))
                              .values(resolved_at=now))
        done += result.rowcount
    return done


def resolve_by_id(conn: Connection, alert_id: int, now: datetime):
    """Resolve one stored alert; the row as it is afterwards, or None if there is no such alert."""
    conn.execute(update(_a).where(_a.c.id == alert_id, _a.c.resolved_at.is_(None)).values(resolved_at=now))
    return conn.execute(select(_a).where(_a.c.id == alert_id)).first()
