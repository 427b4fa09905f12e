"""Moving-average costing on integer satang: exact, no residue, oversell allowed.

A `StockPosition` is one SKU's quantities and the value of its goods in satang. Every
function returns a new position plus the money that moved, so the service can write the
movement and post the journal entry from the same numbers.

Overselling (the shop has already sold what it sends, so an order is never refused):
- goods issued beyond what is on hand leave at the last known average cost
  (`unit_cost`), so on_hand and value both go negative together;
- goods coming in (a receipt or a return) first settle that shortfall. The settled units
  really cost what came in, so the gap between that and what was booked when they left
  is a cost-of-goods-sold true-up (`Inflow.cogs_adjustment`, positive = more cost). That
  is what keeps the invariant "on_hand 0 means value 0": no residue ever stays behind.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from shopledger.domain.errors import DomainError
from shopledger.domain.money import CENT


def div_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half away from zero, in integers (no Decimal context)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    magnitude = (2 * abs(numerator) + denominator) // (2 * denominator)
    return magnitude if numerator >= 0 else -magnitude


def share(total: int, part: int, whole: int) -> int:
    """The part of `total` that `part` units out of `whole` carry, rounded half-up.

    Exact integer arithmetic, so the whole (part == whole) always takes all of `total`:
    the last units out leave no residue behind.
    """
    return div_half_up(total * part, whole)


@dataclass(frozen=True, slots=True)
class StockPosition:
    """One SKU: units on hand, units reserved by open orders, value of on_hand in satang.

    `last_unit_cost` (satang per unit) is what oversold units leave at when nothing is on
    hand to average over: the service seeds it from the product's cost.
    """

    on_hand: int = 0
    reserved: int = 0
    value: int = 0
    last_unit_cost: int = 0

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved

    @property
    def unit_cost(self) -> int:
        """Average cost per unit in satang (rounded), or the last known one with nothing on hand."""
        if self.on_hand > 0:
            return div_half_up(self.value, self.on_hand)
        return self.last_unit_cost

    @property
    def avg_cost(self) -> Decimal:
        """Baht per unit for display, rounded half-up to the satang."""
        if self.on_hand > 0:
            exact = Decimal(self.value) / Decimal(self.on_hand) / 100
            return exact.quantize(CENT, rounding=ROUND_HALF_UP)
        return (Decimal(self.last_unit_cost) / 100).quantize(CENT)


class Inflow(NamedTuple):
    """Goods in: the new position, the value they brought, the COGS true-up of settled oversells."""

    position: StockPosition
    value: int
    cogs_adjustment: int


def _positive(qty: int, what: str) -> None:
    if qty <= 0:
        raise DomainError("invalid_quantity", f"{what} quantity must be positive, got {qty}",
                          {"quantity": qty})


def _remember_cost(pos: StockPosition, fallback: int) -> StockPosition:
    """Keep the average as the last known cost while stock is positive, else `fallback`."""
    last = div_half_up(pos.value, pos.on_hand) if pos.on_hand > 0 else fallback
    return StockPosition(pos.on_hand, pos.reserved, pos.value, last)


def _inflow(pos: StockPosition, qty: int, value: int) -> Inflow:
    adjustment = 0
    if pos.on_hand < 0:
        covered = min(qty, -pos.on_hand)
        booked = share(pos.value, covered, -pos.on_hand)   # negative: what left unpaid for
        actual = share(value, covered, qty)
        adjustment = actual + booked
    moved = StockPosition(pos.on_hand + qty, pos.reserved, pos.value + value - adjustment, pos.last_unit_cost)
    return Inflow(_remember_cost(moved, div_half_up(value, qty)), value, adjustment)


def receive(pos: StockPosition, qty: int, unit_cost: int) -> Inflow:
    """Goods received at `unit_cost` satang each (Dr 114101 / Cr 212101 for `value`)."""
    _positive(qty, "received")
    if unit_cost < 0:
        raise DomainError("invalid_cost", "a unit cost cannot be negative", {"unit_cost": unit_cost})
    return _inflow(pos, qty, qty * unit_cost)


def give_back(pos: StockPosition, qty: int, cost: int) -> Inflow:
    """Goods returned to stock at the total `cost` (satang) they left with."""
    _positive(qty, "returned")
    if cost < 0:
        raise DomainError("invalid_cost", "a return cannot carry a negative cost", {"cost": cost})
    return _inflow(pos, qty, cost)


def issue(pos: StockPosition, qty: int) -> tuple[StockPosition, int]:
    """Goods out at moving-average cost -> (position, cost_out in satang).

    Issuing everything on hand takes all the value left; units beyond it leave at the
    last known average cost and drive value negative with on_hand.
    """
    _positive(qty, "issued")
    unit = pos.unit_cost
    if pos.on_hand >= qty:
        cost = share(pos.value, qty, pos.on_hand)
    elif pos.on_hand > 0:
        cost = pos.value + (qty - pos.on_hand) * unit
    else:
        cost = qty * unit
    moved = StockPosition(pos.on_hand - qty, pos.reserved, pos.value - cost, pos.last_unit_cost)
    return _remember_cost(moved, unit), cost


def count(pos: StockPosition, counted: int) -> tuple[StockPosition, int]:
    """A stock count sets on_hand -> (position, value difference; positive = goods found).

    The counted units keep the current average (or the last known cost when nothing was
    on hand), so a count changes quantity, never the average.
    """
    if counted < 0:
        raise DomainError("invalid_quantity", f"a counted quantity cannot be negative, got {counted}",
                          {"quantity": counted})
    if counted == pos.on_hand:
        return pos, 0
    if pos.on_hand > 0:
        value = share(pos.value, counted, pos.on_hand)
    else:
        value = counted * pos.last_unit_cost
    moved = StockPosition(counted, pos.reserved, value, pos.last_unit_cost)
    return _remember_cost(moved, pos.unit_cost), value - pos.value


def reserve(pos: StockPosition, delta: int) -> StockPosition:
    """Reserve (positive) or release (negative) units; never below zero reserved."""
    reserved = pos.reserved + delta
    if reserved < 0:
        raise DomainError("invalid_reservation",
                          f"releasing {-delta} would leave {reserved} reserved", {"delta": delta})
    return StockPosition(pos.on_hand, reserved, pos.value, pos.last_unit_cost)  # hot path: no replace()
