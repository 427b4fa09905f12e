"""Stock movements and the planner that turns an order's state into them.

Two steps, so the planner stays a pure function of quantities:

1. `plan_order_stock(order, held)` compares what the order says now with what its past
   movements already did (`OrderStockState`) and emits only the difference, quantities
   only (`value_delta` 0). Replaying the same order emits nothing.
2. `cost_movements(planned, positions, held)` runs them through the moving average at
   apply time (inside the service's transaction, on the locked positions): a ship leaves
   at the average, a return or restock comes back at the cost those units left with, and
   settling oversold stock adds a REVALUE movement. After it, the value_delta of all
   movements of a SKU sums to that SKU's inventory value.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from shopledger.domain.errors import DomainError
from shopledger.domain.orders.model import FulfillmentStatus, Order
from shopledger.domain.stock import cost as costing
from shopledger.domain.stock.cost import StockPosition


class MovementKind(StrEnum):
    RESERVE = "reserve"
    RELEASE = "release"
    SHIP = "ship"
    RETURN = "return"
    RESTOCK = "restock"
    RECEIVE = "receive"
    COUNT = "count"
    REVALUE = "revalue"   # value only: the COGS true-up when oversold units are settled


class Movement(NamedTuple):
    """One change to one SKU. `ref` is the order ("source:external_id") or document behind it.
    A NamedTuple, not a dataclass: a large import makes hundreds of thousands."""

    sku: str
    kind: MovementKind   # compared with ==, so a plain string read back from storage works too
    on_hand_delta: int
    reserved_delta: int
    value_delta: int = 0
    cause: str = ""
    ref: str = ""
    refund_id: str = ""


_OUT_KINDS = (MovementKind.SHIP, MovementKind.RETURN, MovementKind.RESTOCK)


@dataclass(frozen=True)
class OrderStockState:
    """What one order's past movements did, per SKU (summed by `from_movements`).

    `shipped` is gross units deducted, `returned`/`restocked` gross units back;
    `restocked` is keyed by (refund id, sku) so each refund restocks once.
    `value_out` is the value (satang) of the units still out with the buyer.
    """

    reserved: Mapping[str, int] = field(default_factory=dict)
    shipped: Mapping[str, int] = field(default_factory=dict)
    returned: Mapping[str, int] = field(default_factory=dict)
    restocked: Mapping[tuple[str, str], int] = field(default_factory=dict)
    value_out: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_movements(cls, movements: Iterable[Movement]) -> OrderStockState:
        if not movements:
            return NOTHING_HELD
        reserved, shipped, returned, value_out = Counter(), Counter(), Counter(), Counter()
        restocked: Counter = Counter()
        for move in movements:
            reserved[move.sku] += move.reserved_delta
            if move.kind == MovementKind.SHIP:
                shipped[move.sku] -= move.on_hand_delta
            elif move.kind == MovementKind.RETURN:
                returned[move.sku] += move.on_hand_delta
            elif move.kind == MovementKind.RESTOCK:
                restocked[(move.refund_id, move.sku)] += move.on_hand_delta
            if move.kind in _OUT_KINDS:
                value_out[move.sku] -= move.value_delta
        return cls(dict(reserved), dict(shipped), dict(returned), dict(restocked), dict(value_out))

    def restocked_total(self, sku: str) -> int:
        return sum(qty for (_, line_sku), qty in self.restocked.items() if line_sku == sku)

    def out(self, sku: str) -> int:
        """Units of `sku` this order has with the buyer: shipped and not come back."""
        return (self.shipped.get(sku, 0) - self.returned.get(sku, 0)
                - self.restocked_total(sku))

    def skus(self) -> set[str]:
        return ({*self.reserved, *self.shipped, *self.returned}
                | {sku for _, sku in self.restocked})


NOTHING_HELD = OrderStockState()  # an order seen for the first time (the bulk of any import)


def _first_sight(order: Order) -> list[Movement]:
    """The general planner's answer for an order with no past movements, found directly:
    an open order reserves, a shipped one ships, a cancelled unshipped one moves nothing."""
    shipped = order.fulfillment_status in (FulfillmentStatus.SHIPPED, FulfillmentStatus.DELIVERED)
    if order.is_cancelled and not shipped:
        return []
    ref = order_ref(order)
    if shipped:
        return [Movement(sku, MovementKind.SHIP, -qty, 0, cause=f"order {ref} shipped", ref=ref)
                for sku, qty in _quantities(order).items()]
    return [Movement(sku, MovementKind.RESERVE, 0, qty, cause=f"order {ref} reserved", ref=ref)
            for sku, qty in _quantities(order).items()]


def order_ref(order: Order) -> str:
    return f"{order.source}:{order.external_id}"


def _quantities(order: Order) -> dict[str, int]:
    wanted: dict[str, int] = {}
    for line in order.lines:
        wanted[line.sku] = wanted.get(line.sku, 0) + line.quantity
    return wanted


def _targets(order: Order, sku: str, qty: int, held: OrderStockState) -> tuple[int, int]:
    """(units that should be reserved, units that should have been shipped) for one SKU.

    A RETURNED order keeps what was shipped (it never ships anew: a parcel we never saw
    leave only releases its reservation). Cancelling after shipping brings nothing back:
    only a return or a restocking refund does.
    """
    status = order.fulfillment_status
    if status in (FulfillmentStatus.SHIPPED, FulfillmentStatus.DELIVERED):
        return 0, qty
    if status is FulfillmentStatus.RETURNED:
        return 0, held.shipped.get(sku, 0)
    return (0 if order.is_cancelled else qty), 0


def _ship_and_reserve(sku: str, target_reserved: int, target_shipped: int,
                      held: OrderStockState, ref: str, cancelled: bool) -> list[Movement]:
    moves: list[Movement] = []
    reserved = held.reserved.get(sku, 0)
    to_ship = target_shipped - held.shipped.get(sku, 0)
    if to_ship > 0:
        consumed = min(to_ship, reserved)
        reserved -= consumed
        moves.append(Movement(sku, MovementKind.SHIP, -to_ship, -consumed,
                              cause=f"order {ref} shipped", ref=ref))
    elif to_ship < 0:
        # A shipment the source now says never happened: only units still out come back.
        undone = min(-to_ship, held.out(sku))
        if undone > 0:
            moves.append(Movement(sku, MovementKind.SHIP, undone, 0,
                                  cause=f"order {ref} shipment undone", ref=ref))
    change = target_reserved - reserved
    if change > 0:
        moves.append(Movement(sku, MovementKind.RESERVE, 0, change,
                              cause=f"order {ref} reserved", ref=ref))
    elif change < 0:
        why = "cancelled before shipping" if cancelled else "changed"
        moves.append(Movement(sku, MovementKind.RELEASE, 0, change,
                              cause=f"order {ref} {why}", ref=ref))
    return moves


def _restocks(order: Order, out: Counter, held: OrderStockState, ref: str) -> list[Movement]:
    """Restocking refunds put back goods that went out, once per refund and line.

    Before the goods go out a restock waits: the reservation already follows the order.
    """
    moves = []
    for refund in order.refunds:
        if not refund.restock:
            continue
        lines = Counter()
        for line in refund.lines:
            lines[line.sku] += line.quantity
        for sku, quantity in lines.items():
            wanted = quantity - held.restocked.get((refund.external_id, sku), 0)
            qty = min(wanted, out[sku])
            if qty > 0:
                out[sku] -= qty
                moves.append(Movement(sku, MovementKind.RESTOCK, qty, 0,
                                      cause=f"refund {refund.external_id} on order {ref} restocked",
                                      ref=ref, refund_id=refund.external_id))
    return moves


def plan_order_stock(order: Order, held: OrderStockState) -> list[Movement]:
    """The movements that bring this order's stock effect from `held` to what it says now."""
    if held is NOTHING_HELD and not order.refunds and order.fulfillment_status is not FulfillmentStatus.RETURNED:
        return _first_sight(order)
    ref = order_ref(order)
    wanted = _quantities(order)
    skus = list(wanted) + sorted(held.skus() - set(wanted))
    moves: list[Movement] = []
    out: Counter = Counter()
    for sku in skus:
        target_reserved, target_shipped = _targets(order, sku, wanted.get(sku, 0), held)
        sku_moves = _ship_and_reserve(sku, target_reserved, target_shipped, held, ref,
                                      order.is_cancelled)
        moves += sku_moves
        out[sku] = held.out(sku) - sum(m.on_hand_delta for m in sku_moves)
        if order.fulfillment_status is FulfillmentStatus.RETURNED and out[sku] > 0:
            moves.append(Movement(sku, MovementKind.RETURN, out[sku], 0,
                                  cause=f"order {ref} returned", ref=ref))
            out[sku] = 0
    return moves + _restocks(order, out, held, ref)


