"""Products, positions and stock movements, read and written in bulk inside a writing transaction.

Positions change by deltas (`on_hand = on_hand + :d`), so even a writer that skipped the
books' lock could not lose another's update; under the lock the deltas are also exact.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, bindparam, case, func, null, select, update

from shopledger.adapters.db import settings_repo, tables as t
from shopledger.adapters.db.bulk import BulkInsert
from shopledger.adapters.db.shop_reads import available_fell_at
from shopledger.adapters.db.types import UtcDateTime
from shopledger.adapters.db.upsert import insert_ignoring_duplicates
from shopledger.domain.money import ZERO, to_satang
from shopledger.domain.stock.cost import StockPosition
from shopledger.domain.stock.movements import Movement, MovementKind


def position_of(row) -> StockPosition:
    return StockPosition(row.on_hand, row.reserved, row.value_satang, row.last_unit_cost_satang)


def products_by_sku(conn: Connection, skus: list[str]) -> dict[str, object]:
    if not skus:
        return {}
    return {r.sku: r for r in conn.execute(select(t.products).where(t.products.c.sku.in_(skus)))}


def movements_by_order(conn: Connection, order_ids: list[int]) -> dict[int, list[Movement]]:
    found: dict[int, list[Movement]] = defaultdict(list)
    if not order_ids:
        return found
    m = t.stock_movements
    for r in conn.execute(select(m).where(m.c.order_id.in_(order_ids)).order_by(m.c.id)):
        found[r.order_id].append(Movement(r.sku, MovementKind(r.kind), r.on_hand_delta, r.reserved_delta,
                                          r.value_delta_satang, r.cause, r.ref, r.refund_id))
    return found


def create_products(conn: Connection, rows: list[dict], now: datetime) -> None:
    """New products with no stock (an unknown SKU on an order is created so nothing is lost); a
    row without a low_stock_at gets the settings' default level (settings_repo.DEFAULT_LOW_STOCK)."""
    if any("low_stock_at" not in r for r in rows):
        level = settings_repo.default_low_stock_level(conn)
        rows = [r if "low_stock_at" in r else r | {"low_stock_at": level} for r in rows]
    insert_ignoring_duplicates(conn, t.products, [
        {"sku": r["sku"], "name": r.get("name") or r["sku"], "price": r.get("price") or ZERO,
         "cost": r.get("cost") or ZERO, "low_stock_at": r.get("low_stock_at"), "on_hand": 0, "reserved": 0,
         "value_satang": 0, "last_unit_cost_satang": to_satang(r.get("cost") or ZERO),
         "created_from": r.get("created_from", "manual"), "created_at": now, "oversold_since": None,
         # nothing is available yet: low from the start when there is a level
         "low_since": now if r.get("low_stock_at") is not None else None} for r in rows])


def save_product(conn: Connection, sku: str, name: str, price: Decimal, cost: Decimal | None,
                 low_stock_at: int | None, now: datetime) -> None:
    create_products(conn, [{"sku": sku, "name": name, "price": price, "cost": cost, "low_stock_at": low_stock_at}], now)
    values = {"name": name, "price": price, "low_stock_at": low_stock_at, "created_from": "manual"}
    if cost is not None:
        # With nothing on hand there is no average: oversold units would leave at the stale
        # last cost (0 for a product first seen as an unknown SKU) instead of the one just set.
        p = t.products
        values |= {"cost": cost, "last_unit_cost_satang": case(
            (p.c.on_hand <= 0, to_satang(cost)), else_=p.c.last_unit_cost_satang)}
    conn.execute(update(t.products).where(t.products.c.sku == sku).values(values))


