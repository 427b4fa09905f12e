"""The documents list filtered: by kind, status, month, and a search by number or buyer (the
order's customer, through the order's folded search text: domain/orders/search.py)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, String, func, literal, or_, select

from shopledger.adapters.db import reads, tables as t
from shopledger.adapters.db.kept_counts import remembered
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
        # The buyers' orders are found once, over the orders' slim search index, not joined per document.
        buyers = select(o.c.id).where(or_(*(_position(o.c.search_text, literal(n, String())) > 0 for n in needles(typed))))
        # Numbers are made upper case (domain/accounting/numbering.py): the typed words are raised
        # to match, the column is read as it is (upper() of every number was most of a search).
        query = query.where(or_(_position(d.c.number, literal(typed.upper(), String())) > 0,
                                d.c.order_id.in_(buyers)))
    return query


def find_documents(conn: Connection, *, kind: str | None = None, status: str | None = None,
                   first: date | None = None, last: date | None = None, search: str = "",
                   limit: int = 50, offset: int = 0) -> tuple[list[dict], int]:
    """A page of the documents that match, newest first, and how many match in all.

    The page's ids are found first, over the documents alone, so a deep page skips index entries,
    not joined rows; then its 50 rows are read.
    The count is kept a moment per filter (kept_counts), as the other lists' counts are."""
    d = t.documents
    filters = dict(kind=kind, status=status, first=first, last=last, search=search.strip())
    keys = _where(select(d.c.id), **filters).order_by(d.c.id.desc()).limit(limit).offset(offset)
    query = reads._documents_query().where(d.c.id.in_(keys)).order_by(d.c.id.desc())
    rows = [reads._document_view(r) for r in conn.execute(query)]
    counted = _where(select(func.count()).select_from(d), **filters)
    total = remembered(conn, ("documents found", *filters.values()), lambda: conn.execute(counted).scalar_one())
    return rows, total
