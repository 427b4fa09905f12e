"""The documents list filtered: by kind, status, month, and a search by number or buyer (the
order's customer, through the order's folded search text: domain/orders/search.py)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, String, func, literal, or_, select

from shopledger.adapters.db import reads, tables as t
from shopledger.adapters.db.order_reads import _position
from shopledger.domain.orders.search import needles


def _where(query, *, kind: str | None, status: str | None, first: date | None, last: date | None, search: str):
    d, o = t.documents, t.orders
    if kind:
        query = query.where(d.c.kind == kind)
    if status:
        query = query.where(d.c.status == status)
    if first is not None:
        query = query.where(d.c.date >= first)
    if last is not None:
        query = query.where(d.c.date <= last)
    typed = search.strip()
    if typed:
        found = [_position(func.upper(d.c.number), literal(typed.upper(), String())) > 0]
        found += [_position(o.c.search_text, literal(n, String())) > 0 for n in needles(typed)]
        query = query.where(or_(*found))
    return query


def find_documents(conn: Connection, *, kind: str | None = None, status: str | None = None,
                   first: date | None = None, last: date | None = None, search: str = "",
                   limit: int = 50, offset: int = 0) -> tuple[list[dict], int]:
    """A page of the documents that match, newest first, and how many match in all."""
    d, o = t.documents, t.orders
    filters = dict(kind=kind, status=status, first=first, last=last, search=search)
    query = _where(reads._documents_query(), **filters).order_by(d.c.id.desc()).limit(limit).offset(offset)
    rows = [reads._document_view(r) for r in conn.execute(query)]
    counted = _where(select(func.count()).select_from(d.join(o, o.c.id == d.c.order_id)), **filters)
    return rows, conn.execute(counted).scalar_one()
