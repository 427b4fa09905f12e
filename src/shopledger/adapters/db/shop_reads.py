"""Read queries for running the shop: orders with their shipment, the facts stuck-order rules
need, stock positions and movements, COD parcels, and the latest sync runs.

Plain rows out; the services turn them into the shapes of interfaces.md.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from sqlalchemy import Connection, and_, func, or_, select

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.kept_counts import remembered
from shopledger.domain.money import ZERO

_o, _s, _p, _m = t.orders, t.shipments, t.products, t.stock_movements
IN_CHUNK = 1000  # keeps IN lists well under SQLite's bound-variable limit

ORDER_COLUMNS = (
    _o.c.id, _o.c.source, _o.c.external_id, _o.c.channel, _o.c.customer_name, _o.c.payment_status,
    _o.c.fulfillment_status, _o.c.payment_method, _o.c.cancelled_at, _o.c.paid_at, _o.c.total,
    _o.c.placed_at, _o.c.updated_at, _s.c.carrier, _s.c.carrier_name, _s.c.tracking_number,
    _s.c.tracking_url, _s.c.shipped_at, _s.c.delivered_at, _s.c.returned_at, _s.c.cod_amount,
    _s.c.remitted_at, _o.c.created_at, _o.c.state_changed_at,
)


def chunks(items: Iterable, size: int = IN_CHUNK) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _orders_query(*columns):
    return select(*ORDER_COLUMNS, *columns).select_from(_o.outerjoin(_s, _s.c.order_id == _o.c.id))


def order_rows(conn: Connection, *, fulfillment: Iterable[str] | None = None) -> list:
    """Orders with their shipment, oldest first; `fulfillment` narrows by that axis only."""
    query = _orders_query().order_by(_o.c.id)
    if fulfillment is not None:
        query = query.where(_o.c.fulfillment_status.in_(list(fulfillment)))
    return list(conn.execute(query))


def order_row(conn: Connection, source: str, external_id: str):
    query = _orders_query(_o.c.data).where(_o.c.source == source, _o.c.external_id == external_id)
    return conn.execute(query).first()


def order_rows_by_key(conn: Connection, keys: Iterable[tuple[str, str]]) -> list:
    found = []
    for batch in chunks(sorted(set(keys))):
        wanted = or_(*(and_(_o.c.source == s, _o.c.external_id == e) for s, e in batch))
        found += list(conn.execute(_orders_query().where(wanted)))
    return found


def event_rows(conn: Connection, order_id: int) -> list:
    e = t.order_events
    return list(conn.execute(select(e).where(e.c.order_id == order_id).order_by(e.c.id)))


def maybe_stuck_rows(conn: Connection) -> list:
    """Orders some stuck rule could apply to: open ones, COD delivered and not remitted, returned.

    A coarse filter so finished orders (most of them) are never looked at; the rules decide.
    """
    still_open = and_(_o.c.cancelled_at.is_(None), _o.c.payment_status != "refunded",
                      _o.c.fulfillment_status.in_(["unfulfilled", "shipped"]))
    unremitted = and_(_o.c.payment_method == "cod", _o.c.fulfillment_status == "delivered",
                      _s.c.remitted_at.is_(None))
    query = _orders_query().where(or_(still_open, unremitted, _o.c.fulfillment_status == "returned"))
    return list(conn.execute(query.order_by(_o.c.id)))


_STATE_KEYS = ("payment_status", "fulfillment_status", "cancelled")


def state_times(conn: Connection, order_ids: list[int]) -> dict[int, tuple[datetime, datetime | None]]:
    """order id -> (first seen, last time its payment, fulfilment or cancellation changed, or None)."""
    e = t.order_events
    found: dict[int, tuple[datetime, datetime | None]] = {}
    for batch in chunks(order_ids):
        query = select(e.c.order_id, e.c.at, e.c.kind, e.c.detail).where(e.c.order_id.in_(batch)).order_by(e.c.id)
        for row in conn.execute(query):
            first, last = found.get(row.order_id, (row.at, None))
            changed = (row.detail or {}).get("changed") or {}
            if row.kind != "created" and any(key in changed for key in _STATE_KEYS):
                last = row.at
            found[row.order_id] = (first, last)
    return found


def units_out(conn: Connection, order_ids: list[int]) -> dict[int, int]:
    """order id -> units shipped and not come back (reservations move no on_hand)."""
    found: dict[int, int] = {}
    for batch in chunks(order_ids):
        query = (select(_m.c.order_id, func.sum(_m.c.on_hand_delta)).where(_m.c.order_id.in_(batch))
                 .group_by(_m.c.order_id))
        found |= {oid: -int(total or 0) for oid, total in conn.execute(query)}
    return found


def latest_finished_runs(conn: Connection) -> list:
    """Each source's latest run that ended (succeeded or failed), with the source's name; every
    list of stuck orders or alerts asks, so it is kept a moment (adapters/db/kept_counts.py)."""
    return list(remembered(conn, "latest finished runs", lambda: tuple(_latest_finished_runs(conn))))


def _latest_finished_runs(conn: Connection) -> list:
    r = t.sync_runs
    latest = (select(r.c.source_id, func.max(r.c.id).label("id"))
              .where(r.c.status.in_(["succeeded", "failed"])).group_by(r.c.source_id).subquery())
    query = (select(r, t.sources.c.name.label("source")).join(latest, latest.c.id == r.c.id)
             .join(t.sources, t.sources.c.id == r.c.source_id).order_by(t.sources.c.name))
    return list(conn.execute(query))


# -- stock -------------------------------------------------------------------------------

def product_rows(conn: Connection, *, limit: int | None = None, offset: int = 0) -> list:
    """Products by SKU."""
    query = select(_p).order_by(_p.c.sku).offset(offset)
    return list(conn.execute(query if limit is None else query.limit(limit)))


def count_products(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(_p)).scalar_one()


def iter_products(conn: Connection, chunk: int = 1000) -> Iterator:
    for rows in conn.execution_options(yield_per=chunk).execute(select(_p).order_by(_p.c.sku)).partitions():
        yield from rows


def movement_rows(conn: Connection, sku: str, limit: int | None = None, offset: int = 0) -> list:
    """A SKU's movements, newest first, with the order behind each (if any): the page's keys
    first, from the SKU's index, so a deep offset joins no orders."""
    keys = select(_m.c.id).where(_m.c.sku == sku).order_by(_m.c.id.desc()).offset(offset)
    if limit is not None:
        keys = keys.limit(limit)
    query = (select(_m, _o.c.source, _o.c.external_id).select_from(_m.outerjoin(_o, _o.c.id == _m.c.order_id))
             .where(_m.c.id.in_(keys)).order_by(_m.c.id.desc()))
    return list(conn.execute(query))


