"""Read queries for orders: the list, and one order with its documents, entries and events."""
from __future__ import annotations

from sqlalchemy import Connection, select

from shopledger.adapters.db import reads, tables as t
from shopledger.domain.money import fmt

_o = t.orders
_SUMMARY = (_o.c.id, _o.c.source, _o.c.external_id, _o.c.channel, _o.c.customer_name, _o.c.payment_status,
            _o.c.fulfillment_status, _o.c.cancelled_at, _o.c.total, _o.c.placed_at, _o.c.updated_at)


def orders(conn: Connection, *, limit: int | None = None, offset: int = 0) -> list[dict]:
    """Orders, oldest first (by id, so pages stay stable while new orders arrive)."""
    query = select(*_SUMMARY).order_by(_o.c.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [_summary(row) for row in conn.execute(query)]


def order(conn: Connection, order_id: int) -> dict | None:
    row = conn.execute(select(*_SUMMARY, _o.c.data).where(_o.c.id == order_id)).first()
    if row is None:
        return None
    return _summary(row) | {
        "data": row.data,
        "documents": reads.documents(conn, order_id=order_id),
        "entries": reads.entries(conn, order_id=order_id),
        "events": events(conn, order_id),
    }


def events(conn: Connection, order_id: int) -> list[dict]:
    e = t.order_events
    query = select(e.c.at, e.c.kind, e.c.actor, e.c.detail).where(e.c.order_id == order_id).order_by(e.c.id)
    return [{"at": r.at.isoformat(), "kind": r.kind, "actor": r.actor, "detail": r.detail} for r in conn.execute(query)]


def _summary(row) -> dict:
    return {"id": row.id, "source": row.source, "external_id": row.external_id, "channel": row.channel,
            "customer_name": row.customer_name, "payment_status": row.payment_status,
            "fulfillment_status": row.fulfillment_status, "cancelled": _cancelled(row),
            "cancelled_at": row.cancelled_at.isoformat() if row.cancelled_at else None,
            "total": fmt(row.total), "placed_at": row.placed_at.isoformat(), "updated_at": row.updated_at.isoformat()}


def _cancelled(row) -> bool:
    """As Order.is_cancelled: cancelled, refunded or returned (accounting-rules.md)."""
    return row.cancelled_at is not None or row.payment_status == "refunded" or row.fulfillment_status == "returned"
