"""Orders as staff read them: both status axes, the one display status, why one is stuck,
and one order with everything that hangs off it (documents, entries, shipment, stock, events).

The display status and the stuck reasons are derived here at read time from what the
orders, shipments, stock movements, order events and sync runs already say: nothing is
stored for them, so the import path pays nothing.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine

from shopledger.adapters.db import reads, shop_reads
from shopledger.adapters.db.engine import reading
from shopledger.adapters.db.settings_repo import read_settings
from shopledger.domain.clock import utc_now
from shopledger.domain.errors import DomainError, NotFound
from shopledger.domain.money import fmt
from shopledger.domain.orders.model import Channel, Customer, Order, PaymentMethod
from shopledger.domain.orders.model import FulfillmentStatus as F
from shopledger.domain.orders.model import PaymentStatus as P
from shopledger.domain.orders.status import DisplayStatus, display_status
from shopledger.domain.orders.stuck import OrderFacts, StuckReason, StuckRules, stuck_reasons
from shopledger.services.products import iso, movement_view

# Which fulfilment values a display status can come from: narrows the query, the domain decides.
_FULFILMENT_OF: dict[DisplayStatus, tuple[str, ...]] = {
    DisplayStatus.RETURNED: ("returned",),
    DisplayStatus.REFUNDED: ("unfulfilled", "shipped", "delivered"),
    DisplayStatus.CANCELLED: ("unfulfilled", "shipped", "delivered"),
    DisplayStatus.COMPLETED: ("delivered",),
    DisplayStatus.DELIVERED: ("delivered",),
    DisplayStatus.COD_AWAITING_REMITTANCE: ("delivered",),
    DisplayStatus.SHIPPED: ("shipped",),
    DisplayStatus.TO_SHIP: ("unfulfilled",),
    DisplayStatus.AWAITING_PAYMENT: ("unfulfilled",),
    DisplayStatus.CHECKING_PAYMENT: ("unfulfilled",),
}


def list_orders(engine: Engine, *, status: str | None = None, stuck: bool = False, now: datetime | None = None,
                limit: int | None = None, offset: int = 0) -> list[dict]:
    """Orders oldest first; `status` a display status; `stuck` only stuck ones, each with why."""
    wanted = parse_display_status(status) if status else None
    with reading(engine) as conn:
        if stuck:
            found = stuck_orders(conn, now or utc_now())
        else:
            rows = shop_reads.order_rows(conn, fulfillment=_FULFILMENT_OF[wanted] if wanted else None)
            found = [(row, None) for row in rows]
    views = [summary_view(row, reasons) for row, reasons in found]
    if wanted is not None:
        views = [v for v in views if v["display_status"] == wanted.value]
    return views[offset:None if limit is None else offset + limit]


def order_detail(engine: Engine, source: str, external_id: str, now: datetime | None = None) -> dict:
    """One order: its interchange data, documents, entries, shipment, stock movements, events."""
    with reading(engine) as conn:
        row = shop_reads.order_row(conn, source, external_id)
        if row is None:
            raise NotFound("order", f"{source}:{external_id}")
        reasons = _reasons_for(conn, [row], now or utc_now()).get(row.id, [])
        return summary_view(row, reasons) | {
            "data": row.data,
            "shipment": shipment_view(row),
            "documents": reads.documents(conn, order_id=row.id),
            "entries": reads.entries(conn, order_id=row.id),
            "stock_movements": [movement_view(m) | {"order": _key(row)}
                                for m in shop_reads.order_movement_rows(conn, row.id)],
            "events": [event_view(e) for e in shop_reads.event_rows(conn, row.id)],
        }


def parse_display_status(text: str) -> DisplayStatus:
    try:
        return DisplayStatus(text.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        known = ", ".join(s.value for s in DisplayStatus)
        raise DomainError("invalid_status", f"{text!r} is not a display status ({known})",
                          {"status": text}) from None


def stuck_orders(conn: Connection, now: datetime) -> list[tuple[object, list[StuckReason]]]:
    """Every stuck order (row, reasons), oldest first; an order whose last sync failed included."""
    failures = failed_syncs(conn)
    rows = {row.id: row for row in shop_reads.maybe_stuck_rows(conn)}
    rows |= {row.id: row for row in shop_reads.order_rows_by_key(conn, failures)}
    ordered = [rows[oid] for oid in sorted(rows)]
    reasons = _reasons_for(conn, ordered, now, failures)
    return [(row, reasons[row.id]) for row in ordered if reasons.get(row.id)]


def failed_syncs(conn: Connection) -> dict[tuple[str, str], tuple[str, datetime]]:
    """(source, external_id) -> (why, when) for orders that failed in their source's latest run."""
    found: dict[tuple[str, str], tuple[str, datetime]] = {}
    for run in shop_reads.latest_finished_runs(conn):
        when = run.ended_at or run.started_at
        for failure in run.failures or []:
            if failure.get("external_id") and when is not None:
                found[(run.source, str(failure["external_id"]))] = (failure.get("reason") or "failed", when)
    return found


def stuck_rules(conn: Connection) -> StuckRules:
    return StuckRules.from_settings(read_settings(conn).get("stuck_rules") or {})


