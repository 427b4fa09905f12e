"""Read queries for orders the list endpoints page through in SQL (the views are the services')."""
from __future__ import annotations

from sqlalchemy import Connection, select

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.shop_reads import ORDER_COLUMNS

_o, _s = t.orders, t.shipments


def order_page(conn: Connection, *, limit: int | None = None, offset: int = 0) -> list:
    """Orders with their shipment, oldest first (by id, so pages stay stable while new orders
    arrive): the rows `order_views.list_orders` reads, one page of them."""
    query = (select(*ORDER_COLUMNS).select_from(_o.outerjoin(_s, _s.c.order_id == _o.c.id))
             .order_by(_o.c.id).offset(offset))
    if limit is not None:
        query = query.limit(limit)
    return list(conn.execute(query))


def order_key(conn: Connection, order_id: int) -> tuple[str, str] | None:
    """(source, external_id) of the order with this id, or None."""
    row = conn.execute(select(_o.c.source, _o.c.external_id).where(_o.c.id == order_id)).first()
    return None if row is None else (row.source, row.external_id)