@dataclass(frozen=True)
class Costed:
    """Movements with their values, and the positions after them."""

    movements: list[Movement]
    positions: dict[str, StockPosition]


def _revalue(move: Movement, adjustment: int) -> list[Movement]:
    if not adjustment:
        return []
    return [Movement(move.sku, MovementKind.REVALUE, 0, 0, -adjustment,
                     cause=f"oversold units settled by {move.kind}", ref=move.ref)]


def cost_movements(planned: Iterable[Movement], positions: Mapping[str, StockPosition],
                   held: OrderStockState) -> Costed:
    """Value order movements on the current positions (a SKU not in `positions` starts empty)."""
    positions = dict(positions)
    out_qty = Counter({sku: held.out(sku) for sku in held.skus()})
    out_value = Counter(held.value_out)
    result: list[Movement] = []
    for move in planned:
        pos = positions.get(move.sku, StockPosition())
        extra: list[Movement] = []
        if move.kind in (MovementKind.RESERVE, MovementKind.RELEASE):
            value = 0
        elif move.kind == MovementKind.SHIP and move.on_hand_delta < 0:
            pos, cost_out = costing.issue(pos, -move.on_hand_delta)
            value = -cost_out
        elif move.kind in _OUT_KINDS:
            value = _back_cost(move, out_qty, out_value)
            pos, _, adjustment = costing.give_back(pos, move.on_hand_delta, value)
            extra = _revalue(move, adjustment)
        else:
            raise DomainError("invalid_movement", f"{move.kind} is not an order movement")
        out_qty[move.sku] -= move.on_hand_delta
        out_value[move.sku] -= value
        positions[move.sku] = costing.reserve(pos, move.reserved_delta)
        result += [Movement(move.sku, move.kind, move.on_hand_delta, move.reserved_delta, value,
                            move.cause, move.ref, move.refund_id)] + extra
    return Costed(result, positions)


