"""One chunk of orders onto the books, inside the caller's writing transaction.

For each order: skip it if what is stored is as new and the same; otherwise store this
version, record an order event, carry out what the reconciler decides, move its stock and
follow its shipment.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection

from shopledger.adapters.db import books_repo, orders_repo
from shopledger.adapters.db.books_repo import LedgerBatch, NumberBook
from shopledger.domain.accounting.apply import BooksChange, bring_books_up_to_date
from shopledger.domain.accounting.documents import HeldDocument, OrderBooks
from shopledger.domain.orders.interchange import canonical_json, fingerprint_of_json, order_to_dict
from shopledger.domain.orders.model import Order
from shopledger.domain.sync.policy import BooksPolicy
from shopledger.services.order_shipping import OrderShipments
from shopledger.services.order_stock import OrderStock


@dataclass
class ChunkOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    order_ids: list[int] = field(default_factory=list)


def write_chunk(conn: Connection, orders: list[tuple[Order, str | None]], policy: BooksPolicy, actor: str,
                now: datetime) -> ChunkOutcome:
    """`orders`: each with the hash of the record it came from (None when made by us)."""
    outcome = ChunkOutcome()
    stored = orders_repo.heads_by_key(conn, [o.key for o, _ in orders])
    fresh, changed = [], []
    for order, received in orders:
        head = stored.get(order.key)
        if head is not None and head.updated_at > order.updated_at:
            outcome.unchanged += 1
            continue
        data = order_to_dict(order)
        text = canonical_json(data)
        print_ = fingerprint_of_json(text)
        if head is not None and head.fingerprint == print_:
            outcome.unchanged += 1
        elif head is None:  # a new order's data goes to the bulk insert as the JSON text just made
            fresh.append((order, orders_repo.order_row(order, text, print_, now, received) | {"created_at": now}))
        else:
            changed.append((order, head, orders_repo.order_row(order, data, print_, now, received) | {"oid": head.id}))
    new_ids = orders_repo.insert_orders(conn, [row for _, row in fresh])
    orders_repo.update_orders(conn, [row for _, _, row in changed])
    work = [(o, oid, None) for (o, _), oid in zip(fresh, new_ids)] + [(o, h.id, h) for o, h, _ in changed]
    _post(conn, work, policy, actor, now)
    outcome.created, outcome.updated = len(fresh), len(changed)
    outcome.order_ids = [oid for _, oid, _ in work]
    return outcome


def _post(conn: Connection, work: list, policy: BooksPolicy, actor: str, now: datetime) -> None:
    known = [oid for _, oid, head in work if head is not None]
    books = books_repo.load_books(conn, known)
    stock = OrderStock(conn, [order for order, _, _ in work], known, now)
    shipments = OrderShipments(conn, known)
    numbers, batch = NumberBook(conn), LedgerBatch()
    events, alerts = [], []
    for order, order_id, head in work:
        reversed_entries: dict[str, int] = {}

        def entry_lines_of(doc: HeldDocument, _oid=order_id, _seen=reversed_entries):
            entry_id, lines = books_repo.entry_of_document(conn, _oid, doc.number)
            _seen[doc.number] = entry_id
            return lines

        change = bring_books_up_to_date(order, books.get(order_id, OrderBooks()), policy,
                                        numbers.take, entry_lines_of)
        _gather(batch, order, order_id, change, reversed_entries, now)
        for cause, draft in stock.follow(order, order_id):
            batch.add_entry(order_id, cause, draft, now)
        shipments.follow(order, order_id, now)
        events.append(_event(order, order_id, head, change, actor, now))
        alerts += [_alert_row(order, a, now) for a in change.alerts]
    numbers.flush()
    batch.write(conn)
    stock.flush()
    shipments.flush()
    orders_repo.add_events(conn, events)
    orders_repo.raise_alerts(conn, alerts)


def _gather(batch: LedgerBatch, order: Order, order_id: int, change: BooksChange,
            reversed_entries: dict[str, int], now: datetime) -> None:
    for issued in change.documents:
        d = issued.draft
        batch.documents.append({
            "number": issued.number, "kind": str(d.kind), "status": "issued", "order_id": order_id,
            "date": d.date, "total": d.total, "vat": d.vat, "cause": d.cause, "amounts_key": d.amounts_key,
            "refers_to": d.refers_to, "particulars": d.particulars, "issued_at": now, "voided_on": None})
    for doc, on in change.voids:
        batch.voids.append({"id": doc.id, "on": on})
    for posted in change.entries:
        reverses = reversed_entries.get(posted.reverses.number) if posted.reverses else None
        batch.add_entry(order_id, posted.cause, posted.draft, now, posted.document_number, reverses)


def _event(order: Order, order_id: int, head, change: BooksChange, actor: str, now: datetime) -> dict:
    detail: dict = {"payment_status": str(order.payment_status), "fulfillment_status": str(order.fulfillment_status)}
    if head is not None:
        detail["changed"] = {k: [old, new] for k, old, new in (
            ("payment_status", head.payment_status, str(order.payment_status)),
            ("fulfillment_status", head.fulfillment_status, str(order.fulfillment_status)),
            ("cancelled", head.cancelled_at is not None, order.cancelled_at is not None),
            ("total", str(head.total), str(order.total))) if old != new}
    if change.documents:
        detail["documents"] = [d.number for d in change.documents]
    if change.voids:
        detail["voided"] = [doc.number for doc, _ in change.voids]
    return {"order_id": order_id, "at": now, "kind": "created" if head is None else "updated",
            "detail": detail, "actor": actor}


def _alert_row(order: Order, alert, now: datetime) -> dict:
    subject = f"{order.source}:{order.external_id}"
    return {"key": f"{alert.code}:{subject}", "kind": "books_conflict", "subject": subject,
            "reason": alert.reason, "action": alert.action, "since": now, "resolved_at": None}
