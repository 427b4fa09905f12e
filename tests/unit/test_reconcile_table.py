"""The "Which document" table of accounting-rules.md, one test per cell, and its sub-cases.

Each test hands `reconcile` an order (parsed from the interchange format) and the books it
already holds (made by hand), and reads back the actions it decides.
"""
from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest

from shopledger.domain.accounting.apply import bring_books_up_to_date
from shopledger.domain.accounting.documents import (
    CANCEL_CAUSE, DocumentKind, DocumentStatus, HeldDocument, Holding, OrderBooks,
)
from shopledger.domain.accounting.numbering import format_number
from shopledger.domain.orders.interchange import parse_order
from shopledger.domain.orders.model import OrderClass
from shopledger.domain.sync.actions import (
    IssueCreditNote, IssueInvoice, IssueReceipt, PayRefund, RaiseAlert, VoidInvoice,
)
from shopledger.domain.sync.policy import BooksPolicy, amounts_key
from shopledger.domain.sync.reconcile import reconcile
from tests.builders import make_order_dict

pytestmark = pytest.mark.unit

D = Decimal
POLICY = BooksPolicy()
UNPAID = {"payment_status": "unpaid", "paid_at": None}
CANCELLED_AT = "2026-11-25T10:00:00+07:00"
CANCELLED = {"cancelled_at": CANCELLED_AT, "updated_at": CANCELLED_AT}
REFUNDED = {"payment_status": "refunded", "cancelled_at": CANCELLED_AT, "updated_at": CANCELLED_AT}
# The default order: 2 x 350 + (120 - 20) + shipping 50 = 850.00, VAT 850 x 7/107 = 55.61.
TOTAL, VAT = D("850.00"), D("55.61")

AWAITING_PAYMENT = {
    "unpaid": UNPAID,
    "verifying": {"payment_status": "verifying", "paid_at": None},
    "cod-shipped-not-collected": {**UNPAID, "payment_method": "cod", "fulfillment_status": "shipped"},
}
CANCELLED_ORDERS = {
    "cancelled-paid": CANCELLED,
    "refunded": {"payment_status": "refunded", "updated_at": CANCELLED_AT},
    "returned": {"fulfillment_status": "returned", "updated_at": CANCELLED_AT},
}


def order(**overrides):
    return parse_order(make_order_dict(**overrides), "import")


def invoice_of(the_order, *, status=DocumentStatus.ISSUED, key=None, number="IV-202611-00001"):
    return HeldDocument(1, DocumentKind.INVOICE, status, number, date(2026, 11, 20), TOTAL, VAT,
                        "invoice-1", amounts_key(the_order) if key is None else key)


def receipt_of(the_order, *, total=TOTAL, vat=VAT):
    return HeldDocument(2, DocumentKind.RECEIPT_TAX_INVOICE, DocumentStatus.ISSUED, "RT-202611-00001",
                        date(2026, 11, 20), total, vat, "sale", amounts_key(the_order))


def credit_note(cause, total, vat, number="CN-202611-00001"):
    return HeldDocument(3, DocumentKind.CREDIT_NOTE, DocumentStatus.ISSUED, number, date(2026, 11, 25),
                        D(total), D(vat), cause)


def books(*documents, refunds_paid=None):
    return OrderBooks(tuple(documents), dict(refunds_paid or {}))


def codes(actions):
    return [a.code for a in actions if isinstance(a, RaiseAlert)]


def receipted_and_cancel_credited(the_order):
    return books(receipt_of(the_order), credit_note(CANCEL_CAUSE, "850.00", "55.61"))


def receipted_and_fully_refunded(the_order):
    return books(receipt_of(the_order), credit_note("refund:R1", "850.00", "55.61"),
                 refunds_paid={"refund:R1": TOTAL})


def closed_books(kind, the_order):
    return {
        "invoice-void": lambda: books(invoice_of(the_order, status=DocumentStatus.VOID)),
        "cancel-credited": lambda: receipted_and_cancel_credited(the_order),
        "fully-refunded": lambda: receipted_and_fully_refunded(the_order),
    }[kind]()


CLOSED_KINDS = ["invoice-void", "cancel-credited", "fully-refunded"]


# --- awaiting payment ----------------------------------------------------------------------


@pytest.mark.parametrize("status", AWAITING_PAYMENT.values(), ids=AWAITING_PAYMENT.keys())
def test_awaiting_payment__none__issues_an_invoice(status):
    now = order(**status)
    assert now.order_class is OrderClass.AWAITING_PAYMENT
    assert reconcile(now, OrderBooks(), POLICY) == [IssueInvoice()]


