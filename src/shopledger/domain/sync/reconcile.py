"""The reconciler: (the order now, the documents it holds) -> the actions to take.

One pure function following the accounting rules' table (DOCUMENT_RULES below). Each cell of the
table is a function named for its rule, so "a cancelled, receipted order gets a credit note"
is found by its name. Seeing the same order again finds every document already held and
returns nothing.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from shopledger.domain.accounting.documents import (
    CANCEL_CAUSE, REFUND_CAUSE_PREFIX, REFUNDED_STATUS_CAUSE, HeldDocument, Holding, OrderBooks,
)
from shopledger.domain.accounting.vat import credit_vat, rate_on
from shopledger.domain.clock import business_date
from shopledger.domain.money import ZERO
from shopledger.domain.orders.model import FulfillmentStatus, Order, OrderClass, PaymentStatus
from shopledger.domain.sync.actions import (
    Action, IssueCreditNote, IssueInvoice, IssueReceipt, PayRefund, RaiseAlert, VoidInvoice,
)
from shopledger.domain.sync.policy import BooksPolicy, amounts_key

Rule = Callable[[Order, OrderBooks, BooksPolicy], list[Action]]


def awaiting_payment_order_gets_invoice(order, books, policy):
    return [IssueInvoice()]


def open_invoice_follows_changed_amounts(order, books, policy):
    invoice = books.open_invoice
    if invoice.amounts_key == amounts_key(order):
        return []
    return [_void(invoice, "the order's amounts changed", cancellation_date(order)), IssueInvoice()]


def receipted_order_back_to_unpaid_is_alerted(order, books, policy):
    return [RaiseAlert("receipted_order_unpaid",
                       f"order is {order.payment_status} but receipt {books.receipt.number} was issued",
                       "check the payment in the shop; the books are unchanged")]


def nothing(order, books, policy):
    return []


def paid_order_gets_receipt(order, books, policy):
    return [IssueReceipt(against_invoice=None)]


def paid_invoice_gets_payment_and_receipt(order, books, policy):
    invoice = books.open_invoice
    actions: list[Action] = []
    if invoice.amounts_key != amounts_key(order):
        # The buyer paid a different amount than billed: the receipt must match the money.
        actions.append(_void(invoice, "paid amount differs from the invoice", receipt_date(order)))
        invoice = None
    elif invoice.vat != _receipt_vat(order, policy):
        # The VAT rate (or registration) changed before the tax point: the receipt/tax invoice
        # and its entry carry the VAT of the payment day, which the invoice's entry does not.
        actions.append(_void(invoice, "the VAT on the payment day differs from the invoice", receipt_date(order)))
        invoice = None
    return actions + [IssueReceipt(against_invoice=invoice)]


def receipted_order_with_changed_amounts_is_alerted(order, books, policy):
    receipt = books.receipt
    if receipt.total == order.total and receipt.amounts_key in ("", amounts_key(order)):
        return []
    return [RaiseAlert("receipted_amount_changed",
                       f"the order's amounts changed (total now {order.total}) since receipt {receipt.number}"
                       f" ({receipt.total}) was issued",
                       "issue a credit note by hand or correct the order in the shop")]


def paid_after_cancellation_is_alerted(order, books, policy):
    if books.receipt is not None and not books.has_credit_note(CANCEL_CAUSE):
        # Credited in full by refunds, not by a cancellation: the sale stands, paid and paid
        # back, so the order answers like any receipted one (nothing, unless amounts changed).
        return receipted_order_with_changed_amounts_is_alerted(order, books, policy)
    return [RaiseAlert("paid_after_cancellation",
                       "order is paid but its documents were cancelled",
                       "refund the buyer or re-enter the order")]


def cancelled_order_without_documents_is_recorded_only(order, books, policy):
    return []


def cancelled_invoiced_order_voids_invoice(order, books, policy):
    return [_void(books.open_invoice, "order cancelled", cancellation_date(order))]


def cancelled_receipted_order_gets_credit_note(order, books, policy):
    receipt = books.receipt
    remaining = receipt.total - books.credited_total
    if remaining <= ZERO:
        return []
    returned = order.fulfillment_status is FulfillmentStatus.RETURNED
    vat = credit_vat(remaining, receipt_total=receipt.total, receipt_vat=receipt.vat,
                     credited_total=books.credited_total, credited_vat=books.credited_vat,
                     rate=rate_on(policy.vat_rates, receipt.date))
    return [IssueCreditNote(
        CANCEL_CAUSE, remaining, vat,
        "returned_goods" if returned else "cancelled_order",
        "goods returned by the buyer" if returned else "order cancelled",
        max(cancellation_date(order), receipt.date))]


DOCUMENT_RULES: dict[tuple[OrderClass, Holding], Rule] = {
    (OrderClass.AWAITING_PAYMENT, Holding.NONE): awaiting_payment_order_gets_invoice,
    (OrderClass.AWAITING_PAYMENT, Holding.INVOICE_OPEN): open_invoice_follows_changed_amounts,
    (OrderClass.AWAITING_PAYMENT, Holding.RECEIPTED): receipted_order_back_to_unpaid_is_alerted,
    (OrderClass.AWAITING_PAYMENT, Holding.CLOSED): nothing,
    (OrderClass.PAID, Holding.NONE): paid_order_gets_receipt,
    (OrderClass.PAID, Holding.INVOICE_OPEN): paid_invoice_gets_payment_and_receipt,
    (OrderClass.PAID, Holding.RECEIPTED): receipted_order_with_changed_amounts_is_alerted,
    (OrderClass.PAID, Holding.CLOSED): paid_after_cancellation_is_alerted,
    (OrderClass.CANCELLED, Holding.NONE): cancelled_order_without_documents_is_recorded_only,
    (OrderClass.CANCELLED, Holding.INVOICE_OPEN): cancelled_invoiced_order_voids_invoice,
    (OrderClass.CANCELLED, Holding.RECEIPTED): cancelled_receipted_order_gets_credit_note,
    (OrderClass.CANCELLED, Holding.CLOSED): nothing,
}


def reconcile(order: Order, books: OrderBooks, policy: BooksPolicy) -> list[Action]:
    """The actions that bring the books of `order` in line with what it says now."""
    rule = DOCUMENT_RULES[(order.order_class, books.holding)]
    actions = rule(order, books, policy)
    receipted = books.receipt is not None or any(isinstance(a, IssueReceipt) for a in actions)
    if receipted and order.refunds:
        refund_notes = refunds_get_credit_notes(order, books, policy)
        actions = _credit_refunds_before_cancellation(actions, refund_notes)
    elif order.refunds and books.receipt is None:
        actions.append(RaiseAlert("refund_without_receipt",
                                  "the shop lists a refund but the order was never receipted",
                                  "check the order's payment in the shop"))
    if receipted:
        actions += refunds_paid_out(order, books, actions)
    return actions


def refunds_get_credit_notes(order: Order, books: OrderBooks, policy: BooksPolicy) -> list[Action]:
    """One credit note per refund of a receipted order, never more than the receipt."""
    receipt_total = books.receipt.total if books.receipt else order.total
    receipt_vat = books.receipt.vat if books.receipt else _receipt_vat(order, policy)
    rate = rate_on(policy.vat_rates, books.receipt.date if books.receipt else receipt_date(order))
    credited, credited_vat = books.credited_total, books.credited_vat
    notes: list[Action] = []
    for refund in sorted(order.refunds, key=lambda r: (r.created_at or order.updated_at, r.external_id)):
        cause = REFUND_CAUSE_PREFIX + refund.external_id
        if books.has_credit_note(cause) or books.has_credit_note(CANCEL_CAUSE):
            continue
        amount = min(refund.amount, receipt_total - credited)
        if amount <= ZERO:
            continue
        on = max(business_date(refund.created_at or order.updated_at), tax_point(order, books))
        vat = credit_vat(amount, receipt_total=receipt_total, receipt_vat=receipt_vat,
                         credited_total=credited, credited_vat=credited_vat, rate=rate)
        notes.append(IssueCreditNote(cause, amount, vat, "refund",
                                     f"refund {refund.external_id}", on, refund.external_id))
        credited, credited_vat = credited + amount, credited_vat + vat
    return notes


def refunds_paid_out(order: Order, books: OrderBooks, actions: list[Action]) -> list[Action]:
    """Money paid back: once per listed refund, and the rest when the order says `refunded`.
    Never more than was paid, so a refunded order that also lists its refunds is paid back once."""
    paid = books.receipt.total if books.receipt else order.total
    paid_back = books.refunded_total
    earliest = tax_point(order, books)
    payouts: list[Action] = []
    for refund in order.refunds:
        cause = REFUND_CAUSE_PREFIX + refund.external_id
        amount = min(refund.amount, paid - paid_back)
        if cause in books.refunds_paid or amount <= ZERO:
            continue
        payouts.append(PayRefund(cause, amount, max(business_date(refund.created_at or order.updated_at), earliest)))
        paid_back += amount
    if (order.payment_status is PaymentStatus.REFUNDED and REFUNDED_STATUS_CAUSE not in books.refunds_paid
            and paid - paid_back > ZERO):
        # Paid back when the order first said refunded: the version saying so is the evidence
        # (cancelled_at may be days earlier, while the refund was still owed in 213201).
        payouts.append(PayRefund(REFUNDED_STATUS_CAUSE, paid - paid_back,
                                 max(business_date(order.updated_at), earliest)))
    return payouts


def _credit_refunds_before_cancellation(actions: list[Action], refund_notes: list[Action]) -> list[Action]:
    """Refund credit notes come first; a cancellation note then credits only what is left."""
    cancel = [a for a in actions if isinstance(a, IssueCreditNote) and a.cause == CANCEL_CAUSE]
    if not cancel:
        return actions + refund_notes
    others = [a for a in actions if a not in cancel]
    note = cancel[0]
    left = note.total - sum((n.total for n in refund_notes), ZERO)
    left_vat = note.vat - sum((n.vat for n in refund_notes), ZERO)
    rest = [IssueCreditNote(note.cause, left, left_vat, note.reason_code, note.reason, note.on)] if left > ZERO else []
    return others + refund_notes + rest


def _receipt_vat(order: Order, policy: BooksPolicy) -> Decimal:
    from shopledger.domain.accounting.vat import order_amounts
    return order_amounts(order, rate_on(policy.vat_rates, receipt_date(order)), policy.vat_registered).vat


def tax_point(order: Order, books: OrderBooks) -> date:
    """The receipt/tax invoice's day (held, or issued in this pass): no credit note or payout
    is dated before the money came in."""
    return books.receipt.date if books.receipt else receipt_date(order)


def _void(invoice: HeldDocument, reason: str, day: date) -> VoidInvoice:
    """An invoice is never voided (its entry reversed) before its own date."""
    return VoidInvoice(invoice, reason, max(day, invoice.date))


def receipt_date(order: Order) -> date:
    """The tax point: when the money came in (the update that said paid, if the shop gave no time)."""
    return business_date(order.paid_at or order.updated_at)


def cancellation_date(order: Order) -> date:
    return business_date(order.cancelled_at or order.updated_at)


def invoice_date(order: Order) -> date:
    return business_date(order.placed_at)
