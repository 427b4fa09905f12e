"""Read queries behind the accountant's month (docs/reports.md): tax documents of a month, the
ledger of an account, open receivables, stock as of a day, sales documents, the journal.

Sums over accounts come from the balances kept per account and day (balances.py); these read
lines or documents only where a report needs them one by one."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Connection, and_, case, func, literal, or_, select, type_coerce

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.types import Money
from shopledger.domain.accounting.statements import ChartAccount
from shopledger.domain.money import ZERO

_d, _e, _l, _o = t.documents, t.journal_entries, t.journal_lines, t.orders
STREAM_CHUNK = 2000


def chart(conn: Connection) -> list[ChartAccount]:
    a = t.accounts
    return [ChartAccount(r.code, r.name_th, r.name_en, r.type) for r in conn.execute(select(a).order_by(a.c.code))]


def _money(value) -> Decimal:
    return ZERO if value is None else value


# --- Output VAT ---------------------------------------------------------------------------------

def tax_documents(conn: Connection, start: date, end: date) -> list[dict]:
    """Receipt/tax invoices and the credit notes correcting one, dated from start to end, in date
    and number order, with what the report prints of each."""
    corrected = _d.alias("corrected")
    query = (select(_d.c.number, _d.c.kind, _d.c.status, _d.c.date, _d.c.total, _d.c.vat, _d.c.particulars,
                    _d.c.voided_on)
             .outerjoin(corrected, corrected.c.number == _d.c.refers_to)
             .where(_d.c.date >= start, _d.c.date <= end,
                    or_(_d.c.kind == "receipt_tax_invoice",
                        and_(_d.c.kind == "credit_note", corrected.c.kind == "receipt_tax_invoice")))
             .order_by(_d.c.date, _d.c.number))
    return [r._asdict() for r in conn.execute(query)]


def document_movement(conn: Connection, account: str, start: date, end: date) -> Decimal:
    """Credit less debit of `account` in the entries of documents dated (as entries) start..end."""
    query = (select(func.sum(_l.c.credit), func.sum(_l.c.debit)).join(_e, _e.c.id == _l.c.entry_id)
             .where(_l.c.account == account, _e.c.date >= start, _e.c.date <= end, _e.c.document_number.is_not(None)))
    credit, debit = conn.execute(query).one()
    return _money(credit) - _money(debit)


def vat_out_of_month(conn: Connection, account: str, start: date, end: date) -> list[dict]:
    """Where the report month and the ledger month part: documents dated in the month whose entry
    is dated outside it (moved past a closed period), and entries in the month of documents dated
    outside it. Each with the VAT it moved on `account` (credit - debit)."""
    amount = type_coerce(func.sum(_l.c.credit - _l.c.debit), Money())
    base = (select(_d.c.number, _d.c.date.label("document_date"), _e.c.date.label("entry_date"), amount.label("vat"))
            .select_from(_e).join(_d, _d.c.number == _e.c.document_number).join(_l, _l.c.entry_id == _e.c.id)
            .where(_l.c.account == account).group_by(_d.c.number, _d.c.date, _e.c.date))
    inside_doc = base.where(_d.c.date >= start, _d.c.date <= end, or_(_e.c.date < start, _e.c.date > end))
    inside_entry = base.where(_e.c.date >= start, _e.c.date <= end, or_(_d.c.date < start, _d.c.date > end))
    rows = [r._asdict() for q in (inside_doc, inside_entry) for r in conn.execute(q)]
    return sorted((r for r in rows if r["vat"]), key=lambda r: (r["document_date"], r["number"]))


def month_movement(conn: Connection, account: str, start: date, end: date, *, without_causes: str | None = None
                   ) -> Decimal:
    """Debit less credit of `account` in entries dated start..end; `without_causes`: a cause
    prefix whose entries are left out (the settlement's own)."""
    query = (select(func.sum(_l.c.debit), func.sum(_l.c.credit)).join(_e, _e.c.id == _l.c.entry_id)
             .where(_l.c.account == account, _e.c.date >= start, _e.c.date <= end))
    if without_causes:
        query = query.where(or_(_e.c.cause.is_(None), ~_e.c.cause.like(without_causes + "%")))
    debit, credit = conn.execute(query).one()
    return _money(debit) - _money(credit)


def purchases_with_input_vat(conn: Connection, account: str, start: date, end: date) -> Decimal:
    """What was bought with input VAT on it: the expense debits of the entries dated start..end
    that debit `account` (115101), e.g. the COD fee of a courier's statement."""
    with_vat = select(_l.c.entry_id).join(_e, _e.c.id == _l.c.entry_id).where(
        _l.c.account == account, _l.c.debit > ZERO, _e.c.date >= start, _e.c.date <= end)
    expense = select(t.accounts.c.code).where(t.accounts.c.type == "expense")
    query = select(func.sum(_l.c.debit)).where(_l.c.entry_id.in_(with_vat), _l.c.account.in_(expense))
    return _money(conn.execute(query).scalar())


def _cause_range(prefix: str) -> tuple:
    """Causes starting with `prefix`, as a range the (order_id, cause) key can walk (LIKE would
    read `_` as a wildcard)."""
    return _e.c.cause >= prefix, _e.c.cause < prefix[:-1] + chr(ord(prefix[-1]) + 1)


def entries_with_cause(conn: Connection, prefix: str) -> list[dict]:
    """Entries without an order whose cause starts with `prefix` (settlements, payments, closes),
    with their lines."""
    heads = list(conn.execute(select(_e).where(_e.c.order_id.is_(None), *_cause_range(prefix)).order_by(_e.c.id)))
    lines: dict[int, list] = {h.id: [] for h in heads}
    if heads:
        for l in conn.execute(select(_l).where(_l.c.entry_id.in_(list(lines))).order_by(_l.c.id)):
            lines[l.entry_id].append(l)
    return [{"id": h.id, "date": h.date, "cause": h.cause, "event": h.event, "lines": lines[h.id]} for h in heads]


def lines_of_cause(conn: Connection, prefix: str, start: date | None, end: date) -> dict[str, tuple[Decimal, Decimal]]:
    """Debit and credit per account of the entries without an order whose cause starts with
    `prefix` (e.g. year_close:), in a period: found through the (order_id, cause) key, so the
    month's millions of order entries are never walked."""
    query = (select(_l.c.account, func.sum(_l.c.debit), func.sum(_l.c.credit)).join(_e, _e.c.id == _l.c.entry_id)
             .where(_e.c.order_id.is_(None), *_cause_range(prefix), _e.c.date <= end)
             .group_by(_l.c.account))
    if start is not None:
        query = query.where(_e.c.date >= start)
    return {account: (_money(d), _money(c)) for account, d, c in conn.execute(query)}


def tax_documents_not_booked(conn: Connection, start: date, end: date) -> list[str]:
    """Tax documents dated in the month that move VAT but have no entry of theirs yet."""
    booked = select(_e.c.id).where(_e.c.document_number == _d.c.number).exists()
    query = (select(_d.c.number).where(_d.c.date >= start, _d.c.date <= end,
                                       _d.c.kind.in_(("receipt_tax_invoice", "credit_note")),
                                       _d.c.status == "issued", _d.c.vat != ZERO, ~booked)
             .order_by(_d.c.number).limit(20))
    return list(conn.execute(query).scalars())


# --- The ledger of an account -------------------------------------------------------------------

def ledger_lines(conn: Connection, account: str, start: date, end: date) -> Iterator:
    query = (select(_e.c.date, _e.c.id.label("entry"), _e.c.document_number, _e.c.memo, _l.c.debit, _l.c.credit)
             .join(_e, _e.c.id == _l.c.entry_id)
             .where(_l.c.account == account, _e.c.date >= start, _e.c.date <= end)
             .order_by(_e.c.date, _e.c.id, _l.c.id))
    for rows in conn.execution_options(yield_per=STREAM_CHUNK).execute(query).partitions():
        yield from rows


# --- Receivables ----------------------------------------------------------------------------------

def open_by_order(conn: Connection, account: str, as_of: date) -> list[dict]:
    """Per order, what `account` (113101, 113201) still holds as of a day and since when (the
    first entry that debited it), with the order's name and courier."""
    balance = type_coerce(func.sum(_l.c.debit - _l.c.credit), Money())
    since = func.min(case((_l.c.debit > ZERO, _e.c.date), else_=None))
    per_order = (select(_e.c.order_id, balance.label("amount"), since.label("since"))
                 .join(_e, _e.c.id == _l.c.entry_id)
                 .where(_l.c.account == account, _e.c.date <= as_of, _e.c.order_id.is_not(None))
                 .group_by(_e.c.order_id).having(balance != ZERO).subquery())
    s = t.shipments
    query = (select(per_order.c.order_id, per_order.c.amount, per_order.c.since, _o.c.source, _o.c.external_id,
                    _o.c.customer_name, func.coalesce(s.c.carrier_name, literal("")).label("courier"))
             .join(_o, _o.c.id == per_order.c.order_id).outerjoin(s, s.c.order_id == _o.c.id))
    rows = []
    for r in conn.execute(query):
        since = r.since if isinstance(r.since, date) else date.fromisoformat(str(r.since)[:10]) if r.since else as_of
        rows.append({"order_id": r.order_id, "amount": r.amount,
                     "since": since, "source": r.source, "external_id": r.external_id,
                     "customer": r.customer_name, "courier": r.courier})
    return rows


def open_without_order(conn: Connection, account: str, as_of: date) -> Decimal:
    """What `account` holds as of a day from entries of no order (a remittance's credit)."""
    query = (select(func.sum(_l.c.debit), func.sum(_l.c.credit)).join(_e, _e.c.id == _l.c.entry_id)
             .where(_l.c.account == account, _e.c.date <= as_of, _e.c.order_id.is_(None)))
    debit, credit = conn.execute(query).one()
    return _money(debit) - _money(credit)


# --- Stock ----------------------------------------------------------------------------------------

def stock_as_of(conn: Connection, before: datetime) -> list[dict]:
    """Per SKU, the movements up to a moment: quantity on hand and value (satang)."""
    m, p = t.stock_movements, t.products
    query = (select(m.c.sku, p.c.name, func.sum(m.c.on_hand_delta).label("quantity"),
                    func.sum(m.c.value_delta_satang).label("value"))
             .join(p, p.c.sku == m.c.sku).where(m.c.at < before).group_by(m.c.sku, p.c.name).order_by(m.c.sku))
    return [r._asdict() for r in conn.execute(query)]


# --- Sales ----------------------------------------------------------------------------------------

def sales_documents(conn: Connection, start: date, end: date) -> list[dict]:
    """Documents that book or take back revenue, dated start..end, or voided in it: invoices,
    receipts issued without an invoice, credit notes; with the order's channel."""
    paid_invoice = _d.alias("paid_invoice")
    query = (select(_d.c.number, _d.c.kind, _d.c.status, _d.c.date, _d.c.voided_on, _d.c.total, _d.c.vat,
                    _d.c.particulars, _d.c.order_id, _o.c.channel, paid_invoice.c.kind.label("refers_kind"))
             .join(_o, _o.c.id == _d.c.order_id)
             .outerjoin(paid_invoice, paid_invoice.c.number == _d.c.refers_to)
             .where(or_(and_(_d.c.date >= start, _d.c.date <= end),
                        and_(_d.c.voided_on >= start, _d.c.voided_on <= end)))
             .order_by(_d.c.date, _d.c.number))
    return [r._asdict() for r in conn.execute(query)]


# --- The journal ----------------------------------------------------------------------------------

def iter_journal(conn: Connection, start: date | None = None, end: date | None = None) -> Iterator[dict]:
    """Entries in date and id order with their lines (satang), streamed."""
    query = (select(_e.c.id, _e.c.date, _e.c.memo, _e.c.event, _e.c.document_number, _l.c.account,
                    _l.c.debit, _l.c.credit).join(_l, _l.c.entry_id == _e.c.id).order_by(_e.c.date, _e.c.id, _l.c.id))
    if start is not None:
        query = query.where(_e.c.date >= start)
    if end is not None:
        query = query.where(_e.c.date <= end)
    current = None
    for rows in conn.execution_options(yield_per=STREAM_CHUNK).execute(query).partitions():
        for r in rows:
            if current is None or current["id"] != r.id:
                if current is not None:
                    yield current
                current = {"id": r.id, "date": r.date, "memo": r.memo, "event": r.event,
                           "document": r.document_number, "lines": []}
            current["lines"].append((r.account, r.debit, r.credit))
    if current is not None:
        yield current
