"""Planning a chunk of orders: everything that can be worked out before taking the books' lock.

Reading what the orders already hold and deciding what each needs (documents, entries, stock
quantities, shipment, event) is most of the work of an import, and none of it writes. It runs
in a read transaction, so several importers can plan at once; only applying the plan (numbers,
ids, costs, the writes) waits for the lock. A plan remembers what it was made from, and is
made again under the lock if any of its orders changed in between.

Document numbers are not known while planning: a plan holds tokens in their place, swapped
for the real, gapless numbers when it is applied.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection

from shopledger.adapters.db import books_repo, orders_repo, shipping_repo, stock_repo
from shopledger.domain.accounting.apply import BooksChange, bring_books_up_to_date
from shopledger.domain.accounting.documents import HeldDocument, OrderBooks
from shopledger.domain.orders.canonical import canonical_json, fingerprint_of_json, order_to_dict
from shopledger.domain.orders.model import Order
from shopledger.domain.orders.versions import rank_of, rank_of_stored
from shopledger.domain.stock.movements import Movement, OrderStockState, plan_order_stock
from shopledger.domain.sync.policy import BooksPolicy
from shopledger.services.order_shipping import shipment_row

# A placeholder for a number not yet taken: unique to this process, never met in an order's text.
TOKEN_STEM = f"\u27e6{uuid.uuid4().hex[:12]}:"


@dataclass
class OrderPlan:
    order: Order
    head: object | None  # what was stored of the order when planned (None: a new order)
    row: dict  # the orders row to insert or update
    change: BooksChange  # documents carry tokens, not numbers
    tokens: list[str]
    reversed_entries: dict[str, int]
    stock_past: list[Movement]
    stock_planned: list[Movement]
    shipment: dict | None  # without order_id
    event: dict  # without order_id

    @property
    def order_id(self) -> int | None:
        return self.head.id if self.head is not None else None


@dataclass
class ChunkPlan:
    policy: BooksPolicy
    heads: dict  # key -> (updated_at, fingerprint) of every order of the chunk when planned
    plans: list[OrderPlan] = field(default_factory=list)
    numbered: list[tuple[str, str, str]] = field(default_factory=list)  # (token, prefix, period)
    unchanged: int = 0


class _Tokens:
    def __init__(self, chunk: ChunkPlan):
        self.chunk, self.mine = chunk, []

    def take(self, prefix: str, period: str) -> str:
        token = f"{TOKEN_STEM}{len(self.chunk.numbered)}\u27e7"
        self.chunk.numbered.append((token, prefix, period))
        self.mine.append(token)
        return token


def plan_chunk(conn: Connection, orders: list[tuple[Order, str | None]], policy: BooksPolicy,
               now: datetime) -> ChunkPlan:
    stored = orders_repo.heads_by_key(conn, [o.key for o, _ in orders])
    chunk = ChunkPlan(policy, {key: (h.updated_at, h.fingerprint) for key, h in stored.items()})
    todo = []
    for order, received in orders:
        head = stored.get(order.key)
        if head is not None and head.updated_at > order.updated_at:
            chunk.unchanged += 1
            continue
        data = order_to_dict(order)
        text = canonical_json(data)
        print_ = fingerprint_of_json(text)
        if head is not None and rank_of(order, print_) <= rank_of_stored(head):
            chunk.unchanged += 1  # the same as stored, or losing a tie of equal times to it
            continue
        # a new order's data goes to the bulk insert as the JSON text just made
        row = orders_repo.order_row(order, text if head is None else data, print_, now, received)
        todo.append((order, head, row | ({"created_at": now} if head is None else {"oid": head.id})))
    _plan_orders(conn, chunk, todo, now)
    return chunk


def _plan_orders(conn: Connection, chunk: ChunkPlan, todo: list, now: datetime) -> None:
    known = [head.id for _, head, _ in todo if head is not None]
    books = books_repo.load_books(conn, known)
    past_moves = stock_repo.movements_by_order(conn, known)
    shipments = shipping_repo.shipments_by_order(conn, known)
    for order, head, row in todo:
        order_id = head.id if head is not None else None
        tokens, reversed_entries = _Tokens(chunk), {}

        def entry_lines_of(doc: HeldDocument, _oid=order_id, _seen=reversed_entries):
            entry_id, lines = books_repo.entry_of_document(conn, _oid, doc.number)
            _seen[doc.number] = entry_id
            return lines

        change = bring_books_up_to_date(order, books.get(order_id, OrderBooks()), chunk.policy,
                                        tokens.take, entry_lines_of)
        past = past_moves.get(order_id, []) if order_id is not None else []
        planned = plan_order_stock(order, OrderStockState.from_movements(past))
        chunk.plans.append(OrderPlan(
            order, head, row, change, tokens.mine, reversed_entries, past, planned,
            shipment_row(order, None, shipments.get(order_id), now), _event(order, head, change)))


def still_current(conn: Connection, chunk: ChunkPlan, policy: BooksPolicy, keys: list[tuple[str, str]]) -> bool:
    """True when nothing the plan was made from has changed since (checked under the lock)."""
    if policy != chunk.policy:
        return False
    now_stored = orders_repo.heads_by_key(conn, keys)
    return {key: (h.updated_at, h.fingerprint) for key, h in now_stored.items()} == chunk.heads


def _event(order: Order, head, change: BooksChange) -> dict:
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
    return {"kind": "created" if head is None else "updated", "detail": detail}
