"""VAT: T x 7/107 half-up once per document, spread over the lines by largest remainder,
the rate a setting with a start date (accounting-rules.md, "Journal entries" and
"What each document must show")."""
from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopledger.domain.accounting.apply import bring_books_up_to_date
from shopledger.domain.accounting.documents import DocumentKind, OrderBooks
from shopledger.domain.accounting.numbering import format_number
from shopledger.domain.accounting.vat import (
    STANDARD_RATE, VatRate, credit_vat, order_amounts, rate_on, vat_in, vat_on,
)
from shopledger.domain.orders.interchange import parse_order
from shopledger.domain.sync.actions import IssueReceipt, VoidInvoice
from shopledger.domain.sync.policy import BooksPolicy
from shopledger.domain.sync.reconcile import reconcile
from tests.builders import make_order_dict, priced_order_dict

pytestmark = pytest.mark.unit

D = Decimal
SEVEN = D("7")
UNPAID = {"payment_status": "unpaid", "paid_at": None}


def order(**overrides):
    return parse_order(make_order_dict(**overrides), "import")


def exact_half_up(gross: Decimal, rate: Decimal) -> Decimal:
    """The same rounding done with exact fractions: floor(x * 100 + 1/2) / 100."""
    satang = Fraction(gross) * Fraction(rate) / (100 + Fraction(rate)) * 100
    return D((satang + Fraction(1, 2)).__floor__()) / 100


# --- V = T x 7/107, half-up, once --------------------------------------------------------


@pytest.mark.parametrize("gross, vat", [
    ("850.00", "55.61"), ("107.00", "7.00"), ("100.00", "6.54"), ("1.00", "0.07"), ("0.07", "0.00"),
    ("0.08", "0.01"), ("0.00", "0.00"), ("1234567.89", "80766.12"),
])
def test_vat_inside_a_vat_inclusive_total(gross, vat):
    assert vat_in(D(gross), SEVEN) == D(vat)


def test_vat_is_rounded_half_up_not_to_even():
    assert vat_on(D("1.50"), SEVEN) == D("0.11")  # 0.105: half-even would say 0.10
    assert vat_on(D("0.50"), SEVEN) == D("0.04")  # 0.035


@settings(max_examples=300, deadline=None)
@given(satang=st.integers(0, 10**9), rate=st.sampled_from([D("7"), D("10"), D("5.5"), D("0")]))
def test_vat_in_equals_exact_half_up_rounding(satang, rate):
    gross = D(satang) / 100
    assert vat_in(gross, rate) == exact_half_up(gross, rate)


def test_a_document_computes_vat_once_on_its_total_not_per_line():
    # Three lines of 1.00: per line 0.07 each would make 0.21; once on 3.00 it is 0.20.
    lines = [{"sku": f"S{i}", "name": "x", "quantity": 1, "unit_price": "1.00"} for i in range(3)]
    amounts = order_amounts(parse_order(priced_order_dict(lines), "import"), SEVEN, True)
    assert amounts.vat == D("0.20")
    assert sorted(line.vat for line in amounts.lines) == [D("0.06"), D("0.07"), D("0.07")]


# --- spread over the lines by largest remainder ------------------------------------------


def test_the_default_order_splits_its_vat_over_goods_and_shipping():
    amounts = order_amounts(order(), SEVEN, True)
    # VAT 55.61 over 700.00 / 100.00 / 50.00 shipping: 45.796 / 6.542 / 3.271 -> 45.80 / 6.54 / 3.27
    assert [line.vat for line in amounts.lines] == [D("45.80"), D("6.54")]
    assert (amounts.shipping_vat, amounts.vat, amounts.total) == (D("3.27"), D("55.61"), D("850.00"))
    assert (amounts.goods_net, amounts.shipping_net, amounts.net) == (D("747.66"), D("46.73"), D("794.39"))


