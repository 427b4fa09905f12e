"""The "Journal entries" table of accounting-rules.md, one readable entry per row; what each
document must show (particulars); dates in Asia/Bangkok; closed periods."""
from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest

from shopledger.domain.accounting.apply import bring_books_up_to_date
from shopledger.domain.accounting.documents import (
    CANCEL_CAUSE, DocumentKind, DocumentStatus, HeldDocument, OrderBooks,
)
from shopledger.domain.accounting.journal import EntryDraft, cr, dr, entry, reversal
from shopledger.domain.accounting.numbering import format_number
from shopledger.domain.accounting.particulars import baht_words, branch_label
from shopledger.domain.accounting.posting import posting_for
from shopledger.domain.errors import DomainError
from shopledger.domain.orders.interchange import parse_order
from shopledger.domain.shipping.cod import remittance_entry
from shopledger.domain.stock.posting import goods_returned_entry, goods_shipped_entry
from shopledger.domain.sync.actions import (
    IssueCreditNote, IssueInvoice, IssueReceipt, PayRefund, VoidInvoice,
)
from shopledger.domain.sync.policy import BooksPolicy, Company, amounts_key
from tests.builders import make_order_dict

pytestmark = pytest.mark.unit

D = Decimal
SELLER = Company(name="ร้านน้ำผึ้งดี", address="1 ถนนพระราม 4 กรุงเทพมหานคร 10500", tax_id="0105556012341",
                 branch="00000")
POLICY = BooksPolicy(company=SELLER)
UNPAID = {"payment_status": "unpaid", "paid_at": None}
CANCELLED_AT = "2026-11-25T10:00:00+07:00"

INVOICE_ENTRY = [("113101", "850.00", ""), ("411101", "", "747.66"), ("411201", "", "46.73"),
                 ("213102", "", "55.61")]


def order(**overrides):
    return parse_order(make_order_dict(**overrides), "import")


def readable(draft):
    """An entry as (account, debit, credit) with blanks for zero, in its own line order."""
    show = lambda amount: f"{amount:.2f}" if amount else ""  # noqa: E731
    return [(line.account, show(line.debit), show(line.credit)) for line in draft.lines]


def no_entry(doc):
    raise AssertionError(f"no entry lines expected to be looked up for {doc.number}")


def invoice_of(the_order, vat="55.61", total="850.00"):
    return HeldDocument(7, DocumentKind.INVOICE, DocumentStatus.ISSUED, "IV-202611-00001", date(2026, 11, 20),
                        D(total), D(vat), "invoice-1", amounts_key(the_order))


def receipt_of(the_order):
    return HeldDocument(8, DocumentKind.RECEIPT_TAX_INVOICE, DocumentStatus.ISSUED, "RT-202611-00001",
                        date(2026, 11, 20), D("850.00"), D("55.61"), "sale", amounts_key(the_order))


class Ledger:
    """Just enough of the service to run a few versions through `bring_books_up_to_date`."""

    def __init__(self, policy=POLICY):
        self.policy, self.books, self.counters = policy, OrderBooks(), {}
        self.documents, self.entries = [], []

    def take_number(self, prefix, period):
        self.counters[prefix, period] = self.counters.get((prefix, period), 0) + 1
        return format_number(prefix, period, self.counters[prefix, period])

    def lines_of(self, doc):
        return next(e.draft.lines for e in self.entries if e.document_number == doc.number and e.reverses is None)

    def take(self, the_order):
        change = bring_books_up_to_date(the_order, self.books, self.policy, self.take_number, self.lines_of)
        self.books = change.books
        self.documents += change.documents
        self.entries += change.entries
        return change

    def balance(self, account):
        return sum((l.debit - l.credit for e in self.entries for l in e.draft.lines if l.account == account), D(0))


# --- the rows of the journal table ----------------------------------------------------------


def test_invoice__dr_ar_cr_sales_shipping_and_vat_not_yet_due():
    posting = posting_for(IssueInvoice(), order(**UNPAID), OrderBooks(), POLICY, no_entry)
    assert readable(posting.entry) == INVOICE_ENTRY
    assert (posting.entry.date, posting.entry.event) == (date(2026, 11, 20), "invoice")
    assert (posting.document.kind, posting.document.total, posting.document.vat) == (
        DocumentKind.INVOICE, D("850.00"), D("55.61"))


