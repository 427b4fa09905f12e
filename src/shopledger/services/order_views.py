"""Orders as staff read them: both status axes, the one display status, why one is stuck,
and one order with everything that hangs off it (documents, entries, shipment, stock, events).

Lists filter in the database on the state stored beside each order (services/order_state.py):
the display status, and per stuck rule the state waited in since when, compared with the
merchant's thresholds at `now`. A failed sync is judged here from the latest runs. The
reasons shown are the domain's, worked out for the rows of the page only.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection, Engine

from shopledger.adapters.db import order_reads, reads, shop_reads
from shopledger.adapters.db.engine import reading
from shopledger.adapters.db.order_reads import OrderFilter
from shopledger.adapters.db.settings_repo import read_settings
from shopledger.domain.clock import utc_now
from shopledger.domain.errors import DomainError, NotFound
from shopledger.domain.money import fmt
from shopledger.domain.orders.model import Channel, Customer, Order, PaymentMethod
from shopledger.domain.orders.model import FulfillmentStatus as F
from shopledger.domain.orders.model import PaymentStatus as P
from shopledger.domain.orders.search import needles
from shopledger.domain.orders.status import DisplayStatus, display_status
from shopledger.domain.orders.stuck import SETTING_OF, StuckReason, StuckRules, cutoffs, stuck_reasons
from shopledger.services.listing import Page
from shopledger.services.order_state import cancelled, facts_of
from shopledger.services.products import iso, movement_view


@dataclass(frozen=True, slots=True)
class _Listing:
    """What one list asks for: the filter for SQL and, for the stuck view, what judges each row."""

    where: OrderFilter
    now: datetime
    rules: StuckRules | None = None  # None: rows are shown without reasons
    failures: dict | None = None


def list_orders(engine: Engine, *, status: str | None = None, stuck: bool = False, rule: str | None = None,
                search: str | None = None, now: datetime | None = None, limit: int | None = None,
                offset: int = 0) -> list[dict]:
    """Orders newest first; `status` a display status; `stuck` only stuck ones, each with why;
    `rule` only those stuck by one rule (a stuck-rule code, e.g. unpaid); `search` only those
    whose number, customer name, phone or tracking number holds it (domain/orders/search.py)."""
    with reading(engine) as conn:
        listing = _listing(conn, status, stuck, rule, now, search)
        return _views(conn, listing, order_reads.order_page(conn, listing.where, limit=limit, offset=offset))


def orders_page(engine: Engine, *, limit: int, offset: int = 0, status: str | None = None, stuck: bool = False,
                rule: str | None = None, search: str | None = None, now: datetime | None = None,
                narrow: dict | None = None) -> Page:
    """One page of list_orders and how many orders the filter matches in all; `narrow`: channel,
    payment_method, placed_from, placed_to (OrderFilter's fields)."""
    with reading(engine) as conn:
        listing = _listing(conn, status, stuck, rule, now, search)
        if narrow:
            listing = replace(listing, where=replace(listing.where, **narrow))
        rows, total = order_reads.order_page_counted(conn, listing.where, limit=limit, offset=offset)
        return Page(_views(conn, listing, rows), total, offset)


def iter_orders(engine: Engine, *, status: str | None = None, stuck: bool = False, rule: str | None = None,
                search: str | None = None, now: datetime | None = None) -> Iterator[dict]:
    """Every order list_orders would give, yielded while the database hands them over."""
    with reading(engine) as conn:
        listing = _listing(conn, status, stuck, rule, now, search)
        for rows in order_reads.order_stream(conn, listing.where):
            yield from _views(conn, listing, rows)


def _listing(conn: Connection, status: str | None, stuck: bool, rule: str | None, now: datetime | None,
             search: str | None = None) -> _Listing:
    wanted = parse_display_status(status).value if status else None
    found_by = needles(search or "")
    now = now or utc_now()
    if not stuck and not rule:
        return _Listing(OrderFilter(status=wanted, search=found_by), now)
    rules = stuck_rules(conn)
    limits = cutoffs(rules, now)
    if rule:
        limits = {code: at for code, at in limits.items() if code == parse_rule(rule)}
    failures = failed_syncs(conn)
    failed_ids: tuple[int, ...] = ()
    if "sync_failed" in limits:
        late = [key for key, (_, when) in failures.items() if when <= limits["sync_failed"]]
        failed_ids = tuple(sorted(order_reads.order_ids_by_key(conn, late).values()))
    waits = {code: at for code, at in limits.items() if code != "sync_failed"}
    return _Listing(OrderFilter(wanted, waits, failed_ids, found_by), now, rules, failures)


def _views(conn: Connection, listing: _Listing, rows: list) -> list[dict]:
    if listing.rules is None:
        return [summary_view(row) for row in rows]
    out = shop_reads.units_out(conn, [row.id for row in rows if row.fulfillment_status == "returned"])
    return [summary_view(row, stuck_reasons(facts_of(row, out.get(row.id, 0),
                                                      listing.failures.get((row.source, row.external_id))),
                                             listing.rules, listing.now))
            for row in rows]


def order_detail(engine: Engine, source: str, external_id: str, now: datetime | None = None) -> dict:
    """One order: its interchange data, documents, entries, shipment, stock movements, events."""
    with reading(engine) as conn:
        row = shop_reads.order_row(conn, source, external_id)
        if row is None:
            raise NotFound("order", f"{source}:{external_id}")
        failure = failed_syncs(conn).get((row.source, row.external_id))
        out = shop_reads.units_out(conn, [row.id]).get(row.id, 0) if row.fulfillment_status == "returned" else 0
        reasons = stuck_reasons(facts_of(row, out, failure), stuck_rules(conn), now or utc_now())
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


def parse_rule(text: str) -> str:
    code = text.strip().lower().replace("-", "_")
    if code not in SETTING_OF:
        raise DomainError("invalid_rule", f"{text!r} is not a stuck-order rule ({', '.join(SETTING_OF)})",
                          {"rule": text})
    return code


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
            "cancelled": cancelled(row), "display_status": shown.value, "display_label": shown.label,
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
            "since": iso(reason.since),
            "message": {"reason": reason.message, "action": reason.message, "params": reason.params}}


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