def iter_movement_rows(conn: Connection, sku: str, chunk: int = 1000) -> Iterator:
    query = (select(_m, _o.c.source, _o.c.external_id).select_from(_m.outerjoin(_o, _o.c.id == _m.c.order_id))
             .where(_m.c.sku == sku).order_by(_m.c.id.desc()))
    for rows in conn.execution_options(yield_per=chunk).execute(query).partitions():
        yield from rows


def count_movements(conn: Connection, sku: str) -> int:
    return conn.execute(select(func.count()).select_from(_m).where(_m.c.sku == sku)).scalar_one()


def order_movement_rows(conn: Connection, order_id: int) -> list:
    return list(conn.execute(select(_m).where(_m.c.order_id == order_id).order_by(_m.c.id)))


def first_orders_of(conn: Connection, skus: list[str]) -> dict[str, str]:
    """sku -> "source:external_id" of the first order that moved it (who sold an unknown SKU);
    asked by every list of alerts, so kept a moment (adapters/db/kept_counts.py)."""
    return dict(remembered(conn, ("first orders", tuple(skus)), lambda: _first_orders_of(conn, skus)))


def _first_orders_of(conn: Connection, skus: list[str]) -> dict[str, str]:
    found = {}
    for sku in skus:  # one short walk of the SKU's index each: a MIN over all its movements is not
        first = (select(_m.c.order_id).where(_m.c.sku == sku, _m.c.order_id.is_not(None))
                 .order_by(_m.c.id).limit(1).scalar_subquery())
        row = conn.execute(select(_o.c.source, _o.c.external_id).where(_o.c.id == first)).first()
        if row is not None:
            found[sku] = f"{row.source}:{row.external_id}"
    return found