@pytest.mark.parametrize("status", AWAITING_PAYMENT.values(), ids=AWAITING_PAYMENT.keys())
def test_awaiting_payment__invoice_open__does_nothing(status):
    now = order(**status)
    held = books(invoice_of(now))
    assert held.holding is Holding.INVOICE_OPEN
    assert reconcile(now, held, POLICY) == []


def test_awaiting_payment__receipted__alerts_that_a_receipted_order_went_back_to_unpaid():
    now = order(**UNPAID)
    held = books(receipt_of(now))
    assert held.holding is Holding.RECEIPTED
    actions = reconcile(now, held, POLICY)
    assert codes(actions) == ["receipted_order_unpaid"]
    assert all(isinstance(a, RaiseAlert) for a in actions)  # the books are not touched
    assert "RT-202611-00001" in actions[0].reason


@pytest.mark.parametrize("closed", CLOSED_KINDS)
def test_awaiting_payment__invoice_void_or_fully_credited__does_nothing(closed):
    now = order(**UNPAID)
    held = closed_books(closed, now)
    assert held.holding is Holding.CLOSED
    assert reconcile(now, held, POLICY) == []


# --- paid ----------------------------------------------------------------------------------


def test_paid__none__issues_a_receipt_tax_invoice_directly():
    now = order()
    assert now.order_class is OrderClass.PAID
    assert reconcile(now, OrderBooks(), POLICY) == [IssueReceipt(against_invoice=None)]


def test_paid__invoice_open__records_the_payment_against_it_with_a_receipt_tax_invoice():
    now = order()
    invoice = invoice_of(now)
    assert reconcile(now, books(invoice), POLICY) == [IssueReceipt(against_invoice=invoice)]


def test_paid__receipted__does_nothing():
    now = order()
    assert reconcile(now, books(receipt_of(now)), POLICY) == []


@pytest.mark.parametrize("closed", ["invoice-void", "cancel-credited"])  # refunds: see below
def test_paid__invoice_void_or_fully_credited__alerts_paid_after_cancellation(closed):
    now = order()
    actions = reconcile(now, closed_books(closed, now), POLICY)
    assert codes(actions) == ["paid_after_cancellation"]
    assert all(isinstance(a, RaiseAlert) for a in actions)


# --- cancelled -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", CANCELLED_ORDERS.values(), ids=CANCELLED_ORDERS.keys())
def test_cancelled__none__is_recorded_only(status):
    now = order(**status)
    assert now.order_class is OrderClass.CANCELLED
    assert reconcile(now, OrderBooks(), POLICY) == []


@pytest.mark.parametrize("status", CANCELLED_ORDERS.values(), ids=CANCELLED_ORDERS.keys())
def test_cancelled__invoice_open__voids_the_invoice_on_the_day_of_cancellation(status):
    now = order(**status)
    invoice = invoice_of(now)
    assert reconcile(now, books(invoice), POLICY) == [VoidInvoice(invoice, "order cancelled", date(2026, 11, 25))]


def test_cancelled__receipted__issues_a_credit_note_against_the_receipt_tax_invoice():
    now = order(**CANCELLED)
    assert reconcile(now, books(receipt_of(now)), POLICY) == [
        IssueCreditNote(CANCEL_CAUSE, TOTAL, VAT, "cancelled_order", "order cancelled", date(2026, 11, 25))]


@pytest.mark.parametrize("closed", CLOSED_KINDS)
@pytest.mark.parametrize("status", CANCELLED_ORDERS.values(), ids=CANCELLED_ORDERS.keys())
def test_cancelled__invoice_void_or_fully_credited__does_nothing(status, closed):
    now = order(**status)
    held = closed_books(closed, now)
    if now.payment_status == "refunded" and held.receipt is not None:
        held = books(*held.documents, refunds_paid=held.refunds_paid or {"refunded": TOTAL})
    assert reconcile(now, held, POLICY) == []


# --- sub-cases of the table ----------------------------------------------------------------


def test_open_invoice_whose_amounts_changed_is_voided_and_reissued():
    before = order(**UNPAID)
    invoice = invoice_of(before)
    now = order(**UNPAID, updated_at="2026-11-21T12:00:00+07:00", shipping_fee="70.00", total="870.00")
    assert reconcile(now, books(invoice), POLICY) == [
        VoidInvoice(invoice, "the order's amounts changed", date(2026, 11, 21)), IssueInvoice()]