def test_payment_on_an_invoice__dr_bank_and_vat_not_due_cr_ar_and_output_vat():
    the_order = order()
    invoice = invoice_of(the_order)
    posting = posting_for(IssueReceipt(against_invoice=invoice), the_order, OrderBooks((invoice,)), POLICY, no_entry)
    assert readable(posting.entry) == [("111201", "850.00", ""), ("213102", "55.61", ""),
                                       ("113101", "", "850.00"), ("213101", "", "55.61")]
    assert posting.document.kind is DocumentKind.RECEIPT_TAX_INVOICE
    assert posting.document.refers_to == "IV-202611-00001"
    assert posting.document.particulars["pays"] == {"number": "IV-202611-00001", "date": "2026-11-20"}
    assert posting.entry.date == date(2026, 11, 20)  # paid_at, 11:00 Bangkok


def test_receipt_tax_invoice_issued_directly__dr_bank_cr_sales_shipping_and_output_vat():
    posting = posting_for(IssueReceipt(against_invoice=None), order(), OrderBooks(), POLICY, no_entry)
    assert readable(posting.entry) == [("111201", "850.00", ""), ("411101", "", "747.66"),
                                       ("411201", "", "46.73"), ("213101", "", "55.61")]
    assert posting.document.refers_to is None


def test_invoice_voided__its_entry_reversed_line_for_line_on_the_day_of_cancellation():
    the_order = order(**UNPAID, cancelled_at=CANCELLED_AT, updated_at=CANCELLED_AT)
    invoice = invoice_of(the_order)
    invoice_lines = posting_for(IssueInvoice(), order(**UNPAID), OrderBooks(), POLICY, no_entry).entry.lines
    void = VoidInvoice(invoice, "order cancelled", date(2026, 11, 25))
    posting = posting_for(void, the_order, OrderBooks((invoice,)), POLICY, lambda doc: invoice_lines)
    assert readable(posting.entry) == [("113101", "", "850.00"), ("411101", "747.66", ""),
                                       ("411201", "46.73", ""), ("213102", "55.61", "")]
    assert (posting.entry.date, posting.entry.event, posting.voids) == (date(2026, 11, 25), "reversal", invoice)
    assert posting.document is None  # a void keeps the invoice's number; no new document


def test_credit_note__dr_sales_returns_and_output_vat_cr_refunds_payable():
    the_order = order(cancelled_at=CANCELLED_AT, updated_at=CANCELLED_AT)
    note = IssueCreditNote(CANCEL_CAUSE, D("850.00"), D("55.61"), "cancelled_order", "order cancelled",
                           date(2026, 11, 25))
    posting = posting_for(note, the_order, OrderBooks((receipt_of(the_order),)), POLICY, no_entry)
    assert readable(posting.entry) == [("412101", "794.39", ""), ("213101", "55.61", ""), ("213201", "", "850.00")]
    assert posting.document.refers_to == "RT-202611-00001"
    assert posting.entry.date == date(2026, 11, 25)


def test_refund_paid_out__dr_refunds_payable_cr_the_payment_account():
    posting = posting_for(PayRefund("refunded", D("850.00"), date(2026, 11, 26)), order(), OrderBooks(), POLICY,
                          no_entry)
    assert readable(posting.entry) == [("213201", "850.00", ""), ("111201", "", "850.00")]
    assert (posting.cause, posting.entry.date) == ("refund_paid:refunded", date(2026, 11, 26))


def test_goods_shipped__dr_cost_of_goods_sold_cr_inventory():
    assert readable(goods_shipped_entry(date(2026, 11, 21), 31_050, "ship")) == [
        ("511101", "310.50", ""), ("114101", "", "310.50")]


def test_goods_returned_to_stock__dr_inventory_cr_cost_of_goods_sold():
    assert readable(goods_returned_entry(date(2026, 11, 25), 31_050, "return")) == [
        ("114101", "310.50", ""), ("511101", "", "310.50")]