def test_the_order_discount_reduces_the_goods_never_the_shipping():
    amounts = order_amounts(order(discount="100.00", total="750.00"), SEVEN, True)
    assert amounts.vat == D("49.07")  # 750 x 7/107 = 49.0654
    assert amounts.shipping_vat == D("3.27")  # the same shipping VAT as without the discount
    assert amounts.goods_net == D("750.00") - D("49.07") - D("46.73")
    assert sum(line.vat for line in amounts.lines) + amounts.shipping_vat == amounts.vat


def test_prices_before_vat_take_the_vat_added_on_top():
    # 800 goods + 50 shipping = 850 before VAT; VAT 7% of 850 = 59.50; total 909.50
    amounts = order_amounts(order(prices_include_vat=False, total="909.50"), SEVEN, True)
    assert (amounts.vat, amounts.net, amounts.total) == (D("59.50"), D("850.00"), D("909.50"))
    assert amounts.shipping_net + amounts.goods_net == D("850.00")


def test_prices_before_vat_keep_the_shipping_fee_as_its_net_part():
    # 100.00 goods + 50.00 shipping before VAT: 10.50 VAT on top, the fee itself is already net
    lines = [{"sku": "A", "name": "a", "quantity": 1, "unit_price": "100.00"}]
    the_order = parse_order(priced_order_dict(lines, shipping_fee="50.00", prices_include_vat=False), "import")
    amounts = order_amounts(the_order, SEVEN, True)
    assert (amounts.total, amounts.vat, amounts.shipping_vat) == (D("160.50"), D("10.50"), D("3.50"))
    assert (amounts.goods_net, amounts.shipping_net) == (D("100.00"), D("50.00"))


def test_a_merchant_not_registered_for_vat_shows_no_vat_anywhere():
    amounts = order_amounts(order(), SEVEN, False)
    assert amounts.vat == amounts.shipping_vat == amounts.rate == 0
    assert all(line.vat == 0 for line in amounts.lines)
    assert (amounts.goods_net, amounts.shipping_net) == (D("800.00"), D("50.00"))


money = st.integers(0, 500_000).map(lambda satang: D(satang) / 100)


@st.composite
def priced_orders(draw):
    lines = []
    for index in range(draw(st.integers(1, 6))):
        quantity = draw(st.integers(1, 5))
        unit_price = draw(money)
        discount = draw(st.integers(0, int(quantity * unit_price * 100)).map(lambda s: D(s) / 100))
        lines.append({"sku": f"S{index}", "name": f"item {index}", "quantity": quantity,
                      "unit_price": f"{unit_price:.2f}", "discount": f"{discount:.2f}"})
    goods = sum(l["quantity"] * D(l["unit_price"]) - D(l["discount"]) for l in lines)
    order_discount = draw(st.integers(0, int(goods * 100)).map(lambda s: D(s) / 100))
    shipping = draw(st.one_of(st.just(D("0.00")), money))
    include_vat = draw(st.booleans())
    return parse_order(priced_order_dict(lines, shipping_fee=shipping, discount=order_discount,
                                         prices_include_vat=include_vat), "import")


@settings(max_examples=300, deadline=None)
@given(the_order=priced_orders(), rate=st.sampled_from([D("7"), D("10"), D("0")]), registered=st.booleans())
def test_line_vat_and_shipping_vat_add_up_to_the_document_vat(the_order, rate, registered):
    amounts = order_amounts(the_order, rate, registered)
    assert sum((line.vat for line in amounts.lines), D(0)) + amounts.shipping_vat == amounts.vat
    assert amounts.goods_net + amounts.shipping_net + amounts.vat == amounts.total == the_order.total
    assert amounts.goods_net >= 0 and amounts.shipping_net >= 0
    assert all(line.vat >= 0 for line in amounts.lines) and amounts.shipping_vat >= 0
    if registered and not the_order.prices_include_vat:  # prices before VAT are the net parts themselves
        assert (amounts.goods_net, amounts.shipping_net) == (
            the_order.goods_total - the_order.discount, the_order.shipping_fee)
    if registered and the_order.prices_include_vat:
        assert amounts.vat == vat_in(the_order.total, rate)  # once, on the whole document
    # largest remainder: each part is within one satang of its exact share
    weights = [line.amount for line in the_order.lines]
    cut = sum(weights) and the_order.discount / sum(weights)
    base = sum(weights) - the_order.discount + the_order.shipping_fee
    if base:
        shares = [w - w * cut for w in weights] + [the_order.shipping_fee]
        parts = [line.vat for line in amounts.lines] + [amounts.shipping_vat]
        for share, part in zip(shares, parts):
            assert abs(part - amounts.vat * share / base) < D("0.0201")


