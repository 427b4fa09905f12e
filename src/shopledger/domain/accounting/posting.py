"""Posting rules: each action of the reconciler -> the document it issues and the entry it posts.

The journal rows are those of accounting-rules.md ("Journal entries"), one function each.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from shopledger.domain.accounting import chart
from shopledger.domain.accounting.documents import (
    DocumentKind, HeldDocument, OrderBooks,
)
from shopledger.domain.accounting.journal import EntryDraft, JournalLine, cr, dr, entry, reversal
from shopledger.domain.accounting.particulars import (
    buyer_of, credit_note_particulars, party, sale_particulars, seller_postal,
)
from shopledger.domain.accounting.vat import DocumentAmounts, order_amounts, rate_on
from shopledger.domain.money import fmt
from shopledger.domain.orders.model import Order
from shopledger.domain.sync.actions import (
    Action, IssueCreditNote, IssueInvoice, IssueReceipt, PayRefund, RaiseAlert, VoidInvoice,
)
from shopledger.domain.sync.policy import BooksPolicy, amounts_key
from shopledger.domain.sync.reconcile import invoice_date, receipt_date


@dataclass(frozen=True, slots=True)
class DocumentDraft:
    kind: DocumentKind
    date: date
    total: Decimal
    vat: Decimal
    cause: str
    amounts_key: str
    refers_to: str | None  # the number of the document this one pays or corrects
    particulars: dict


@dataclass(frozen=True, slots=True)
class Posting:
    """What one action puts on the books. `cause` is unique per order: posting twice is a no-op."""

    cause: str
    entry: EntryDraft | None = None
    document: DocumentDraft | None = None
    voids: HeldDocument | None = None
    void_on: date | None = None  # the day the voided document's entry is reversed (or would be)
    alert: RaiseAlert | None = None


EntryLinesOf = Callable[[HeldDocument], tuple[JournalLine, ...]]


def posting_for(action: Action, order: Order, books: OrderBooks, policy: BooksPolicy,
                entry_lines_of: EntryLinesOf) -> Posting:
    match action:
        case IssueInvoice():
            return _invoice(order, books, policy)
        case IssueReceipt(against_invoice=invoice):
            return _receipt(order, invoice, policy)
        case VoidInvoice(invoice=invoice, on=on, reason=reason):
            lines = entry_lines_of(invoice) if invoice.total else ()  # a free invoice posted no entry
            memo, day = f"void {invoice.number}: {reason}", policy.open_day(on)
            return Posting(f"void:{invoice.number}", reversal(lines, day, memo), voids=invoice, void_on=day)
        case IssueCreditNote():
            return _credit_note(action, order, books, policy)
        case PayRefund(cause=cause, amount=amount, on=on):
            account = chart.refund_account(order.payment_method, policy.payment_accounts)
            return Posting(f"refund_paid:{cause}", refund_paid_entry(policy.open_day(on), amount, account, order))
        case RaiseAlert():
            return Posting(f"alert:{action.code}", alert=action)
    raise TypeError(f"no posting rule for {action!r}")


def _seller(policy: BooksPolicy) -> dict:
    c = policy.company
    return party(c.name, c.address, c.tax_id, c.branch) | seller_postal(c)


def _order_ref(order: Order) -> str:
    return f"{order.source}:{order.external_id}"


def _invoice(order: Order, books: OrderBooks, policy: BooksPolicy) -> Posting:
    day = invoice_date(order)
    amounts = order_amounts(order, rate_on(policy.vat_rates, day), policy.vat_registered)
    cause = f"invoice-{books.invoice_count + 1}"
    particulars = sale_particulars(DocumentKind.INVOICE, day, _seller(policy), buyer_of(order.customer),
                                   amounts, _order_ref(order))
    doc = DocumentDraft(DocumentKind.INVOICE, day, amounts.total, amounts.vat, cause,
                        amounts_key(order), None, particulars)
    return Posting(cause, invoice_entry(policy.open_day(day), amounts, order), doc)


def _receipt(order: Order, invoice: HeldDocument | None, policy: BooksPolicy) -> Posting:
    day = receipt_date(order)
    kind = DocumentKind.RECEIPT_TAX_INVOICE if policy.vat_registered else DocumentKind.RECEIPT
    amounts = order_amounts(order, rate_on(policy.vat_rates, day), policy.vat_registered)
    account = chart.payment_account(order.payment_method, policy.payment_accounts)
    particulars = sale_particulars(kind, day, _seller(policy), buyer_of(order.customer), amounts, _order_ref(order))
    if invoice is not None:
        particulars["pays"] = {"number": invoice.number, "date": invoice.date.isoformat()}
        posted = payment_on_invoice_entry(policy.open_day(day), invoice, account, order)
    else:
        posted = direct_receipt_entry(policy.open_day(day), amounts, account, order)
    doc = DocumentDraft(kind, day, amounts.total, amounts.vat, "sale", amounts_key(order),
                        invoice.number if invoice else None, particulars)
    return Posting("sale", posted, doc)


def _credit_note(action: IssueCreditNote, order: Order, books: OrderBooks, policy: BooksPolicy) -> Posting:
    receipt = books.receipt
    corrects = {"number": receipt.number, "date": receipt.date.isoformat(), "total": fmt(receipt.total)}
    refund = next((r for r in order.refunds if r.external_id == action.refund_id), None)
    prices = {line.sku: line.unit_price for line in order.lines}
    names = {line.sku: line.name for line in order.lines}
    lines = [{"sku": l.sku, "name": names.get(l.sku, ""), "quantity": l.quantity,
              "unit_price": fmt(prices.get(l.sku, 0))} for l in (refund.lines if refund else ())]
    particulars = credit_note_particulars(
        action.on, _seller(policy), buyer_of(order.customer), _order_ref(order), corrects=corrects,
        original_value=receipt.total - receipt.vat, credited_before=books.credited_total - books.credited_vat,
        total=action.total, vat=action.vat, reason_code=action.reason_code, reason=action.reason, lines=lines)
    doc = DocumentDraft(DocumentKind.CREDIT_NOTE, action.on, action.total, action.vat, action.cause,
                        "", receipt.number, particulars)
    return Posting(f"credit_note:{action.cause}", credit_note_entry(policy.open_day(action.on), action, order), doc)


def _memo(what: str, order: Order) -> str:
    return f"{what} {order.source}:{order.external_id}"


def invoice_entry(day: date, a: DocumentAmounts, order: Order) -> EntryDraft | None:
    """Dr 113101 AR T; Cr 411101 goods N; Cr 411201 shipping N; Cr 213102 VAT not yet due V."""
    return entry(day, _memo("invoice", order), "invoice",
                 dr(chart.ACCOUNTS_RECEIVABLE, a.total), cr(chart.SALES, a.goods_net),
                 cr(chart.SHIPPING_INCOME, a.shipping_net), cr(chart.OUTPUT_VAT_NOT_DUE, a.vat))


def payment_on_invoice_entry(day: date, invoice: HeldDocument, account: str, order: Order) -> EntryDraft | None:
    """Dr payment T; Dr 213102 V; Cr 113101 AR T; Cr 213101 output VAT V (the tax point)."""
    return entry(day, _memo("payment", order), "payment_on_invoice",
                 dr(account, invoice.total), dr(chart.OUTPUT_VAT_NOT_DUE, invoice.vat),
                 cr(chart.ACCOUNTS_RECEIVABLE, invoice.total), cr(chart.OUTPUT_VAT, invoice.vat))


def direct_receipt_entry(day: date, a: DocumentAmounts, account: str, order: Order) -> EntryDraft | None:
    """Dr payment T; Cr 411101; Cr 411201; Cr 213101 output VAT V."""
    return entry(day, _memo("sale", order), "receipt",
                 dr(account, a.total), cr(chart.SALES, a.goods_net),
                 cr(chart.SHIPPING_INCOME, a.shipping_net), cr(chart.OUTPUT_VAT, a.vat))


def credit_note_entry(day: date, note: IssueCreditNote, order: Order) -> EntryDraft | None:
    """Dr 412101 sales returns N; Dr 213101 output VAT V; Cr 213201 refunds payable T."""
    return entry(day, _memo("credit note", order), "credit_note",
                 dr(chart.SALES_RETURNS, note.total - note.vat), dr(chart.OUTPUT_VAT, note.vat),
                 cr(chart.REFUNDS_PAYABLE, note.total))


def refund_paid_entry(day: date, amount: Decimal, account: str, order: Order) -> EntryDraft | None:
    """Dr 213201 refunds payable; Cr the account the money left from."""
    return entry(day, _memo("refund paid", order), "refund_paid",
                 dr(chart.REFUNDS_PAYABLE, amount), cr(account, amount))