def test_void_and_reissue_keeps_the_old_number_and_takes_the_next_one():
    before = order(**UNPAID)
    now = order(**UNPAID, updated_at="2026-11-21T12:00:00+07:00", shipping_fee="70.00", total="870.00")
    counter = itertools.count(2)
    change = bring_books_up_to_date(now, books(invoice_of(before)), POLICY,
                                    lambda p, m: format_number(p, m, next(counter)), lambda doc: ())
    assert [doc.number for doc, _ in change.voids] == ["IV-202611-00001"]
    assert [(d.number, d.draft.cause, d.draft.total) for d in change.documents] == [
        ("IV-202611-00002", "invoice-2", D("870.00"))]
    assert change.books.open_invoice.number == "IV-202611-00002"
    assert reconcile(now, change.books, POLICY) == []  # and seeing it again does nothing


def test_paid_order_whose_invoice_amounts_differ_voids_it_and_receipts_directly():
    before = order(**UNPAID)
    invoice = invoice_of(before)
    now = order(shipping_fee="70.00", total="870.00")
    assert reconcile(now, books(invoice), POLICY) == [
        VoidInvoice(invoice, "paid amount differs from the invoice", date(2026, 11, 20)),
        IssueReceipt(against_invoice=None)]


def test_receipted_order_whose_amounts_changed_is_alerted_and_left_alone():
    held = books(receipt_of(order()))
    now = order(updated_at="2026-11-22T09:00:00+07:00", shipping_fee="70.00", total="870.00")
    actions = reconcile(now, held, POLICY)
    assert codes(actions) == ["receipted_amount_changed"]
    assert len(actions) == 1


def test_receipted_order_whose_lines_changed_at_the_same_total_is_alerted():
    held = books(receipt_of(order()))
    swapped = [{"sku": "HONEY-1L", "name": "น้ำผึ้งป่า 1 ลิตร", "quantity": 2, "unit_price": "400.00"}]
    now = order(updated_at="2026-11-22T09:00:00+07:00", lines=swapped)
    assert now.total == TOTAL
    assert codes(reconcile(now, held, POLICY)) == ["receipted_amount_changed"]


# --- refunds -------------------------------------------------------------------------------


def refund(rid, amount, day="2026-11-22T10:00:00+07:00", **extra):
    return {"external_id": rid, "amount": amount, "created_at": day, **extra}


def test_a_refund_on_a_receipted_order_gets_one_credit_note_and_is_paid_out():
    now = order(refunds=[refund("R1", "300.00", lines=[{"sku": "HONEY-1L", "quantity": 1}], restock=True)])
    assert reconcile(now, books(receipt_of(now)), POLICY) == [
        IssueCreditNote("refund:R1", D("300.00"), D("19.63"), "refund", "refund R1", date(2026, 11, 22), "R1"),
        PayRefund("refund:R1", D("300.00"), date(2026, 11, 22))]


def test_each_refund_gets_its_own_credit_note_in_the_order_they_were_made():
    now = order(refunds=[refund("R2", "100.00", "2026-11-23T10:00:00+07:00"), refund("R1", "200.00")])
    notes = [a for a in reconcile(now, books(receipt_of(now)), POLICY) if isinstance(a, IssueCreditNote)]
    assert [(n.cause, n.total, n.on) for n in notes] == [
        ("refund:R1", D("200.00"), date(2026, 11, 22)), ("refund:R2", D("100.00"), date(2026, 11, 23))]


def test_a_refund_already_credited_and_paid_is_not_credited_or_paid_again():
    now = order(refunds=[refund("R1", "300.00")])
    held = books(receipt_of(now), credit_note("refund:R1", "300.00", "19.63"), refunds_paid={"refund:R1": D("300.00")})
    assert reconcile(now, held, POLICY) == []


def test_a_refund_credited_once_even_if_the_shop_later_changes_its_amount():
    now = order(refunds=[refund("R1", "400.00")], updated_at="2026-11-24T10:00:00+07:00")
    held = books(receipt_of(now), credit_note("refund:R1", "300.00", "19.63"), refunds_paid={"refund:R1": D("300.00")})
    assert reconcile(now, held, POLICY) == []


