"""The documents of several orders as one PDF: the orders ticked on the orders page, in the order
ticked, each with its documents in the order they were issued.

Of an order's documents of one kind, those in force are printed; a voided one only when nothing
of its kind replaced it (an invoice voided because the amounts changed is followed by the new one,
which is printed alone; a cancelled order's voided invoice is printed, marked void). Each document
prints as on its own page (reports/paper.py), one after another, each starting on a new sheet.
"""
from __future__ import annotations

from sqlalchemy import Connection, Engine, select, tuple_

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.engine import reading
from shopledger.adapters.pdf import render
from shopledger.domain.accounting.documents import DocumentStatus
from shopledger.domain.errors import DomainError, NotFound
from shopledger.domain.limits import MAX_PRINTED_ORDERS
from shopledger.services.reports import paper

MAX_ORDERS = MAX_PRINTED_ORDERS


def newest_versions(rows: list) -> list:
    """An order's documents as printed: per kind those in force, else the newest voided one; in
    the order they were issued."""
    by_kind: dict[str, list] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    kept = []
    for same_kind in by_kind.values():
        standing = [r for r in same_kind if r.status != DocumentStatus.VOID]
        kept += standing or [max(same_kind, key=lambda r: (r.issued_at, r.id))]
    return sorted(kept, key=lambda r: (r.date, r.issued_at, r.id))


def order_documents(conn: Connection, keys: list[tuple[str, str]]) -> list:
    """The documents to print for these orders (source, external_id), orders in the order given."""
    o, d = t.orders, t.documents
    found = {(r.source, r.external_id): r.id for r in conn.execute(
        select(o.c.id, o.c.source, o.c.external_id).where(tuple_(o.c.source, o.c.external_id).in_(keys)))}
    ids = [found[k] for k in keys if k in found]
    per_order: dict[int, list] = {i: [] for i in ids}
    for row in conn.execute(select(d).where(d.c.order_id.in_(ids))) if ids else ():
        per_order[row.order_id].append(row)
    return [row for i in ids for row in newest_versions(per_order[i])]


def orders_documents_pdf(engine: Engine, keys: list[tuple[str, str]]) -> tuple[bytes, int]:
    """One PDF of the documents of these orders and how many documents it holds.
    `too_many_orders` past MAX_ORDERS; NotFound when none of them has a document."""
    keys = list(dict.fromkeys(keys))
    if len(keys) > MAX_ORDERS:
        raise DomainError("too_many_orders", f"{len(keys):,} orders; one print holds at most {MAX_ORDERS}",
                          {"count": len(keys), "most": MAX_ORDERS})
    with reading(engine) as conn:
        rows = order_documents(conn, keys) if keys else []
        if not rows:
            raise NotFound("documents", "of the ticked orders")
        markup = paper.documents_markup(conn, rows, title="documents")
    return render.pdf(markup), len(rows)