def record_movements(conn: Connection, rows: list[dict], last_costs: dict[str, int] | None = None) -> None:
    """Rows: a movement each, with order_id and at; positions move by the summed deltas."""
    if last_costs:
        conn.execute(update(t.products).where(t.products.c.sku == bindparam("k"))
                     .values(last_unit_cost_satang=bindparam("c")),
                     [{"k": sku, "c": cost} for sku, cost in sorted(last_costs.items())])
    if not rows:
        return
    _INSERT_MOVEMENTS.run(conn, rows)
    deltas: dict[str, list] = defaultdict(lambda: [0, 0, 0, None])
    for r in rows:
        d = deltas[r["sku"]]
        d[0] += r["on_hand_delta"]
        d[1] += r["reserved_delta"]
        d[2] += r["value_delta_satang"]
        d[3] = r["at"] if d[3] is None else max(d[3], r["at"])
    conn.execute(_MOVE_POSITION, [{"k": sku, "d_on_hand": d[0], "d_reserved": d[1], "d_value": d[2], "at": d[3]}
                                  for sku, d in sorted(deltas.items())])


def _position_update():
    """Positions move by the deltas; the moment available crosses below 0, or to the low-stock
    level, is noted (SET reads the row as it was, so `before` is the old position)."""
    p = t.products
    before = p.c.on_hand - p.c.reserved
    after = before + bindparam("d_on_hand") - bindparam("d_reserved")
    at = bindparam("at", type_=UtcDateTime())
    return update(p).where(p.c.sku == bindparam("k")).values(
        on_hand=p.c.on_hand + bindparam("d_on_hand"), reserved=p.c.reserved + bindparam("d_reserved"),
        value_satang=p.c.value_satang + bindparam("d_value"),
        oversold_since=case((after >= 0, null()), (before >= 0, at), else_=func.coalesce(p.c.oversold_since, at)),
        low_since=case((p.c.low_stock_at.is_(None), null()), (after > p.c.low_stock_at, null()),
                       (before > p.c.low_stock_at, at), else_=func.coalesce(p.c.low_since, at)))


_MOVE_POSITION = _position_update()


def restamp_low_since(conn: Connection, sku: str) -> None:
    """After the low-stock level changed: since when available has been at or below it, if it is."""
    row = conn.execute(select(t.products).where(t.products.c.sku == sku)).first()
    available = row.on_hand - row.reserved
    since = (None if row.low_stock_at is None or available > row.low_stock_at
             else available_fell_at(conn, sku, available, row.low_stock_at, row.created_at))
    conn.execute(update(t.products).where(t.products.c.sku == sku).values(low_since=since))


def fill_in_alert_times(conn: Connection) -> int:
    """Products oversold or low whose moment is not noted (stored before it was): replayed once."""
    p = t.products
    available = p.c.on_hand - p.c.reserved
    done = 0
    for row in conn.execute(select(p).where(((available < 0) & p.c.oversold_since.is_(None))
                                            | ((available <= p.c.low_stock_at) & p.c.low_since.is_(None)))).all():
        now_available = row.on_hand - row.reserved
        values = {}
        if now_available < 0 and row.oversold_since is None:
            values["oversold_since"] = available_fell_at(conn, row.sku, now_available, -1, row.created_at)
        if row.low_stock_at is not None and now_available <= row.low_stock_at and row.low_since is None:
            values["low_since"] = available_fell_at(conn, row.sku, now_available, row.low_stock_at, row.created_at)
        conn.execute(update(p).where(p.c.sku == row.sku).values(values))
        done += 1
    return done


_INSERT_MOVEMENTS = BulkInsert(t.stock_movements, ["sku", "kind", "on_hand_delta", "reserved_delta",
                                                  "value_delta_satang", "order_id", "refund_id", "cause", "ref", "at"])


def movement_row(move: Movement, order_id: int | None, now: datetime) -> dict:
    return {"sku": move.sku, "kind": str(move.kind), "on_hand_delta": move.on_hand_delta,
            "reserved_delta": move.reserved_delta, "value_delta_satang": move.value_delta,
            "order_id": order_id, "refund_id": move.refund_id, "cause": move.cause[:300], "ref": move.ref[:300],
            "at": now}
