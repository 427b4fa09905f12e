"""Reading what orders already hold, and writing documents and entries in bulk (Core).

Writers run inside `engine.writing()`, which holds the books' write lock, so the counters read
here cannot move under us; every write still sits behind a unique key as a backstop.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, func, select, update

from shopledger.adapters.db import balances, tables as t
from shopledger.adapters.db.bulk import BulkInsert, next_ids
from shopledger.adapters.db.upsert import insert_ignoring_duplicates
from shopledger.domain.accounting.documents import DocumentKind, DocumentStatus, HeldDocument, OrderBooks
from shopledger.domain.accounting.journal import EntryDraft, JournalLine
from shopledger.domain.accounting.numbering import format_number

REFUND_PAID = "refund_paid:"


def held_document(row) -> HeldDocument:
    return HeldDocument(row.id, DocumentKind(row.kind), DocumentStatus(row.status), row.number, row.date,
                        row.total, row.vat, row.cause, row.amounts_key)


def load_books(conn: Connection, order_ids: list[int]) -> dict[int, OrderBooks]:
    """Documents and refunds paid for each order, in two queries however many orders."""
    if not order_ids:
        return {}
    docs: dict[int, list[HeldDocument]] = defaultdict(list)
    for row in conn.execute(select(t.documents).where(t.documents.c.order_id.in_(order_ids)).order_by(t.documents.c.id)):
        docs[row.order_id].append(held_document(row))
    refunds: dict[int, dict[str, Decimal]] = defaultdict(dict)
    paid = (select(t.journal_entries.c.order_id, t.journal_entries.c.cause, func.sum(t.journal_lines.c.debit).label("amount"))
            .join(t.journal_lines, t.journal_lines.c.entry_id == t.journal_entries.c.id)
            .where(t.journal_entries.c.order_id.in_(order_ids), t.journal_entries.c.cause.like(REFUND_PAID + "%"))
            .group_by(t.journal_entries.c.order_id, t.journal_entries.c.cause))
    for row in conn.execute(paid):
        refunds[row.order_id][row.cause.removeprefix(REFUND_PAID)] = row.amount  # SUM keeps the Money type
    return {oid: OrderBooks(tuple(docs.get(oid, ())), refunds.get(oid, {})) for oid in order_ids}


def entry_of_document(conn: Connection, order_id: int, number: str) -> tuple[int, tuple[JournalLine, ...]]:
    """The entry a document posted (its id and lines), for a reversal."""
    entry_id = conn.execute(select(t.journal_entries.c.id).where(
        t.journal_entries.c.order_id == order_id, t.journal_entries.c.document_number == number,
        t.journal_entries.c.reverses_id.is_(None)).order_by(t.journal_entries.c.id)).scalar_one()
    lines = conn.execute(select(t.journal_lines).where(t.journal_lines.c.entry_id == entry_id).order_by(t.journal_lines.c.id))
    return entry_id, tuple(JournalLine(l.account, l.debit, l.credit) for l in lines)


class NumberBook:
    """Hands out gapless numbers per prefix and month inside one writing transaction."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.next: dict[tuple[str, str], int] = {}
        self.start: dict[tuple[str, str], int] = {}

    def take(self, prefix: str, period: str) -> str:
        key = (prefix, period)
        if key not in self.next:
            self.next[key] = self.start[key] = self._current(prefix, period)
        number = self.next[key]
        self.next[key] = number + 1
        return format_number(prefix, period, number)

    def _current(self, prefix: str, period: str) -> int:
        insert_ignoring_duplicates(self.conn, t.document_sequences, [{"prefix": prefix, "period": period, "next_no": 1}])
        seq = t.document_sequences
        query = select(seq.c.next_no).where(seq.c.prefix == prefix, seq.c.period == period).with_for_update()
        return self.conn.execute(query).scalar_one()

    def flush(self) -> None:
        seq = t.document_sequences
        for (prefix, period), next_no in self.next.items():
            if next_no != self.start[(prefix, period)]:
                self.conn.execute(update(seq).where(seq.c.prefix == prefix, seq.c.period == period,
                                                    seq.c.next_no == self.start[(prefix, period)])
                                  .values(next_no=next_no))
            self.start[(prefix, period)] = next_no


@dataclass
class LedgerBatch:
    """Rows gathered for many orders, written with a handful of bulk statements; the balances
    kept per account and day move with the lines, in the same transaction."""

    documents: list[dict] = field(default_factory=list)
    entries: list[dict] = field(default_factory=list)
    entry_lines: list[list[JournalLine]] = field(default_factory=list)
    voids: list[dict] = field(default_factory=list)

    def add_entry(self, order_id: int | None, cause: str | None, draft: EntryDraft, now: datetime,
                  document_number: str | None = None, reverses_id: int | None = None) -> None:
        self.entries.append({"date": draft.date, "memo": draft.memo[:300], "event": draft.event, "order_id": order_id,
                             "cause": cause, "document_number": document_number, "reverses_id": reverses_id,
                             "posted_at": now})
        self.entry_lines.append(list(draft.lines))

    def write(self, conn: Connection) -> None:
        _INSERT_DOCUMENTS.run(conn, self.documents)
        for void in self.voids:
            conn.execute(update(t.documents).where(t.documents.c.id == void["id"], t.documents.c.status == "issued")
                         .values(status="void", voided_on=void["on"]))
        ids = next_ids(conn, t.journal_entries, len(self.entries))
        _INSERT_ENTRIES.run(conn, [e | {"id": i} for e, i in zip(self.entries, ids)])
        lines = [(entry_id, l.account, int(l.debit * 100), int(l.credit * 100))
                 for entry_id, lines in zip(ids, self.entry_lines) for l in lines]
        _INSERT_LINES.run_values(conn, lines)
        days = {entry_id: e["date"] for e, entry_id in zip(self.entries, ids)}
        balances.add_movements(conn, ((account, days[entry_id], d, c) for entry_id, account, d, c in lines))
        self.documents, self.entries, self.entry_lines, self.voids = [], [], [], []


_INSERT_DOCUMENTS = BulkInsert(t.documents, ["number", "kind", "status", "order_id", "date", "total", "vat", "cause",
                                             "amounts_key", "refers_to", "particulars", "issued_at", "voided_on"])
_INSERT_ENTRIES = BulkInsert(t.journal_entries, ["id", "date", "memo", "event", "order_id", "cause",
                                                 "document_number", "reverses_id", "posted_at"])
_INSERT_LINES = BulkInsert(t.journal_lines, ["entry_id", "account", "debit", "credit"])
