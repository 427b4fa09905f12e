"""Orders in the database: bulk lookups by (source, external_id), inserts and updates."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import Connection, Text, bindparam, func, select, true, update
from sqlalchemy.dialects.postgresql import ARRAY

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.bulk import BulkInsert, next_ids
from shopledger.adapters.db.order_state import STATE_COLUMNS
from shopledger.adapters.db.upsert import insert_ignoring_duplicates
from shopledger.domain.orders.model import Order

_HEAD = (t.orders.c.id, t.orders.c.source, t.orders.c.external_id, t.orders.c.updated_at,
         t.orders.c.fingerprint, t.orders.c.payment_status, t.orders.c.fulfillment_status,
         t.orders.c.cancelled_at, t.orders.c.total, t.orders.c.state_changed_at, t.orders.c.created_at)


def heads_by_key(conn: Connection, keys: list[tuple[str, str]]) -> dict[tuple[str, str], object]:
    """What is stored of each order (not its full data), in one query per source."""
    by_source: dict[str, list[str]] = defaultdict(list)
    for source, external_id in keys:
        by_source[source].append(external_id)
    found = {}
    for source, ids in by_source.items():
        if conn.dialect.name == "postgresql":
            query, params = _HEADS_BY_IDS, {"source": source, "ids": ids}
        else:
            query, params = select(*_HEAD).where(t.orders.c.source == source, t.orders.c.external_id.in_(ids)), {}
        for row in conn.execute(query, params):
            found[(row.source, row.external_id)] = row
    return found


def _one_per_id(columns) -> object:
    """PostgreSQL: the ids as one array parameter, each looked up in the unique index on
    (source, external_id). `source = $1 AND external_id IN (...)` (or `= ANY`) is planned from
    statistics, and without them (a table grown by a bulk load since its last ANALYZE) it read
    every row of the source and filtered: 0.4-2 s a lookup at 100,000 orders. A LATERAL
    subquery with LIMIT 1 cannot be flattened into a join, so each id is one index probe
    whatever the statistics say."""
    wanted = func.unnest(bindparam("ids", type_=ARRAY(Text))).table_valued("id").render_derived(name="wanted")
    one = (select(*columns).where(t.orders.c.source == bindparam("source"), t.orders.c.external_id == wanted.c.id)
           .limit(1).lateral("stored"))
    return select(*one.c).select_from(wanted.join(one, true()))


_HEADS_BY_IDS = _one_per_id(_HEAD)


def received_hashes(conn: Connection, source: str, external_ids: list[str]) -> dict[str, str | None]:
    """external_id -> the hash of the record last taken for it, for the ids given.

    Straight to the driver: on a re-import this runs for every thousand records, and compiling
    an IN list of a thousand parameters cost more than the query itself."""
    if not external_ids:
        return {}
    sql, params = received_hashes_sql(conn, source, external_ids)
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())
    finally:
        cursor.close()


def received_hashes_sql(conn: Connection, source: str, external_ids: list[str]) -> tuple[str, list]:
    """The driver's SQL and parameters of `received_hashes` (on PostgreSQL an index probe per id,
    see `_one_per_id`; bench/pg_batches.py prints its plan)."""
    if conn.dialect.name == "sqlite":
        return (f"SELECT external_id, received_hash FROM {t.orders.name} WHERE source = ? "
                f"AND external_id IN ({', '.join(['?'] * len(external_ids))})", [source, *external_ids])
    return (f"SELECT stored.external_id, stored.received_hash FROM unnest(%s::text[]) AS wanted(id) "
            f"CROSS JOIN LATERAL (SELECT external_id, received_hash FROM {t.orders.name} "
            f"WHERE source = %s AND external_id = wanted.id LIMIT 1) AS stored", [list(external_ids), source])


def order_row(order: Order, data: dict | str, fingerprint: str, now: datetime, received: str | None = None) -> dict:
    return {
        "source": order.source, "external_id": order.external_id, "channel": str(order.channel),
        "placed_at": order.placed_at, "updated_at": order.updated_at,
        "payment_status": str(order.payment_status), "fulfillment_status": str(order.fulfillment_status),
        "payment_method": str(order.payment_method), "cancelled_at": order.cancelled_at,
        "paid_at": order.paid_at, "total": order.total, "customer_name": order.customer.name[:300],
        "data": data, "fingerprint": fingerprint, "received_hash": received, "changed_at": now,
    }


_ORDER_COLUMNS = ["id", "source", "external_id", "channel", "placed_at", "updated_at", "payment_status",
                  "fulfillment_status", "payment_method", "cancelled_at", "paid_at", "total", "customer_name",
                  "data", "fingerprint", "received_hash", "created_at", "changed_at", "state_changed_at",
                  *STATE_COLUMNS, "search_text"]
_INSERT_ORDERS = BulkInsert(t.orders, _ORDER_COLUMNS)
_INSERT_EVENTS = BulkInsert(t.order_events, ["order_id", "at", "kind", "detail", "actor"])


def insert_orders(conn: Connection, rows: list[dict]) -> list[int]:
    ids = next_ids(conn, t.orders, len(rows))
    _INSERT_ORDERS.run(conn, [row | {"id": i} for row, i in zip(rows, ids)])
    return ids


_UPDATABLE = ("channel", "placed_at", "updated_at", "payment_status", "fulfillment_status", "payment_method",
              "cancelled_at", "paid_at", "total", "customer_name", "data", "fingerprint", "received_hash", "changed_at",
              "state_changed_at", *STATE_COLUMNS, "search_text")


def update_orders(conn: Connection, rows: list[dict]) -> None:
    """Rows carry `oid`; an order's row is its latest version (its history is in its events)."""
    if not rows:
        return
    stmt = update(t.orders).where(t.orders.c.id == bindparam("oid")).values(
        {c: bindparam(c) for c in _UPDATABLE})
    conn.execute(stmt, rows)


def add_events(conn: Connection, events: list[dict]) -> None:
    _INSERT_EVENTS.run(conn, events)


def raise_alerts(conn: Connection, alerts: list[dict]) -> None:
    """An alert already open under the same key stays as it is (with its first `since`)."""
    insert_ignoring_duplicates(conn, t.alerts, alerts)
