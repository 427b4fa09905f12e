"""What e-Tax XML reads from the books: a document as issued, the one a credit note corrects,
and the documents dated in a month."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, select

from shopledger.adapters.db import tables as t
from shopledger.domain.accounting.documents import DocumentKind, DocumentStatus
from shopledger.domain.etax.build import Issued

_d = t.documents


def issued(conn: Connection, number: str, company: dict | None) -> Issued | None:
    row = conn.execute(select(_d).where(_d.c.number == number)).first()
    return None if row is None else _issued(conn, row, company)


def issued_in(conn: Connection, first: date, last: date, company: dict | None) -> Iterator[Issued]:
    """The documents dated from `first` to `last`, void ones left out, in number order."""
    query = (select(_d).where(_d.c.date >= first, _d.c.date <= last, _d.c.status != str(DocumentStatus.VOID))
             .order_by(_d.c.number))
    for row in conn.execute(query).all():
        yield _issued(conn, row, company)


def _issued(conn: Connection, row, company: dict | None) -> Issued:
    corrected_kind = corrected_rate = None
    if row.kind == DocumentKind.CREDIT_NOTE and row.refers_to:
        corrected = conn.execute(select(_d.c.kind, _d.c.particulars).where(_d.c.number == row.refers_to)).first()
        if corrected is not None:
            corrected_kind = DocumentKind(corrected.kind)
            corrected_rate = Decimal(corrected.particulars.get("vat_rate") or "0")
    return Issued(number=row.number, kind=DocumentKind(row.kind), day=row.date, issued_at=row.issued_at,
                  total=row.total, vat=row.vat, particulars=row.particulars, company=company,
                  corrected_kind=corrected_kind, corrected_rate=corrected_rate)