# --- the rate is a setting with a start date -----------------------------------------------

RATES = (VatRate(D("7"), date(1992, 1, 1)), VatRate(D("10"), date(2026, 12, 1)))


@pytest.mark.parametrize("day, rate", [
    (date(2026, 11, 30), D("7")), (date(2026, 12, 1), D("10")), (date(2027, 6, 1), D("10")),
    (date(1991, 1, 1), D("7")),  # before every start date: the earliest rate
])
def test_rate_on_a_day_is_the_latest_rate_started_by_then(day, rate):
    assert rate_on(RATES, day) == rate


def test_rate_on_with_no_rates_is_the_standard_rate():
    assert rate_on((), date(2026, 11, 1)) == STANDARD_RATE == D("7")


def test_rates_need_not_be_listed_in_order():
    assert rate_on(tuple(reversed(RATES)), date(2026, 12, 2)) == D("10")


def numbers():
    counter = itertools.count(1)
    return lambda prefix, period: format_number(prefix, period, next(counter))


def test_a_receipt_takes_the_rate_in_force_on_its_date():
    policy = BooksPolicy(vat_rates=RATES)
    november = bring_books_up_to_date(order(), OrderBooks(), policy, numbers(), lambda d: ())
    december = bring_books_up_to_date(order(paid_at="2026-12-01T09:00:00+07:00", updated_at="2026-12-01T09:00:00+07:00"),
                                      OrderBooks(), policy, numbers(), lambda d: ())
    assert november.documents[0].draft.vat == D("55.61")
    assert december.documents[0].draft.vat == D("77.27")  # 850 x 10/110
    assert december.documents[0].draft.particulars["vat_rate"] == "10.00"


def test_a_paid_invoice_whose_vat_changed_with_the_rate_is_voided_and_receipted_directly():
    """The receipt/tax invoice is the tax point: its VAT is at the rate on the payment day, and the
    journal must carry that VAT, not the invoice's (else 213101 and the VAT report disagree)."""
    policy = BooksPolicy(vat_rates=RATES)
    billed = bring_books_up_to_date(order(**UNPAID), OrderBooks(), policy, numbers(), lambda d: ())
    invoice = billed.books.open_invoice
    assert invoice.vat == D("55.61")
    paid = order(paid_at="2026-12-02T09:00:00+07:00", updated_at="2026-12-02T09:00:00+07:00")
    actions = reconcile(paid, billed.books, policy)
    assert [type(a) for a in actions] == [VoidInvoice, IssueReceipt]
    assert actions[1].against_invoice is None
    change = bring_books_up_to_date(paid, billed.books, policy, numbers(),
                                    lambda doc: billed.entries[0].draft.lines)
    [receipt] = [d.draft for d in change.documents]
    output_vat = sum(l.credit - l.debit for e in change.entries for l in e.draft.lines if l.account == "213101")
    assert (receipt.kind, receipt.vat, output_vat) == (DocumentKind.RECEIPT_TAX_INVOICE, D("77.27"), D("77.27"))


def test_a_paid_invoice_at_an_unchanged_rate_is_paid_against_not_voided():
    policy = BooksPolicy(vat_rates=RATES)
    billed = bring_books_up_to_date(order(**UNPAID), OrderBooks(), policy, numbers(), lambda d: ())
    paid = order(paid_at="2026-11-30T23:59:00+07:00")
    assert reconcile(paid, billed.books, policy) == [IssueReceipt(against_invoice=billed.books.open_invoice)]