def test_courier_remits_cod__dr_bank_net_fee_and_input_vat_cr_cod_receivable():
    # fee 21.40 includes VAT: 21.40 x 7/107 = 1.40 input VAT, 20.00 expense
    assert readable(remittance_entry(date(2026, 11, 28), D("850.00"), D("21.40"), D("0.07"))) == [
        ("111201", "828.60", ""), ("521101", "20.00", ""), ("115101", "1.40", ""), ("113201", "", "850.00")]


@pytest.mark.parametrize("method, account", [
    ("bank_transfer", "111201"), ("promptpay", "111201"), ("cash", "111101"), ("card", "111301"),
    ("marketplace", "111301"), ("cod", "113201"),
])
def test_the_payment_account_follows_the_payment_method(method, account):
    posting = posting_for(IssueReceipt(against_invoice=None), order(payment_method=method), OrderBooks(), POLICY,
                          no_entry)
    assert readable(posting.entry)[0] == (account, "850.00", "")


def test_the_payment_account_is_a_setting():
    policy = BooksPolicy(payment_accounts={"promptpay": "111101"})
    posting = posting_for(IssueReceipt(against_invoice=None), order(payment_method="promptpay"), OrderBooks(),
                          policy, no_entry)
    assert readable(posting.entry)[0] == ("111101", "850.00", "")


@pytest.mark.parametrize("method, account", [("card", "111301"), ("cod", "111201"), ("cash", "111101")])
def test_refunds_leave_the_payment_account_except_cod_which_leaves_the_bank(method, account):
    posting = posting_for(PayRefund("refunded", D("100.00"), date(2026, 11, 26)), order(payment_method=method),
                          OrderBooks(), POLICY, no_entry)
    assert readable(posting.entry) == [("213201", "100.00", ""), (account, "", "100.00")]


def test_a_sale_billed_paid_and_refunded_leaves_every_balance_but_returns_at_zero():
    ledger = Ledger()
    ledger.take(order(**UNPAID, updated_at="2026-11-20T10:15:00+07:00"))
    ledger.take(order())
    ledger.take(order(payment_status="refunded", cancelled_at=CANCELLED_AT, updated_at=CANCELLED_AT))
    assert [readable(e.draft) for e in ledger.entries] == [
        INVOICE_ENTRY,
        [("111201", "850.00", ""), ("213102", "55.61", ""), ("113101", "", "850.00"), ("213101", "", "55.61")],
        [("412101", "794.39", ""), ("213101", "55.61", ""), ("213201", "", "850.00")],
        [("213201", "850.00", ""), ("111201", "", "850.00")],
    ]
    assert {a: ledger.balance(a) for a in ("111201", "113101", "213101", "213102", "213201")} == dict.fromkeys(
        ("111201", "113101", "213101", "213102", "213201"), 0)
    assert ledger.balance("411101") + ledger.balance("411201") + ledger.balance("412101") == 0


def test_a_void_and_reissue_reverses_the_first_invoice_and_posts_the_second():
    ledger = Ledger()
    ledger.take(order(**UNPAID, updated_at="2026-11-20T10:15:00+07:00"))
    change = ledger.take(order(**UNPAID, shipping_fee="70.00", total="870.00"))
    assert [readable(e.draft) for e in change.entries] == [
        [("113101", "", "850.00"), ("411101", "747.66", ""), ("411201", "46.73", ""), ("213102", "55.61", "")],
        [("113101", "870.00", ""), ("411101", "", "747.66"), ("411201", "", "65.42"), ("213102", "", "56.92")],
    ]
    assert change.entries[0].reverses.number == "IV-202611-00001"
    assert ledger.balance("113101") == D("870.00")


# --- numbers and dates in Asia/Bangkok ------------------------------------------------------


def test_an_order_placed_late_on_the_30th_utc_is_dated_and_numbered_in_december_bangkok():
    ledger = Ledger()
    change = ledger.take(order(**UNPAID, placed_at="2026-11-30T20:00:00Z", updated_at="2026-11-30T20:00:00Z"))
    [invoice] = change.documents
    assert (invoice.number, invoice.draft.date, change.entries[0].draft.date) == (
        "IV-202612-00001", date(2026, 12, 1), date(2026, 12, 1))