def _back_cost(move: Movement, out_qty: Counter, out_value: Counter) -> int:
    """The cost units coming back left with: their share of what is still out."""
    qty, whole = move.on_hand_delta, out_qty[move.sku]
    if qty > whole:
        raise DomainError("invalid_movement",
                          f"{qty} of {move.sku} coming back but only {whole} went out")
    return costing.share(out_value[move.sku], qty, whole)


def plan_receipt(sku: str, pos: StockPosition, qty: int, unit_cost: int,
                 ref: str) -> tuple[list[Movement], StockPosition]:
    """Goods received at `unit_cost` satang each: a RECEIVE (and a REVALUE if oversold)."""
    new_pos, value, adjustment = costing.receive(pos, qty, unit_cost)
    move = Movement(sku, MovementKind.RECEIVE, qty, 0, value,
                    cause=f"{qty} received at {unit_cost} satang each", ref=ref)
    return [move] + _revalue(move, adjustment), new_pos


def plan_count(sku: str, pos: StockPosition, counted: int,
               ref: str) -> tuple[list[Movement], StockPosition]:
    """A stock count: one COUNT movement with the quantity and value difference, or none."""
    new_pos, difference = costing.count(pos, counted)
    if new_pos.on_hand == pos.on_hand:
        return [], pos
    move = Movement(sku, MovementKind.COUNT, counted - pos.on_hand, 0, difference,
                    cause=f"counted {counted}, system had {pos.on_hand}", ref=ref)
    return [move], new_pos
