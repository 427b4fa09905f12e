"""Read queries for lists and reports: plain rows out, in the shapes of interfaces.md.

The lists people page through are newest first (`*_page`): a page finds its keys in an index
first and joins only those, so a deep offset skips index entries, not rows; `iter_*` hand
every item over as the cursor fetches them (a server-side cursor on PostgreSQL).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, func, select

from shopledger.adapters.db import balances, tables as t
from shopledger.adapters.db.kept_counts import remembered
from shopledger.domain.money import ZERO, fmt


STREAM_CHUNK = 1000
_d, _e = t.documents, t.journal_entries


def _documents_query():
    d, o = _d, t.orders
    return (select(d.c.number, d.c.kind, d.c.status, d.c.date, d.c.total, d.c.vat, d.c.refers_to, d.c.voided_on,
                   d.c.id, o.c.source, o.c.external_id).join(o, o.c.id == d.c.order_id))


def _document_view(r) -> dict:
    return {"number": r.number, "kind": r.kind, "status": r.status, "date": r.date.isoformat(),
            "order": {"source": r.source, "external_id": r.external_id},
            "total": fmt(r.total), "vat": fmt(r.vat), "refers_to": r.refers_to,
            "voided_on": r.voided_on.isoformat() if r.voided_on else None}


def documents(conn: Connection, *, order_id: int | None = None, limit: int | None = None, offset: int = 0) -> list[dict]:
    """Documents in the order issued (all of them, or one order's)."""
    query = _documents_query().order_by(_d.c.id).offset(offset)
    if order_id is not None:
        query = query.where(_d.c.order_id == order_id)
    if limit is not None:
        query = query.limit(limit)
    return [_document_view(r) for r in conn.execute(query)]


def document_page(conn: Connection, *, limit: int, offset: int = 0) -> list[dict]:
    """A page of the documents list, newest first."""
    query = _documents_query().where(_d.c.id.in_(_page_keys(_d, limit, offset))).order_by(_d.c.id.desc())
    return [_document_view(r) for r in conn.execute(query)]


def count_documents(conn: Connection) -> int:
    return remembered(conn, "documents", lambda: conn.execute(select(func.count()).select_from(_d)).scalar_one())


def iter_documents(conn: Connection) -> Iterator[dict]:
    query = _documents_query().order_by(_d.c.id.desc())
    for rows in conn.execution_options(yield_per=STREAM_CHUNK).execute(query).partitions():
        yield from (_document_view(r) for r in rows)


def _page_keys(table, limit: int, offset: int):
    """The page's keys, as a subquery: SQLite walks the slim id index to skip the offset."""
    return select(table.c.id).order_by(table.c.id.desc()).limit(limit).offset(offset)


def document(conn: Connection, number: str) -> dict | None:
    row = conn.execute(select(t.documents).where(t.documents.c.number == number)).first()
    if row is None:
        return None
    return {"number": row.number, "kind": row.kind, "status": row.status, "date": row.date.isoformat(),
            "voided_on": row.voided_on.isoformat() if row.voided_on else None,
            "total": fmt(row.total), "vat": fmt(row.vat), "refers_to": row.refers_to,
            "particulars": row.particulars}


def entries(conn: Connection, *, order_id: int | None = None, limit: int | None = None, offset: int = 0) -> list[dict]:
    """Entries in the order posted (all of them, or one order's)."""
    query = select(_e).order_by(_e.c.id).offset(offset)
    if order_id is not None:
        query = query.where(_e.c.order_id == order_id)
    if limit is not None:
        query = query.limit(limit)
    return _with_lines(conn, list(conn.execute(query)))


def entry_page(conn: Connection, *, limit: int, offset: int = 0) -> list[dict]:
    """A page of the journal, newest first."""
    query = select(_e).where(_e.c.id.in_(_page_keys(_e, limit, offset))).order_by(_e.c.id.desc())
    return _with_lines(conn, list(conn.execute(query)))


def count_entries(conn: Connection) -> int:
    return remembered(conn, "entries", lambda: conn.execute(select(func.count()).select_from(_e)).scalar_one())


def iter_entries(conn: Connection) -> Iterator[dict]:
    query = select(_e).order_by(_e.c.id.desc())
    for heads in conn.execution_options(yield_per=STREAM_CHUNK).execute(query).partitions():
        yield from _with_lines(conn, heads)


def _with_lines(conn: Connection, heads: list) -> list[dict]:
    lines: dict[int, list[dict]] = defaultdict(list)
    if heads:
        ids = [h.id for h in heads]
        for l in conn.execute(select(t.journal_lines).where(t.journal_lines.c.entry_id.in_(ids)).order_by(t.journal_lines.c.id)):
            lines[l.entry_id].append({"account": l.account, "debit": fmt(l.debit), "credit": fmt(l.credit)})
    return [{"id": h.id, "date": h.date.isoformat(), "memo": h.memo, "event": h.event,
             "document": h.document_number, "reverses": h.reverses_id, "lines": lines[h.id]} for h in heads]


def trial_balance(conn: Connection, as_of: date | None = None) -> dict:
    """From the balances kept per account and day (adapters/db/balances.py), not the lines."""
    a = t.accounts
    totals = balances.sums(conn, end=as_of)
    rows = []
    for acc in conn.execute(select(a).order_by(a.c.code)):
        debit, credit = totals.get(acc.code, (ZERO, ZERO))
        if debit or credit:
            rows.append({"code": acc.code, "name": acc.name_th, "name_en": acc.name_en, "debit": fmt(debit),
                         "credit": fmt(credit), "balance": fmt(debit - credit)})
    total_debit = sum((Decimal(r["debit"]) for r in rows), ZERO)
    total_credit = sum((Decimal(r["credit"]) for r in rows), ZERO)
    as_of = as_of or balances.last_day(conn) or date.today()
    return {"as_of": as_of.isoformat(), "accounts": rows, "total_debit": fmt(total_debit),
            "total_credit": fmt(total_credit)}


def _money(value: Decimal | None) -> Decimal:
    """SUM of a Money column comes back through Money's result processor: Decimal baht."""
    return ZERO if value is None else value