@pytest.mark.parametrize("paid_at, number, day", [
    ("2026-11-30T16:59:59Z", "RT-202611-00001", date(2026, 11, 30)),
    ("2026-11-30T17:00:00Z", "RT-202612-00001", date(2026, 12, 1)),
])
def test_a_receipt_is_dated_by_paid_at_in_bangkok(paid_at, number, day):
    [receipt] = Ledger().take(order(paid_at=paid_at, updated_at="2026-12-02T09:00:00+07:00")).documents
    assert (receipt.number, receipt.draft.date) == (number, day)


def test_credit_notes_and_voids_are_dated_by_the_cancellation():
    ledger = Ledger()
    ledger.take(order(**UNPAID))
    change = ledger.take(order(**UNPAID, cancelled_at="2026-12-01T01:30:00+07:00", updated_at="2026-12-03T09:00:00Z"))
    assert [(doc.number, on) for doc, on in change.voids] == [("IV-202611-00001", date(2026, 12, 1))]
    ledger = Ledger()
    ledger.take(order())
    change = ledger.take(order(cancelled_at="2026-11-30T18:00:00Z", updated_at="2026-12-03T09:00:00Z"))
    [note] = change.documents
    assert (note.number, note.draft.date) == ("CN-202612-00001", date(2026, 12, 1))


def test_numbers_run_per_prefix_and_month_without_gaps():
    ledger = Ledger()
    numbers = []
    for n, day in enumerate(["2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02"]):
        ledger.books = OrderBooks()
        numbers += [d.number for d in ledger.take(order(external_id=f"O{n}", paid_at=f"{day}T12:00:00+07:00")).documents]
        ledger.books = OrderBooks()
        numbers += [d.number for d in ledger.take(order(external_id=f"U{n}", **UNPAID,
                                                        placed_at=f"{day}T12:00:00+07:00")).documents]
    assert numbers == ["RT-202611-00001", "IV-202611-00001", "RT-202611-00002", "IV-202611-00002",
                       "RT-202612-00001", "IV-202612-00001", "RT-202612-00002", "IV-202612-00002"]


def test_an_entry_in_a_closed_period_moves_to_the_first_open_day_but_the_document_keeps_its_date():
    ledger = Ledger(BooksPolicy(company=SELLER, closed_through=date(2026, 11, 30)))
    change = ledger.take(order())
    [receipt] = change.documents
    assert (receipt.number, receipt.draft.date) == ("RT-202611-00001", date(2026, 11, 20))
    assert change.entries[0].draft.date == date(2026, 12, 1)


def test_an_entry_in_an_open_period_keeps_its_date():
    ledger = Ledger(BooksPolicy(closed_through=date(2026, 11, 19)))
    assert ledger.take(order()).entries[0].draft.date == date(2026, 11, 20)


def test_a_void_in_a_closed_period_is_posted_on_the_first_open_day():
    ledger = Ledger(BooksPolicy(closed_through=date(2026, 11, 30)))
    ledger.take(order(**UNPAID))
    change = ledger.take(order(**UNPAID, cancelled_at=CANCELLED_AT, updated_at="2026-12-05T09:00:00+07:00"))
    assert [(e.draft.event, e.draft.date) for e in change.entries] == [("reversal", date(2026, 12, 1))]


# --- what each document shows ---------------------------------------------------------------


@pytest.mark.parametrize("amount, words", [
    ("850.00", "แปดร้อยห้าสิบบาทถ้วน"),
    ("55.61", "ห้าสิบห้าบาทหกสิบเอ็ดสตางค์"),
    ("794.39", "เจ็ดร้อยเก้าสิบสี่บาทสามสิบเก้าสตางค์"),
    ("1.00", "หนึ่งบาทถ้วน"),
    ("11.00", "สิบเอ็ดบาทถ้วน"),
    ("21.21", "ยี่สิบเอ็ดบาทยี่สิบเอ็ดสตางค์"),
    ("101.00", "หนึ่งร้อยเอ็ดบาทถ้วน"),
    ("0.50", "ห้าสิบสตางค์"),
    ("1250000.00", "หนึ่งล้านสองแสนห้าหมื่นบาทถ้วน"),
])
def test_amounts_in_thai_words(amount, words):
    assert baht_words(D(amount)) == words


