"""The stock side of applying orders: moving-average cost on the positions as they are now.

The quantities were planned with the order (services/order_plan.py); here, under the books'
lock, they are valued: a shipment leaves at the average cost, a return comes back at the cost
it left with, and the cost of goods sold is posted.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from shopledger.adapters.db import stock_repo
from shopledger.domain.accounting.journal import EntryDraft
from shopledger.domain.clock import business_date
from shopledger.domain.orders.model import Order
from shopledger.domain.stock.cost import StockPosition, reserve
from shopledger.domain.stock.movements import Movement, MovementKind, OrderStockState, cost_movements
from shopledger.domain.stock.posting import movement_entries
from shopledger.domain.sync.policy import BooksPolicy


class StockLedger:
    """Positions of the SKUs a chunk touches, loaded once; movements written in bulk."""

    def __init__(self, conn: Connection, orders: list[Order], past: list[list[Movement]],
                 policy: BooksPolicy, now: datetime):
        self.conn, self.now, self.policy = conn, now, policy
        skus = sorted({line.sku for order in orders for line in order.lines})
        products = stock_repo.products_by_sku(conn, skus)
        unknown = {s for s in skus if s not in products}
        if unknown:
            stock_repo.create_products(conn, _unknown_products(orders, unknown), now)
            products = stock_repo.products_by_sku(conn, skus)
        # A SKU an edit dropped from the order still has a reservation to release: load it too.
        dropped = sorted({m.sku for moves in past for m in moves} - set(skus))
        products |= stock_repo.products_by_sku(conn, dropped)
        self.positions = {sku: stock_repo.position_of(row) for sku, row in products.items()}
        self.rows: list[dict] = []
        self.touched: set[str] = set()

    def follow(self, order: Order, order_id: int, past: list[Movement],
               planned: list[Movement]) -> list[tuple[str, EntryDraft]]:
        """Value and record the planned movements; returns the entries they post, with causes."""
        if not planned:
            return []
        if all(m.on_hand_delta == 0 for m in planned):
            self._reserve_only(planned, order_id)
            return []
        costed = cost_movements(planned, self.positions, OrderStockState.from_movements(past))
        self.positions.update(costed.positions)
        self.touched.update(m.sku for m in costed.movements)
        self.rows += [stock_repo.movement_row(m, order_id, self.now) for m in costed.movements]
        day = self.policy.open_day(business_date(_moment(order, costed.movements)))
        memo = f"stock {order.source}:{order.external_id}"
        return [(f"stock:{len(past)}:{i}", e) for i, e in enumerate(movement_entries(day, memo, costed.movements))]

    def _reserve_only(self, planned: list[Movement], order_id: int) -> None:
        """Reservations and releases move no goods and no value: no costing, no entry."""
        for move in planned:
            self.positions[move.sku] = reserve(self.positions.get(move.sku, StockPosition()), move.reserved_delta)
        self.rows += [stock_repo.movement_row(m, order_id, self.now) for m in planned]

    def flush(self) -> None:
        last_costs = {sku: self.positions[sku].last_unit_cost for sku in self.touched}
        stock_repo.record_movements(self.conn, self.rows, last_costs)
        self.rows, self.touched = [], set()


def _moment(order: Order, movements: list[Movement]) -> datetime:
    """Goods leave on the shipment's date; anything else (a return, a restock) when the order said so."""
    ships = any(m.kind == MovementKind.SHIP and m.on_hand_delta < 0 for m in movements)
    if ships and order.shipment and order.shipment.shipped_at:
        return order.shipment.shipped_at
    return order.updated_at


def _unknown_products(orders: list[Order], unknown: set[str]) -> list[dict]:
    seen: dict[str, dict] = {}
    for order in orders:
        for line in order.lines:
            if line.sku in unknown and line.sku not in seen:
                seen[line.sku] = {"sku": line.sku, "name": line.name, "price": line.unit_price,
                                  "created_from": "unknown_sku"}
    return list(seen.values())
