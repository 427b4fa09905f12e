"""The state stored beside each order so lists filter in the database: its display status and,
per axis, the stuck-rule state it waits in and since when (thresholds are applied when read).

The domain works it out (status.status_of, stuck.waits) from what the order, its shipment and
its stock movements say. An order written through order_books.apply_chunk carries it in its
row (`planned_state`: worked out from the plan, so the row is written once); whoever else
changes one of those calls `refresh` for the orders touched, in the same transaction (the COD
remittance). `stale` says which orders' stored state is not what `refresh` would write.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import Connection, Engine

from shopledger.adapters.db import order_state, shop_reads
from shopledger.adapters.db.engine import writing
from shopledger.domain.orders.model import FulfillmentStatus as F
from shopledger.domain.orders.model import PaymentStatus as P
from shopledger.domain.orders.search import search_text
from shopledger.domain.orders.status import status_of
from shopledger.domain.orders.stuck import OrderFacts, waits

STATE_KEYS = ("payment_status", "fulfillment_status", "cancelled")  # what an order event calls its state


def refresh(conn: Connection, order_ids: Iterable[int]) -> None:
    """Work out and store the state of these orders; rows whose state is unchanged are not written."""
    order_state.write_states(conn, _changes(conn, order_ids))


def stale(conn: Connection, order_ids: Iterable[int]) -> list[int]:
    return [change["oid"] for change in _changes(conn, order_ids)]


def _changes(conn: Connection, order_ids: Iterable[int]) -> list[dict]:
    rows = order_state.fact_rows(conn, order_ids)
    out = shop_reads.units_out(conn, [row.id for row in rows if row.fulfillment_status == "returned"])
    changes = []
    for row in rows:
        state = state_of(row, out.get(row.id, 0))
        if any(getattr(row, name) != value for name, value in state.items()):
            changes.append(state | {"oid": row.id})
    return changes


def planned_state(plan, now: datetime, remitted_at: datetime | None) -> dict:
    """`state_changed_at`, `search_text` and the state of an order about to be written, from its plan (an
    order_plan.OrderPlan): the order's row, its shipment as it will be stored, its stock moves;
    `remitted_at`: when the courier paid its COD over, as stored now."""
    head, shipment = plan.head, plan.shipment or {}
    changed_at = now if state_changed(head, plan.event["detail"]) else (head.state_changed_at if head else None)
    row = SimpleNamespace(**(plan.row | {
        "created_at": now if head is None else head.created_at, "state_changed_at": changed_at,
        "shipped_at": shipment.get("shipped_at"), "delivered_at": shipment.get("delivered_at"),
        "returned_at": shipment.get("returned_at"), "remitted_at": remitted_at}))
    units_out = -sum(move.on_hand_delta for move in (*plan.stock_past, *plan.stock_planned))
    found_by = search_text(plan.row["external_id"], plan.row["customer_name"], plan.order.customer.phone,
                           shipment.get("tracking_number") or "")
    return {"state_changed_at": changed_at, "search_text": found_by} | state_of(row, units_out)


def refresh_shipments(conn: Connection, shipment_ids: Iterable[int]) -> None:
    refresh(conn, order_state.orders_of_shipments(conn, shipment_ids))


def state_of(row, units_out: int) -> dict:
    shown = status_of(P(row.payment_status), F(row.fulfillment_status), cancelled=row.cancelled_at is not None,
                      is_cod=row.payment_method == "cod", cod_remitted=row.remitted_at is not None)
    state: dict = dict.fromkeys(order_state.STATE_COLUMNS) | {"display_status": shown.value}
    for wait in waits(facts_of(row, units_out)):
        state[f"{wait.axis}_wait"], state[f"{wait.axis}_wait_since"] = wait.code, wait.since
    return state


def facts_of(row, units_out: int, failure: tuple[str, datetime] | None = None) -> OrderFacts:
    """A stored order's facts for the stuck rules; `failure`: (why, when) its last sync failed."""
    return OrderFacts(
        order_key=f"{row.source}:{row.external_id}", payment_status=P(row.payment_status),
        fulfillment_status=F(row.fulfillment_status), placed_at=row.placed_at, cancelled=cancelled(row),
        is_cod=row.payment_method == "cod", cod_remitted=row.remitted_at is not None,
        returned_restocked=units_out <= 0, last_sync_failed=failure[0] if failure else None,
        sync_failed_at=failure[1] if failure else None, status_since=status_since(row), paid_at=row.paid_at,
        shipped_at=row.shipped_at, delivered_at=row.delivered_at, returned_at=row.returned_at)


def status_since(row) -> datetime | None:
    """When the order's current state began, as far as our own records tell.

    A state seen at the first import began before we saw it: for an order still waiting
    for payment or shipping the rules then fall back to its own placed_at/paid_at; for a
    later state our first sight of it is the best we know.
    """
    if row.state_changed_at is not None:
        return row.state_changed_at
    return None if row.fulfillment_status == "unfulfilled" else (row.created_at or row.updated_at)


def cancelled(row) -> bool:
    """As Order.is_cancelled: cancelled, refunded or returned (accounting-rules.md)."""
    return row.cancelled_at is not None or row.payment_status == "refunded" or row.fulfillment_status == "returned"


def state_changed(head, event_detail: dict) -> bool:
    """An update event whose `changed` names the payment, fulfilment or cancellation."""
    return head is not None and any(key in (event_detail.get("changed") or {}) for key in STATE_KEYS)


def fill_in_missing(engine: Engine, batch: int = 2000) -> int:
    """Orders stored before their state was (an older database): when their state last changed,
    from their events, then their state. Each batch in a transaction of its own; how many."""
    done = 0
    while True:
        with writing(engine) as conn:
            ids = order_state.ids_without_state(conn, batch)
            if not ids:
                return done
            times = shop_reads.state_times(conn, ids)
            order_state.set_state_changed(conn, [{"oid": oid, "at": last} for oid, (_, last) in times.items()
                                                 if last is not None])
            refresh(conn, ids)
        done += len(ids)