@pytest.mark.parametrize("branch, label", [("00000", "สำนักงานใหญ่"), ("", "สำนักงานใหญ่"),
                                          ("00001", "สาขาที่ 00001"), ("00123", "สาขาที่ 00123")])
def test_branch_labels(branch, label):
    assert branch_label(branch) == label


def test_a_receipt_tax_invoice_shows_its_title_parties_lines_and_vat_apart_from_its_base():
    [doc] = Ledger().take(order()).documents
    shown = doc.draft.particulars
    assert (shown["title"], shown["number"], shown["date"]) == (
        "ใบเสร็จรับเงิน/ใบกำกับภาษี", "RT-202611-00001", "2026-11-20")
    assert shown["seller"] == {"name": "ร้านน้ำผึ้งดี", "address": "1 ถนนพระราม 4 กรุงเทพมหานคร 10500",
                               "tax_id": "0105556012341", "branch": "00000", "branch_label": "สำนักงานใหญ่"}
    assert shown["buyer"]["name"] == "บริษัท น้ำผึ้งดี จำกัด"
    assert (shown["buyer"]["tax_id"], shown["buyer"]["branch_label"]) == ("0105556012341", "สำนักงานใหญ่")
    assert shown["buyer"]["address"].startswith("99/1 ถนนสุขุมวิท")
    assert [(l["sku"], l["quantity"], l["unit_price"], l["amount"]) for l in shown["lines"]] == [
        ("HONEY-1L", 2, "350.00", "700.00"), ("COMB-200", 1, "120.00", "100.00")]
    assert (shown["net"], shown["vat"], shown["total"], shown["vat_rate"]) == ("794.39", "55.61", "850.00", "7.00")
    assert shown["total_words"] == "แปดร้อยห้าสิบบาทถ้วน"


def test_a_buyer_at_a_branch_is_shown_with_its_branch_and_one_without_tax_id_without_it():
    buyer = {"name": "บริษัท สาขา จำกัด", "tax_id": "0105556012341", "branch": "1", "address": "เชียงใหม่"}
    [doc] = Ledger().take(order(customer=buyer)).documents
    assert (doc.draft.particulars["buyer"]["branch"], doc.draft.particulars["buyer"]["branch_label"]) == (
        "00001", "สาขาที่ 00001")
    [doc] = Ledger().take(order(customer={"name": "Walk-in"})).documents
    assert doc.draft.particulars["buyer"] == {"name": "Walk-in", "address": ""}


def test_a_seller_branch_is_shown_on_its_documents():
    policy = BooksPolicy(company=Company("ร้าน", "ที่อยู่", "0105556012341", "00001"))
    [doc] = Ledger(policy).take(order()).documents
    assert doc.draft.particulars["seller"]["branch_label"] == "สาขาที่ 00001"


def test_an_invoice_is_titled_as_an_invoice_not_a_tax_invoice():
    [doc] = Ledger().take(order(**UNPAID)).documents
    assert doc.draft.particulars["title"] == "ใบแจ้งหนี้"


def test_a_credit_note_shows_what_it_corrects_and_the_difference():
    ledger = Ledger()
    ledger.take(order())
    refund = {"external_id": "R1", "amount": "300.00", "created_at": "2026-11-22T10:00:00+07:00",
              "lines": [{"sku": "HONEY-1L", "quantity": 1}], "restock": True}
    [first] = ledger.take(order(refunds=[refund], updated_at="2026-11-22T10:00:00+07:00")).documents
    shown = first.draft.particulars
    assert (shown["title"], shown["number"], shown["date"]) == ("ใบลดหนี้", "CN-202611-00001", "2026-11-22")
    assert shown["corrects"] == {"number": "RT-202611-00001", "date": "2026-11-20", "total": "850.00"}
    # Revenue Code 86/10: values before VAT, the original being the tax invoice's (850.00 - 55.61)
    assert (shown["original_value"], shown["credited_before"], shown["correct_value"], shown["difference"],
            shown["vat_on_difference"]) == ("794.39", "0.00", "514.02", "280.37", "19.63")
    assert (shown["reason_code"], shown["reason"]) == ("refund", "refund R1")
    assert shown["lines"] == [{"sku": "HONEY-1L", "name": "น้ำผึ้งป่า 1 ลิตร", "quantity": 1, "unit_price": "350.00"}]
    assert shown["total_words"] == "สามร้อยบาทถ้วน"
    [second] = ledger.take(order(refunds=[refund], cancelled_at=CANCELLED_AT, updated_at=CANCELLED_AT)).documents
    shown = second.draft.particulars
    # still against the tax invoice's value, with what earlier notes took off shown apart
    assert (shown["original_value"], shown["credited_before"], shown["correct_value"], shown["difference"],
            shown["vat_on_difference"]) == ("794.39", "280.37", "0.00", "514.02", "35.98")
    assert (shown["net"], shown["vat"], shown["total"]) == ("514.02", "35.98", "550.00")
    assert (shown["reason_code"], shown["reason"], shown["number"]) == (
        "cancelled_order", "order cancelled", "CN-202611-00002")