def test_refund_credit_notes_are_capped_at_what_is_left_of_the_receipt():
    now = order(refunds=[refund("R2", "400.00", "2026-11-23T10:00:00+07:00")], updated_at="2026-11-23T10:00:00+07:00")
    held = books(receipt_of(now), credit_note("refund:R1", "600.00", "39.25"), refunds_paid={"refund:R1": D("600.00")})
    assert reconcile(now, held, POLICY) == [
        # the last 250.00 takes exactly the VAT left on the receipt: 55.61 - 39.25
        IssueCreditNote("refund:R2", D("250.00"), D("16.36"), "refund", "refund R2", date(2026, 11, 23), "R2"),
        PayRefund("refund:R2", D("250.00"), date(2026, 11, 23))]


def test_refunds_against_a_receipt_smaller_than_the_order_now_are_capped_at_the_receipt():
    held = books(receipt_of(order()))
    now = order(shipping_fee="150.00", total="950.00", refunds=[refund("R1", "950.00")])
    actions = reconcile(now, held, POLICY)
    notes = [a for a in actions if isinstance(a, IssueCreditNote)]
    payouts = [a for a in actions if isinstance(a, PayRefund)]
    assert [(n.total, n.vat) for n in notes] == [(TOTAL, VAT)]
    assert [p.amount for p in payouts] == [TOTAL]
    assert codes(actions) == ["receipted_amount_changed"]


def test_refunds_on_an_order_receipted_in_the_same_pass_are_credited_after_the_receipt():
    now = order(refunds=[refund("R1", "107.00")])
    assert reconcile(now, OrderBooks(), POLICY) == [
        IssueReceipt(against_invoice=None),
        IssueCreditNote("refund:R1", D("107.00"), D("7.00"), "refund", "refund R1", date(2026, 11, 22), "R1"),
        PayRefund("refund:R1", D("107.00"), date(2026, 11, 22))]


def test_a_refunded_order_that_lists_its_refund_is_paid_back_once():
    now = order(**REFUNDED, refunds=[refund("R1", "850.00")])
    actions = reconcile(now, books(receipt_of(now)), POLICY)
    assert [(a.cause, a.total) for a in actions if isinstance(a, IssueCreditNote)] == [("refund:R1", TOTAL)]
    assert [(a.cause, a.amount) for a in actions if isinstance(a, PayRefund)] == [("refund:R1", TOTAL)]


def test_a_refunded_order_with_a_partial_refund_listed_pays_back_the_rest_once():
    now = order(**REFUNDED, refunds=[refund("R1", "300.00")])
    actions = reconcile(now, books(receipt_of(now)), POLICY)
    notes = [(a.cause, a.total, a.vat) for a in actions if isinstance(a, IssueCreditNote)]
    assert notes == [("refund:R1", D("300.00"), D("19.63")), (CANCEL_CAUSE, D("550.00"), D("35.98"))]
    assert [(a.cause, a.amount) for a in actions if isinstance(a, PayRefund)] == [
        ("refund:R1", D("300.00")), ("refunded", D("550.00"))]


def test_refunds_listed_after_the_order_was_refunded_are_not_paid_again():
    now = order(**{**REFUNDED, "updated_at": "2026-11-26T10:00:00+07:00"}, refunds=[refund("R1", "850.00")])
    held = books(receipt_of(now), credit_note(CANCEL_CAUSE, "850.00", "55.61"), refunds_paid={"refunded": TOTAL})
    assert reconcile(now, held, POLICY) == []


def test_a_cancelled_order_not_yet_refunded_leaves_the_refund_owed_in_213201():
    counter = itertools.count(1)
    take = lambda p, m: format_number(p, m, next(counter))  # noqa: E731
    paid = order()
    sale = bring_books_up_to_date(paid, OrderBooks(), POLICY, take, lambda doc: ())
    cancelled = order(**CANCELLED)
    change = bring_books_up_to_date(cancelled, sale.books, POLICY, take, lambda doc: ())
    assert [d.draft.kind for d in change.documents] == [DocumentKind.CREDIT_NOTE]
    assert balance_of("213201", sale.entries + change.entries) == D("-850.00")  # a credit: owed to the buyer
    refunded = order(**{**REFUNDED, "updated_at": "2026-11-27T10:00:00+07:00"})
    assert reconcile(refunded, change.books, POLICY) == [PayRefund("refunded", TOTAL, date(2026, 11, 27))]
    paid_back = bring_books_up_to_date(refunded, change.books, POLICY, take, lambda doc: ())
    assert balance_of("213201", sale.entries + change.entries + paid_back.entries) == 0
    assert balance_of("111201", sale.entries + change.entries + paid_back.entries) == 0


