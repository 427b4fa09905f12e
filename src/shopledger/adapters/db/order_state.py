"""The state stored beside each order for the lists (display status, stuck-rule waits): the
facts it is worked out from, read for a set of orders, and the state written back."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, bindparam, select, update

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.shop_reads import chunks

_o, _s = t.orders, t.shipments

STATE_COLUMNS = ("display_status", "payment_wait", "payment_wait_since", "fulfilment_wait", "fulfilment_wait_since")

FACT_COLUMNS = (
    _o.c.id, _o.c.source, _o.c.external_id, _o.c.payment_status, _o.c.fulfillment_status, _o.c.payment_method,
    _o.c.cancelled_at, _o.c.placed_at, _o.c.paid_at, _o.c.created_at, _o.c.updated_at, _o.c.state_changed_at,
    _s.c.shipped_at, _s.c.delivered_at, _s.c.returned_at, _s.c.remitted_at,
)


def fact_rows(conn: Connection, order_ids: Iterable[int]) -> list:
    """Each order with its shipment's times and the state stored for it now."""
    found = []
    query = select(*FACT_COLUMNS, *(_o.c[name] for name in STATE_COLUMNS)).select_from(
        _o.outerjoin(_s, _s.c.order_id == _o.c.id))
    for batch in chunks(sorted(set(order_ids))):
        found += list(conn.execute(query.where(_o.c.id.in_(batch))))
    return found


def write_states(conn: Connection, rows: list[dict]) -> None:
    """Rows carry `oid` and every state column."""
    if rows:
        stmt = update(_o).where(_o.c.id == bindparam("oid")).values({c: bindparam(c) for c in STATE_COLUMNS})
        conn.execute(stmt, rows)


def orders_of_shipments(conn: Connection, shipment_ids: Iterable[int]) -> list[int]:
    found = []
    for batch in chunks(sorted(set(shipment_ids))):
        found += list(conn.scalars(select(_s.c.order_id).where(_s.c.id.in_(batch))))
    return found


def ids_without_state(conn: Connection, limit: int) -> list[int]:
    """Orders written before their state was stored (a database from an older version)."""
    query = select(_o.c.id).where(_o.c.display_status.is_(None)).order_by(_o.c.id).limit(limit)
    return list(conn.scalars(query))


def set_state_changed(conn: Connection, rows: list[dict]) -> None:
    """Rows: `oid`, `at`."""
    if rows:
        conn.execute(update(_o).where(_o.c.id == bindparam("oid")).values(state_changed_at=bindparam("at")), rows)