def test_a_credit_note_takes_the_rate_of_the_tax_invoice_it_corrects():
    policy = BooksPolicy(vat_rates=RATES)
    sale = bring_books_up_to_date(order(), OrderBooks(), policy, numbers(), lambda d: ())
    refunded = order(updated_at="2026-12-05T10:00:00+07:00",
                     refunds=[{"external_id": "R1", "amount": "107.00", "created_at": "2026-12-05T10:00:00+07:00"}])
    change = bring_books_up_to_date(refunded, sale.books, policy, numbers(), lambda d: ())
    [note] = [d.draft for d in change.documents]
    assert (note.kind, note.total, note.vat) == (DocumentKind.CREDIT_NOTE, D("107.00"), D("7.00"))


# --- VAT on credit notes -------------------------------------------------------------------


def test_the_credit_note_that_closes_a_receipt_takes_exactly_the_vat_left():
    assert credit_vat(D("550.00"), receipt_total=D("850.00"), receipt_vat=D("55.61"), credited_total=D("300.00"),
                      credited_vat=D("19.63"), rate=SEVEN) == D("35.98")


def test_a_partial_credit_note_takes_vat_on_its_own_total():
    assert credit_vat(D("300.00"), receipt_total=D("850.00"), receipt_vat=D("55.61"), credited_total=D("0.00"),
                      credited_vat=D("0.00"), rate=SEVEN) == D("19.63")


def test_small_refunds_never_leave_more_vat_than_amount_to_credit():
    """1.15 (VAT 0.08) refunded as 0.38 x 3 (0.02 each) then cancelled: the last 0.01 cannot carry 0.02 VAT."""
    line = [{"sku": "A", "name": "a", "quantity": 1, "unit_price": "1.15"}]
    take = numbers()
    sale = bring_books_up_to_date(order(lines=line, shipping_fee="0.00", total="1.15"), OrderBooks(), BooksPolicy(),
                                  take, lambda d: ())
    refunds = [{"external_id": f"R{i}", "amount": "0.38", "created_at": "2026-11-22T10:00:00+07:00"} for i in range(3)]
    cancelled = order(lines=line, shipping_fee="0.00", total="1.15", refunds=refunds,
                      cancelled_at="2026-11-23T10:00:00+07:00", updated_at="2026-11-23T10:00:00+07:00")
    change = bring_books_up_to_date(cancelled, sale.books, BooksPolicy(), take, lambda d: ())
    notes = [d.draft for d in change.documents]
    assert sum(n.total for n in notes) == D("1.15") and sum(n.vat for n in notes) == D("0.08")
    assert all(D(0) <= n.vat <= n.total for n in notes)


@settings(max_examples=300, deadline=None)
@given(total_satang=st.integers(1, 200_000), cuts=st.lists(st.integers(1, 100_000), min_size=1, max_size=8),
       closes=st.booleans())
def test_credit_note_vat_never_exceeds_its_amount_or_the_receipt(total_satang, cuts, closes):
    total = D(total_satang) / 100
    receipt_vat = vat_in(total, SEVEN)
    credited = credited_vat = D("0.00")
    amounts = []
    for cut in cuts:
        amount = min(D(cut) / 100, total - credited - sum(amounts, D(0)))
        if amount > 0:
            amounts.append(amount)
    if closes and sum(amounts, D(0)) < total:
        amounts.append(total - sum(amounts, D(0)))
    for amount in amounts:
        vat = credit_vat(amount, receipt_total=total, receipt_vat=receipt_vat, credited_total=credited,
                         credited_vat=credited_vat, rate=SEVEN)
        assert D(0) <= vat <= amount
        credited, credited_vat = credited + amount, credited_vat + vat
        assert credited_vat <= receipt_vat
        assert receipt_vat - credited_vat <= total - credited  # what is left can still be credited
    if credited == total:
        assert credited_vat == receipt_vat