def balance_of(account, entries):
    return sum((l.debit - l.credit for e in entries for l in e.draft.lines if l.account == account), D("0"))


def test_a_refund_on_an_order_never_receipted_is_alerted_not_credited():
    now = order(**UNPAID, refunds=[refund("R1", "100.00")])
    actions = reconcile(now, books(invoice_of(now)), POLICY)
    assert codes(actions) == ["refund_without_receipt"]
    assert len(actions) == 1


# --- not VAT-registered --------------------------------------------------------------------


def test_a_merchant_not_registered_for_vat_gets_a_receipt_without_vat():
    policy = BooksPolicy(vat_registered=False)
    now = order()
    assert reconcile(now, OrderBooks(), policy) == [IssueReceipt(against_invoice=None)]
    counter = itertools.count(1)
    change = bring_books_up_to_date(now, OrderBooks(), policy, lambda p, m: format_number(p, m, next(counter)),
                                    lambda doc: ())
    [doc] = change.documents
    assert (doc.number, doc.draft.kind, doc.draft.vat) == ("RE-202611-00001", DocumentKind.RECEIPT, 0)
    assert doc.draft.particulars["title"] == "ใบเสร็จรับเงิน"
    assert [(l.account, l.debit, l.credit) for l in change.entries[0].draft.lines] == [
        ("111201", D("850.00"), 0), ("411101", 0, D("800.00")), ("411201", 0, D("50.00"))]


def test_a_merchant_not_registered_for_vat_credits_without_vat():
    policy = BooksPolicy(vat_registered=False)
    now = order(**CANCELLED)
    plain_receipt = HeldDocument(2, DocumentKind.RECEIPT, DocumentStatus.ISSUED, "RE-202611-00001",
                                 date(2026, 11, 20), TOTAL, D("0.00"), "sale", amounts_key(now))
    assert reconcile(now, books(plain_receipt), policy) == [
        IssueCreditNote(CANCEL_CAUSE, TOTAL, D("0.00"), "cancelled_order", "order cancelled", date(2026, 11, 25))]


# --- class precedence ----------------------------------------------------------------------


@pytest.mark.parametrize("overrides, expected", [
    ({}, OrderClass.PAID),
    (UNPAID, OrderClass.AWAITING_PAYMENT),
    ({"payment_status": "verifying", "paid_at": None}, OrderClass.AWAITING_PAYMENT),
    ({"fulfillment_status": "delivered"}, OrderClass.PAID),
    (CANCELLED, OrderClass.CANCELLED),
    ({**UNPAID, **CANCELLED}, OrderClass.CANCELLED),
    ({"payment_status": "refunded"}, OrderClass.CANCELLED),
    ({"fulfillment_status": "returned"}, OrderClass.CANCELLED),
    ({**UNPAID, "payment_method": "cod", "fulfillment_status": "returned"}, OrderClass.CANCELLED),
    ({"fulfillment_status": "delivered", **CANCELLED}, OrderClass.CANCELLED),
], ids=["paid", "unpaid", "verifying", "paid-delivered", "paid-but-cancelled", "unpaid-but-cancelled",
        "refunded", "paid-but-returned", "cod-refused", "delivered-but-cancelled"])
def test_order_class_cancelled_wins_over_everything_else(overrides, expected):
    assert order(**overrides).order_class is expected


def test_a_paid_order_that_is_cancelled_is_credited_not_left_alone():
    now = order(**CANCELLED)
    assert now.payment_status == "paid"
    [note] = reconcile(now, books(receipt_of(now)), POLICY)
    assert isinstance(note, IssueCreditNote) and note.total == TOTAL


def test_a_returned_order_counts_as_cancelled_and_is_credited_for_returned_goods():
    now = order(fulfillment_status="returned", updated_at=CANCELLED_AT)
    [note] = reconcile(now, books(receipt_of(now)), POLICY)
    assert (note.cause, note.reason_code, note.total, note.on) == (CANCEL_CAUSE, "returned_goods", TOTAL,
                                                                   date(2026, 11, 25))


def test_a_returned_unpaid_cod_order_has_its_invoice_voided():
    now = order(**UNPAID, payment_method="cod", fulfillment_status="returned", updated_at=CANCELLED_AT)
    invoice = invoice_of(now)
    assert reconcile(now, books(invoice), POLICY) == [VoidInvoice(invoice, "order cancelled", date(2026, 11, 25))]


