"""The stock side of taking orders: reservations, deductions at moving-average cost, returns.

Runs inside the chunk's writing transaction, next to the documents: the planner compares
what the order says with what its past movements did, and only the difference moves.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from shopledger.adapters.db import stock_repo
from shopledger.adapters.db.settings_repo import load_policy
from shopledger.domain.accounting.journal import EntryDraft
from shopledger.domain.clock import business_date
from shopledger.domain.orders.model import Order
from shopledger.domain.stock.cost import StockPosition, reserve
from shopledger.domain.stock.movements import (
    Movement,
    MovementKind,
    OrderStockState,
    cost_movements,
    plan_order_stock,
)
from shopledger.domain.stock.posting import movement_entries


class OrderStock:
    """Positions and past movements for one chunk of orders, loaded in a few queries."""

    def __init__(self, conn: Connection, orders: list[Order], known_order_ids: list[int], now: datetime):
        self.conn, self.now = conn, now
        self.policy = load_policy(conn)  # stock entries, like documents, never land in a closed period
        skus = sorted({line.sku for order in orders for line in order.lines})
        products = stock_repo.products_by_sku(conn, skus)
        self.unknown = [s for s in skus if s not in products]
        if self.unknown:
            stock_repo.create_products(conn, _unknown_products(orders, set(self.unknown)), now)
            products = stock_repo.products_by_sku(conn, skus)
        self.held = stock_repo.movements_by_order(conn, known_order_ids)
        # A SKU an edit dropped from the order still has a reservation to release: load it too.
        dropped = sorted({m.sku for moves in self.held.values() for m in moves} - set(skus))
        products |= stock_repo.products_by_sku(conn, dropped)
        self.positions = {sku: stock_repo.position_of(row) for sku, row in products.items()}
        self.rows: list[dict] = []
        self.touched: set[str] = set()

    def follow(self, order: Order, order_id: int) -> list[tuple[str, EntryDraft]]:
        """Move stock for this version of the order; returns the entries it posts, with causes."""
        past = self.held.get(order_id, [])
        held = OrderStockState.from_movements(past)
        planned = plan_order_stock(order, held)
        if not planned:
            return []
        if all(m.on_hand_delta == 0 for m in planned):
            return self._reserve_only(planned, order_id, past)
        costed = cost_movements(planned, self.positions, held)
        self.positions.update(costed.positions)
        self.touched.update(m.sku for m in costed.movements)
        self.rows += [stock_repo.movement_row(m, order_id, self.now) for m in costed.movements]
        self.held[order_id] = past + costed.movements
        day = self.policy.open_day(business_date(_moment(order, costed.movements)))
        memo = f"stock {order.source}:{order.external_id}"
        return [(f"stock:{len(past)}:{i}", e) for i, e in enumerate(movement_entries(day, memo, costed.movements))]

    def _reserve_only(self, planned: list, order_id: int, past: list) -> list:
        """Reservations and releases move no goods and no value: no costing, no entry."""
        for move in planned:
            self.positions[move.sku] = reserve(self.positions.get(move.sku, StockPosition()), move.reserved_delta)
        self.rows += [stock_repo.movement_row(m, order_id, self.now) for m in planned]
        self.held[order_id] = past + planned
        return []

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