def available_fell_at(conn: Connection, sku: str, available_now: int, level: int,
                      created_at: datetime) -> datetime:
    """When available last went from above `level` to at or below it (it is there now).

    Replays the movements' running sum backwards from today's position, so a product whose
    numbers were set before any movement still gets a sensible moment (its creation).
    """
    total = conn.execute(select(func.coalesce(func.sum(_m.c.on_hand_delta - _m.c.reserved_delta), 0))
                         .where(_m.c.sku == sku)).scalar_one()
    base = available_now - int(total)
    running = select(_m.c.id, func.sum(_m.c.on_hand_delta - _m.c.reserved_delta)
                     .over(order_by=_m.c.id).label("cum")).where(_m.c.sku == sku).subquery()
    last_fine = conn.execute(select(func.max(running.c.id)).where(running.c.cum + base > level)).scalar()
    if last_fine is None and base <= level:
        return created_at
    after = select(_m.c.at).where(_m.c.sku == sku).order_by(_m.c.id).limit(1)
    if last_fine is not None:
        after = after.where(_m.c.id > last_fine)
    return conn.execute(after).scalar() or created_at


# -- cash on delivery --------------------------------------------------------------------

def cod_parcels(conn: Connection, carrier: str, trackings: Iterable[str]) -> list:
    """COD shipments of one carrier by tracking number, with their order and any remittance."""
    c = t.cod_remittances
    found = []
    for batch in chunks(sorted(set(trackings))):
        query = (select(_s.c.id, _s.c.tracking_number, _s.c.cod_amount, _s.c.remitted_at, _s.c.delivered_at,
                        _o.c.source, _o.c.external_id, _o.c.payment_status, _o.c.fulfillment_status,
                        c.c.statement.label("remitted_by"))
                 .join(_o, _o.c.id == _s.c.order_id).outerjoin(c, c.c.id == _s.c.remittance_id)
                 .where(_s.c.carrier == carrier, _s.c.tracking_number.in_(batch),
                        _s.c.cod_amount.is_not(None), _o.c.payment_method == "cod"))
        found += list(conn.execute(query))
    return found


def cod_outstanding_rows(conn: Connection) -> list:
    """COD the couriers collected (the order is paid) and have not paid over yet."""
    query = (select(_s.c.carrier, _s.c.carrier_name, _s.c.tracking_number, _s.c.cod_amount, _s.c.delivered_at,
                    _s.c.shipped_at, _o.c.paid_at, _o.c.source, _o.c.external_id)
             .join(_o, _o.c.id == _s.c.order_id)
             .where(_o.c.payment_method == "cod", _o.c.payment_status == "paid", _s.c.cod_amount.is_not(None),
                    _s.c.remitted_at.is_(None))
             .order_by(_s.c.id))
    return list(conn.execute(query))


def account_balance(conn: Connection, code: str):
    """Debit minus credit of one account over every entry (Decimal baht through Money)."""
    l = t.journal_lines
    debit, credit = conn.execute(select(func.sum(l.c.debit), func.sum(l.c.credit)).where(l.c.account == code)).one()
    return (debit or ZERO) - (credit or ZERO)
