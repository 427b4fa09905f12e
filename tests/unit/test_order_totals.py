"""domain/orders/totals.py: what the new-order form shows while typing is what the order is then
taken as (the interchange's gate accepts the total) and what its document carries (the VAT of
vat.order_amounts)."""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopledger.domain.accounting.vat import STANDARD_RATES, VatRate, VatTerms, order_amounts
from shopledger.domain.clock import BANGKOK
from shopledger.domain.money import fmt
from shopledger.domain.orders.interchange import parse_order
from shopledger.domain.orders.model import OrderLine
from shopledger.domain.orders.totals import order_totals
from tests.builders import make_order_dict

pytestmark = pytest.mark.unit
DAY = date(2026, 11, 20)
satang = st.integers(min_value=0, max_value=5_000_000).map(lambda s: Decimal(s) / 100)


@st.composite
def lines(draw):
    drawn = []
    for n in range(draw(st.integers(1, 4))):
        quantity, price = draw(st.integers(1, 20)), draw(satang)
        discount = Decimal(draw(st.integers(0, int(quantity * price * 100)))) / 100
        drawn.append(OrderLine(f"SKU-{n}", f"item {n}", quantity, price, discount.quantize(Decimal("0.01"))))
    return drawn


def test_two_lines_a_discount_and_shipping_to_the_satang():
    bought = [OrderLine("HONEY-1L", "honey", 2, Decimal("350.00")),
              OrderLine("SOAP-HERB", "soap", 1, Decimal("89.50"), Decimal("10.00"))]
    shown = order_totals(bought, Decimal("50.00"), Decimal("25.25"), prices_include_vat=True, terms=VatTerms(), day=DAY)
    assert (shown.goods, shown.total, shown.vat, shown.net, shown.rate) == (
        Decimal("779.50"), Decimal("804.25"), Decimal("52.61"), Decimal("751.64"), Decimal("7"))
    on_top = order_totals(bought, Decimal("50.00"), Decimal("25.25"), prices_include_vat=False, terms=VatTerms(), day=DAY)
    assert (on_top.total, on_top.vat, on_top.net) == (Decimal("860.55"), Decimal("56.30"), Decimal("804.25"))
    unregistered = order_totals(bought, Decimal("50.00"), Decimal("25.25"), prices_include_vat=False,
                                terms=VatTerms(registered=False), day=DAY)
    assert (unregistered.total, unregistered.vat, unregistered.rate) == (Decimal("804.25"), Decimal("0.00"), None)


def test_the_rate_is_the_one_in_force_on_the_day():
    terms = VatTerms(rates=STANDARD_RATES + (VatRate(Decimal("10"), date(2026, 11, 1)),))
    bought = [OrderLine("A", "a", 1, Decimal("110.00"))]
    assert order_totals(bought, Decimal(0), Decimal(0), prices_include_vat=True, terms=terms, day=DAY).vat == Decimal("10.00")
    before = order_totals(bought, Decimal(0), Decimal(0), prices_include_vat=True, terms=terms, day=date(2026, 10, 31))
    assert before.vat == Decimal("7.20") and before.rate == Decimal("7")


def test_a_discount_bigger_than_the_goods_is_said():
    shown = order_totals([OrderLine("A", "a", 1, Decimal("10.00"))], Decimal("50.00"), Decimal("20.00"),
                         prices_include_vat=True, terms=VatTerms(), day=DAY)
    assert shown.discount_too_big


@settings(max_examples=300, deadline=None)
@given(lines(), satang, st.integers(0, 100), st.booleans(), st.booleans())
def test_the_gate_takes_the_total_shown_and_the_document_carries_its_vat(bought, shipping, cut, include, registered):
    goods = sum(line.amount for line in bought)
    discount = (goods * cut / 100).quantize(Decimal("0.01"))
    terms = VatTerms(registered=registered)
    shown = order_totals(bought, shipping, discount, prices_include_vat=include, terms=terms, day=DAY)
    moment = datetime.combine(DAY, time(10), BANGKOK).isoformat()
    data = make_order_dict(lines=[{"sku": l.sku, "name": l.name, "quantity": l.quantity, "unit_price": fmt(l.unit_price),
                                   "discount": fmt(l.discount)} for l in bought],
                           shipping_fee=fmt(shipping), discount=fmt(discount), total=fmt(shown.total),
                           prices_include_vat=include, placed_at=moment, paid_at=moment, updated_at=moment)
    order = parse_order(data, "manual", vat=terms)  # raises if the total shown were not the one it takes
    amounts = order_amounts(order, shown.rate or Decimal(0), registered)
    assert (amounts.vat, amounts.net) == (shown.vat, shown.net)
    assert shown.net + shown.vat == shown.total