def test_a_free_paid_order_that_ships_later_is_not_taken_for_cancelled():
    """A 0.00 receipt is not 'fully credited' just because no credit note exists."""
    from datetime import date as _date
    from decimal import Decimal as _D

    from shopledger.domain.accounting.documents import (DocumentKind as _K, DocumentStatus as _S, Holding as _H,
                                                        HeldDocument as _Held, OrderBooks as _Books)
    from shopledger.domain.orders.interchange import parse_order as _parse
    from shopledger.domain.sync.policy import BooksPolicy as _Policy
    from shopledger.domain.sync.reconcile import reconcile as _reconcile
    from tests.builders import make_order_dict as _order

    receipt = _Held(1, _K.RECEIPT_TAX_INVOICE, _S.ISSUED, "RT-202611-00001", _date(2026, 11, 20), _D("0.00"),
                    _D("0.00"), "sale")
    books = _Books((receipt,))
    assert books.holding is _H.RECEIPTED
    free = _order(lines=[{"sku": "GIFT", "name": "ของแถม", "quantity": 1, "unit_price": "0.00", "discount": "0.00"}],
                  shipping_fee="0.00", total="0.00", fulfillment_status="shipped")
    assert _reconcile(_parse(free, "import"), books, _Policy()) == []


# --- dates: nothing corrects a document before the document itself -----------------------------

EARLY = "2026-10-30T10:00:00+07:00"  # a month before the receipt/tax invoice of 20 November


def test_a_refund_dated_before_the_receipt_is_credited_and_paid_on_the_receipt_day():
    now = order(refunds=[refund("R1", "300.00", EARLY)])
    assert reconcile(now, books(receipt_of(now)), POLICY) == [
        IssueCreditNote("refund:R1", D("300.00"), D("19.63"), "refund", "refund R1", date(2026, 11, 20), "R1"),
        PayRefund("refund:R1", D("300.00"), date(2026, 11, 20))]


def test_a_refund_dated_before_a_payment_receipted_in_the_same_pass_follows_the_payment_day():
    now = order(refunds=[refund("R1", "300.00", EARLY)])
    actions = reconcile(now, OrderBooks(), POLICY)
    assert [a.on for a in actions if isinstance(a, (IssueCreditNote, PayRefund))] == [date(2026, 11, 20)] * 2


def test_a_cancellation_dated_before_the_receipt_is_credited_on_the_receipt_day():
    now = order(payment_status="refunded", cancelled_at=EARLY, updated_at=CANCELLED_AT)
    actions = reconcile(now, books(receipt_of(now)), POLICY)
    assert [(type(a), a.on) for a in actions] == [(IssueCreditNote, date(2026, 11, 20)),
                                                 (PayRefund, date(2026, 11, 25))]


def test_an_invoice_is_never_voided_before_its_own_date():
    now = order(**UNPAID, cancelled_at=EARLY, updated_at=CANCELLED_AT)
    invoice = invoice_of(now)
    assert reconcile(now, books(invoice), POLICY) == [VoidInvoice(invoice, "order cancelled", date(2026, 11, 20))]


# --- a paid order fully refunded through its refunds -------------------------------------------


def test_a_paid_order_fully_refunded_through_its_refunds_is_left_alone():
    now = order(refunds=[refund("R1", "850.00")], fulfillment_status="shipped", updated_at=CANCELLED_AT)
    assert reconcile(now, receipted_and_fully_refunded(now), POLICY) == []


def test_a_paid_order_fully_refunded_whose_amounts_changed_is_alerted_like_any_receipted_order():
    held = receipted_and_fully_refunded(order())
    now = order(refunds=[refund("R1", "850.00")], shipping_fee="150.00", total="950.00")
    assert codes(reconcile(now, held, POLICY)) == ["receipted_amount_changed"]


# --- the refunded payout's date ------------------------------------------------------------------


def test_the_refunded_payout_is_dated_when_the_order_says_refunded_not_when_it_was_cancelled():
    now = order(payment_status="refunded", cancelled_at="2026-11-22T10:00:00+07:00",
                updated_at="2026-11-26T10:00:00+07:00")
    held = books(receipt_of(now), credit_note(CANCEL_CAUSE, "850.00", "55.61"))
    assert reconcile(now, held, POLICY) == [PayRefund("refunded", TOTAL, date(2026, 11, 26))]
