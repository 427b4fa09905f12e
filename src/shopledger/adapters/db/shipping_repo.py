"""Shipments and COD remittances in the database."""
from __future__ import annotations

from sqlalchemy import Connection, select

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.upsert import upsert

_FOLLOWED = ["carrier", "carrier_name", "tracking_number", "tracking_url", "shipped_at", "delivered_at",
             "returned_at", "cod_amount"]


def shipments_by_order(conn: Connection, order_ids: list[int]) -> dict[int, object]:
    if not order_ids:
        return {}
    s = t.shipments
    return {r.order_id: r for r in conn.execute(select(s).where(s.c.order_id.in_(order_ids)))}


def remitted_at_by_order(conn: Connection, order_ids: list[int]) -> dict[int, object]:
    """order id -> when the courier paid its COD over, for the orders remitted."""
    s, found = t.shipments, {}
    for i in range(0, len(order_ids), 1000):
        query = select(s.c.order_id, s.c.remitted_at).where(s.c.order_id.in_(order_ids[i:i + 1000]),
                                                            s.c.remitted_at.is_not(None))
        found |= {row.order_id: row.remitted_at for row in conn.execute(query)}
    return found


def save_shipments(conn: Connection, rows: list[dict]) -> None:
    """One shipment per order; a later version of the order updates it (remittance stays)."""
    upsert(conn, t.shipments, rows, ["order_id"], _FOLLOWED)