def _reasons_for(conn: Connection, rows: list, now: datetime,
                 failures: dict | None = None) -> dict[int, list[StuckReason]]:
    failures = failed_syncs(conn) if failures is None else failures
    rules = stuck_rules(conn)
    ids = [row.id for row in rows]
    times = shop_reads.state_times(conn, ids)
    out = shop_reads.units_out(conn, [row.id for row in rows if row.fulfillment_status == "returned"])
    return {row.id: stuck_reasons(_facts(row, times.get(row.id), out.get(row.id, 0),
                                         failures.get((row.source, row.external_id))), rules, now)
            for row in rows}


def _facts(row, times, units_out: int, failure) -> OrderFacts:
    first_seen, last_change = times or (row.updated_at, None)
    return OrderFacts(
        order_key=_key(row), payment_status=P(row.payment_status), fulfillment_status=F(row.fulfillment_status),
        placed_at=row.placed_at, cancelled=_cancelled(row), is_cod=row.payment_method == "cod",
        cod_remitted=row.remitted_at is not None, returned_restocked=units_out <= 0,
        last_sync_failed=failure[0] if failure else None, sync_failed_at=failure[1] if failure else None,
        status_since=_status_since(row, first_seen, last_change), paid_at=row.paid_at,
        shipped_at=row.shipped_at, delivered_at=row.delivered_at, returned_at=row.returned_at)


def _status_since(row, first_seen: datetime, last_change: datetime | None) -> datetime | None:
    """When the order's current state began, as far as our own records tell.

    A state seen at the first import began before we saw it: for an order still waiting
    for payment or shipping the rules then fall back to its own placed_at/paid_at; for a
    later state our first sight of it is the best we know.
    """
    if last_change is not None:
        return last_change
    return None if row.fulfillment_status == "unfulfilled" else first_seen


def head_order(row) -> Order:
    """Enough of an order to derive its display status, without parsing its stored data."""
    return Order(source=row.source, external_id=row.external_id, channel=Channel(row.channel),
                 placed_at=row.placed_at, updated_at=row.updated_at, payment_status=P(row.payment_status),
                 fulfillment_status=F(row.fulfillment_status), payment_method=PaymentMethod(row.payment_method),
                 customer=Customer(row.customer_name), lines=(), total=row.total,
                 cancelled_at=row.cancelled_at, paid_at=row.paid_at)


def summary_view(row, reasons: list[StuckReason] | None = None) -> dict:
    shown = display_status(head_order(row), cod_remitted=row.remitted_at is not None)
    view = {"id": row.id, "source": row.source, "external_id": row.external_id, "channel": row.channel,
            "customer_name": row.customer_name, "payment_method": row.payment_method,
            "payment_status": row.payment_status, "fulfillment_status": row.fulfillment_status,
            "cancelled": _cancelled(row), "display_status": shown.value, "display_label": shown.label,
            "display_label_th": shown.label_th, "total": fmt(row.total), "placed_at": iso(row.placed_at),
            "cancelled_at": iso(row.cancelled_at),
            "updated_at": iso(row.updated_at), "carrier": row.carrier_name, "tracking_number": row.tracking_number,
            "tracking_url": row.tracking_url, "cod_remitted": row.remitted_at is not None}
    if reasons is not None:
        view["stuck"] = [reason_view(r) for r in reasons]
    return view


def shipment_view(row) -> dict | None:
    if row.tracking_number is None:
        return None
    return {"carrier": row.carrier, "carrier_name": row.carrier_name, "tracking_number": row.tracking_number,
            "tracking_url": row.tracking_url, "shipped_at": iso(row.shipped_at),
            "delivered_at": iso(row.delivered_at), "returned_at": iso(row.returned_at),
            "cod_amount": fmt(row.cod_amount) if row.cod_amount is not None else None,
            "remitted_at": iso(row.remitted_at)}


def reason_view(reason: StuckReason) -> dict:
    return {"kind": reason.kind, "code": reason.code, "reason": reason.reason, "action": reason.action,
            "since": iso(reason.since)}


def event_view(row) -> dict:
    """When, what changed, by whom: the detail as stored plus one line a person reads."""
    return {"at": iso(row.at), "kind": row.kind, "actor": row.actor, "detail": row.detail,
            "what": describe_event(row.kind, row.detail or {})}


def describe_event(kind: str, detail: dict) -> str:
    if kind == "created":
        parts = [f"created: payment {detail.get('payment_status')}, fulfilment {detail.get('fulfillment_status')}"]
    else:
        changed = detail.get("changed") or {}
        parts = [f"{name} {old} -> {new}" for name, (old, new) in changed.items()] or ["updated"]
    if detail.get("documents"):
        parts.append("issued " + ", ".join(detail["documents"]))
    if detail.get("voided"):
        parts.append("voided " + ", ".join(detail["voided"]))
    return "; ".join(parts)


def _key(row) -> str:
    return f"{row.source}:{row.external_id}"


def _cancelled(row) -> bool:
    """As Order.is_cancelled: cancelled, refunded or returned (accounting-rules.md)."""
    return row.cancelled_at is not None or row.payment_status == "refunded" or row.fulfillment_status == "returned"
