"""Delivery ids of pushed orders, per source, with the run that took each."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Row, delete, select

from shopledger.adapters.db import tables as t

_d, _r = t.push_deliveries, t.sync_runs


def forget_before(conn: Connection, cutoff: datetime) -> None:
    conn.execute(delete(_d).where(_d.c.received_at < cutoff))


def delivery(conn: Connection, source_id: int, delivery_id: str) -> Row | None:
    """(run_id, status) of the run that took this delivery, if it was received."""
    return conn.execute(select(_d.c.run_id, _r.c.status).join(_r, _r.c.id == _d.c.run_id, isouter=True)
                        .where(_d.c.source_id == source_id, _d.c.delivery_id == delivery_id)).one_or_none()


def remember(conn: Connection, source_id: int, delivery_id: str, run_id: int, now: datetime) -> None:
    conn.execute(_d.insert().values(source_id=source_id, delivery_id=delivery_id, run_id=run_id, received_at=now))


def forget(conn: Connection, source_id: int, delivery_id: str) -> None:
    conn.execute(delete(_d).where(_d.c.source_id == source_id, _d.c.delivery_id == delivery_id))