def test_a_credit_note_for_returned_goods_says_so():
    ledger = Ledger()
    ledger.take(order())
    [note] = ledger.take(order(fulfillment_status="returned", updated_at=CANCELLED_AT)).documents
    assert (note.draft.particulars["reason_code"], note.draft.particulars["reason"]) == (
        "returned_goods", "goods returned by the buyer")


def test_an_issued_document_is_a_snapshot_later_settings_do_not_touch():
    ledger = Ledger()
    [doc] = ledger.take(order()).documents
    before = dict(doc.draft.particulars)
    ledger.policy = BooksPolicy(company=Company(name="ชื่อใหม่"))
    ledger.take(order(refunds=[{"external_id": "R1", "amount": "10.00", "created_at": CANCELLED_AT}],
                      updated_at=CANCELLED_AT))
    assert doc.draft.particulars == before


def test_each_document_numbered_in_one_pass_gets_its_own_number_in_its_particulars():
    refunds = [{"external_id": f"R{i}", "amount": "100.00", "created_at": CANCELLED_AT} for i in (1, 2)]
    change = Ledger().take(order(refunds=refunds, updated_at=CANCELLED_AT))
    assert [(d.number, d.draft.particulars["number"]) for d in change.documents] == [
        ("RT-202611-00001", "RT-202611-00001"), ("CN-202611-00001", "CN-202611-00001"),
        ("CN-202611-00002", "CN-202611-00002")]
    assert list(itertools.chain.from_iterable(readable(e.draft) for e in change.entries[-2:])) == [
        ("213201", "100.00", ""), ("111201", "", "100.00"), ("213201", "100.00", ""), ("111201", "", "100.00")]


# --- no entry without lines ----------------------------------------------------------------------

FREE = {"lines": [{"sku": "GIFT", "name": "ของแถม", "quantity": 1, "unit_price": "0.00"}], "shipping_fee": "0.00",
        "total": "0.00"}


def test_an_entry_without_lines_cannot_be_made():
    with pytest.raises(DomainError) as caught:
        EntryDraft(date(2026, 11, 20), "nothing", "invoice", ())
    assert caught.value.code == "empty_entry"


def test_an_entry_of_zero_amounts_only_is_no_entry_and_neither_is_its_reversal():
    assert entry(date(2026, 11, 20), "free", "receipt", dr("111201", D("0")), cr("411101", D("0"))) is None
    assert reversal((), date(2026, 11, 20), "void") is None


def test_a_free_order_gets_its_documents_but_no_entry():
    ledger = Ledger()
    billed = ledger.take(order(**UNPAID, **FREE))
    paid = ledger.take(order(**FREE))
    assert [d.draft.kind for d in billed.documents + paid.documents] == [
        DocumentKind.INVOICE, DocumentKind.RECEIPT_TAX_INVOICE]
    assert ledger.entries == []


def test_a_free_invoice_is_voided_without_an_entry_to_reverse():
    ledger = Ledger()
    ledger.take(order(**UNPAID, **FREE))
    change = bring_books_up_to_date(order(**UNPAID, **FREE, cancelled_at=CANCELLED_AT, updated_at=CANCELLED_AT),
                                    ledger.books, POLICY, ledger.take_number, no_entry)
    assert [(doc.number, on) for doc, on in change.voids] == [("IV-202611-00001", date(2026, 11, 25))]
    assert change.entries == []
