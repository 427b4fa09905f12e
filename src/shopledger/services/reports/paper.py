"""PDFs: one document, many documents (a day, a month, a list of numbers), the output VAT report.

The documents print their immutable particulars snapshot, as their page shows it, with the
logo and signature of the settings at the time of printing."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, Engine, func, select

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.engine import reading
from shopledger.adapters.pdf import render
from shopledger.domain.accounting.printed import thai_month
from shopledger.domain.accounting.statements import Month, parse_month
from shopledger.domain.errors import DomainError, NotFound
from shopledger.domain.limits import MAX_PDF_BATCH
from shopledger.services import document_images
from shopledger.services.reports.vat import output_vat_report

KINDS = ("invoice", "receipt_tax_invoice", "receipt", "credit_note")


def _images(conn: Connection) -> dict:
    held = document_images.images(conn)
    return {kind: render.data_uri(*held[kind]) if kind in held else None for kind in document_images.KINDS}


def _item(row) -> dict:
    return {"doc": {"number": row.number, "kind": row.kind, "status": row.status, "date": row.date.isoformat(),
                    "voided_on": row.voided_on.isoformat() if row.voided_on else None},
            "p": row.particulars}


def documents_markup(conn: Connection, rows: list, *, title: str, copy: bool = False) -> str:
    """The HTML page these documents print from, one after another (documents.html), with the
    company's logo and signature."""
    return render.html("documents.html", title=title, docs=[_item(r) for r in rows], copy=copy, images=_images(conn))


def document_pdf(engine: Engine, number: str, *, copy: bool = False) -> bytes:
    return render.pdf(document_markup(engine, number, copy=copy))


def document_markup(engine: Engine, number: str, *, copy: bool = False) -> str:
    """The HTML page a document's PDF is made from (services/etax_mail.py makes its PDF/A-3 of it)."""
    d = t.documents
    with reading(engine) as conn:
        row = conn.execute(select(d).where(d.c.number == number)).first()
        if row is None:
            raise NotFound("document", number)
        return documents_markup(conn, [row], title=number, copy=copy)


def documents_pdf(engine: Engine, *, month: str | None = None, day: date | None = None,
                  numbers: list[str] | None = None, kind: str | None = None, copy: bool = False) -> bytes:
    """Many documents in one PDF, one after another: of a month or a day (date and number order),
    or of a list of numbers (in the order given)."""
    if sum(x is not None and x != [] for x in (month, day, numbers)) != 1:
        raise DomainError("invalid_request", "say which documents: a month, a day, or a list of numbers")
    if kind is not None and kind not in KINDS:
        raise DomainError("invalid_request", f"kind {kind!r} is not one of {', '.join(KINDS)}")
    d = t.documents
    query = select(d)
    if month is not None:
        m: Month = parse_month(month)
        query = query.where(d.c.date >= m.first, d.c.date <= m.last)
    elif day is not None:
        query = query.where(d.c.date == day)
    else:
        query = query.where(d.c.number.in_(numbers))
    if kind is not None:
        query = query.where(d.c.kind == kind)
    with reading(engine) as conn:
        count = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        if count > MAX_PDF_BATCH:
            raise DomainError("too_many_documents", f"{count:,} documents; one PDF holds at most {MAX_PDF_BATCH:,}: "
                                                    "ask for a day, a kind or a list of numbers")
        rows = list(conn.execute(query.order_by(d.c.date, d.c.number)))
        if numbers:
            found = {r.number: r for r in rows}
            missing = [n for n in numbers if n not in found]
            if missing:
                raise NotFound("document", ", ".join(missing[:10]))
            rows = [found[n] for n in dict.fromkeys(numbers)]
        if not rows:
            raise NotFound("documents", _which(month, day, kind))
        markup = documents_markup(conn, rows, title=_which(month, day, kind) or "documents", copy=copy)
    return render.pdf(markup)


def _which(month, day, kind) -> str:
    what = month or (day.isoformat() if day else "")
    return f"{what} {kind}".strip() if kind else what


def vat_report_pdf(engine: Engine, month: str) -> bytes:
    report = output_vat_report(engine, month)
    m = parse_month(month)
    return render.pdf(render.html("vat_report.html", r=report, month_th=thai_month(m.year, m.month)))
