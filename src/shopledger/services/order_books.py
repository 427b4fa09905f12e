"""Applying a planned chunk of orders to the books, under the books' write lock.

The plan (services/order_plan.py) already says what each order needs. Here the orders get
their ids, the documents their gapless numbers, the stock movements their costs, and every
row is written with a handful of bulk statements.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import orjson
from sqlalchemy import Connection

from shopledger.adapters.db import orders_repo, shipping_repo
from shopledger.adapters.db.books_repo import LedgerBatch, NumberBook
from shopledger.domain.limits import MAX_ACTOR, clip
from shopledger.domain.orders.model import Order
from shopledger.domain.sync.policy import BooksPolicy
from shopledger.services import order_state
from shopledger.services.order_plan import ChunkPlan, OrderPlan, plan_chunk
from shopledger.services.order_stock import StockLedger


@dataclass
class ChunkOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    order_ids: list[int] = field(default_factory=list)


def write_chunk(conn: Connection, orders: list[tuple[Order, str | None]], policy: BooksPolicy, actor: str,
                now: datetime) -> ChunkOutcome:
    """Plan and apply in the caller's writing transaction. `orders`: each with the hash of the
    record it came from (None when we made it)."""
    return apply_chunk(conn, plan_chunk(conn, orders, policy, now), actor, now)


def apply_chunk(conn: Connection, chunk: ChunkPlan, actor: str, now: datetime) -> ChunkOutcome:
    fresh = [p for p in chunk.plans if p.head is None]
    changed = [p for p in chunk.plans if p.head is not None]
    # The state the lists filter on, written with the row itself. A COD statement may have been
    # booked since the plan was made (it leaves the order as it was): read under the lock.
    remitted = shipping_repo.remitted_at_by_order(conn, [p.head.id for p in changed])
    for p in chunk.plans:
        p.row |= order_state.planned_state(p, now, remitted.get(p.order_id))
    new_ids = orders_repo.insert_orders(conn, [p.row for p in fresh])
    orders_repo.update_orders(conn, [p.row for p in changed])
    work = list(zip(fresh, new_ids)) + [(p, p.head.id) for p in changed]
    numbers = NumberBook(conn)
    real = {token: numbers.take(prefix, period) for token, prefix, period in chunk.numbered}
    numbers.flush()
    _write(conn, work, real, chunk.policy, actor, now)
    return ChunkOutcome(len(fresh), len(changed), chunk.unchanged, [oid for _, oid in work])


def _write(conn: Connection, work: list[tuple[OrderPlan, int]], real: dict[str, str], policy: BooksPolicy,
           actor: str, now: datetime) -> None:
    batch = LedgerBatch()
    stock = StockLedger(conn, [p.order for p, _ in work], [p.stock_past for p, _ in work], policy, now)
    shipments, events, alerts = [], [], []
    for plan, order_id in work:
        _gather(batch, plan, order_id, real, now)
        for cause, draft in stock.follow(plan.order, order_id, plan.stock_past, plan.stock_planned):
            batch.add_entry(order_id, cause, draft, now)
        if plan.shipment is not None:
            shipments.append(plan.shipment | {"order_id": order_id})
        events.append(_event_row(plan, order_id, real, actor, now))
        alerts += [_alert_row(plan.order, a, now) for a in plan.change.alerts]
    batch.write(conn)
    stock.flush()
    shipping_repo.save_shipments(conn, shipments)
    orders_repo.add_events(conn, events)
    orders_repo.raise_alerts(conn, alerts)


def _numbered(text: str, plan: OrderPlan, real: dict[str, str]) -> str:
    for token in plan.tokens:
        text = text.replace(token, real[token])
    return text


def _gather(batch: LedgerBatch, plan: OrderPlan, order_id: int, real: dict[str, str], now: datetime) -> None:
    for issued in plan.change.documents:
        d = issued.draft
        batch.documents.append({
            "number": real[issued.number], "kind": str(d.kind), "status": "issued", "order_id": order_id,
            "date": d.date, "total": d.total, "vat": d.vat, "cause": d.cause, "amounts_key": d.amounts_key,
            "refers_to": real.get(d.refers_to, d.refers_to),
            "particulars": _numbered(orjson.dumps(d.particulars).decode(), plan, real),
            "issued_at": now, "voided_on": None})
    for doc, on in plan.change.voids:
        batch.voids.append({"id": doc.id, "on": on})
    for posted in plan.change.entries:
        reverses = plan.reversed_entries.get(posted.reverses.number) if posted.reverses else None
        batch.add_entry(order_id, posted.cause, posted.draft, now, real.get(posted.document_number, posted.document_number),
                        reverses)


def _event_row(plan: OrderPlan, order_id: int, real: dict[str, str], actor: str, now: datetime) -> dict:
    detail = plan.event["detail"]
    if "documents" in detail:
        detail = detail | {"documents": [real.get(n, n) for n in detail["documents"]]}
    # The actor names a door ("import <file name>"); a long file name is cut, not the import.
    return {"order_id": order_id, "at": now, "kind": plan.event["kind"], "detail": detail,
            "actor": clip(actor, MAX_ACTOR)}


def _alert_row(order: Order, alert, now: datetime) -> dict:
    subject = f"{order.source}:{order.external_id}"
    return {"key": f"{alert.code}:{subject}", "kind": "books_conflict", "subject": subject,
            "reason": alert.reason, "action": alert.action, "since": now, "resolved_at": None}
