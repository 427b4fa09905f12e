"""Prices before VAT: the total is checked against the merchant's VAT terms (registered or not,
the rate in force on the order's tax point), never against a rate written into the code."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shopledger.domain.accounting.vat import VatRate, VatTerms
from shopledger.domain.errors import InvalidOrder
from shopledger.domain.orders.interchange import parse_order
from shopledger.domain.sync.policy import BooksPolicy
from tests.builders import make_order_dict

pytestmark = pytest.mark.unit

D = Decimal
TEN_FROM_DECEMBER = VatTerms(rates=(VatRate(D("7"), date(1992, 1, 1)), VatRate(D("10"), date(2026, 12, 1))))
NOT_REGISTERED = VatTerms(registered=False)
ONE_LINE = [{"sku": "A", "name": "a", "quantity": 1, "unit_price": "100.00"}]


def before_vat(total: str, **overrides) -> dict:
    return make_order_dict(lines=ONE_LINE, shipping_fee="0.00", prices_include_vat=False, total=total, **overrides)


def reason_for(data: dict, vat: VatTerms) -> str:
    with pytest.raises(InvalidOrder) as caught:
        parse_order(data, "file", vat=vat)
    return caught.value.reason


DECEMBER = {"placed_at": "2026-12-02T10:00:00+07:00", "updated_at": "2026-12-02T10:00:00+07:00",
            "payment_status": "unpaid", "paid_at": None}


def test_the_rate_in_force_on_the_day_placed_is_added_to_an_unpaid_order():
    assert parse_order(before_vat("110.00", **DECEMBER), "file", vat=TEN_FROM_DECEMBER).total == D("110.00")
    assert reason_for(before_vat("107.00", **DECEMBER), TEN_FROM_DECEMBER) == (
        "total 107.00 does not match lines 100.00 + VAT 10% 10.00 = 110.00 (prices_include_vat is false)")


def test_a_paid_order_takes_the_rate_in_force_on_its_payment_day_in_bangkok():
    # placed in November at 7%, paid at 00:30 on 1 December in Bangkok (still 30 November in UTC)
    paid = {"placed_at": "2026-11-30T10:00:00+07:00", "paid_at": "2026-11-30T17:30:00Z",
            "updated_at": "2026-12-01T09:00:00+07:00"}
    assert parse_order(before_vat("110.00", **paid), "file", vat=TEN_FROM_DECEMBER).total == D("110.00")
    assert "VAT 10% 10.00" in reason_for(before_vat("107.00", **paid), TEN_FROM_DECEMBER)
    november = {**paid, "paid_at": "2026-11-30T16:59:00Z"}
    assert parse_order(before_vat("107.00", **november), "file", vat=TEN_FROM_DECEMBER).total == D("107.00")


def test_a_merchant_not_registered_for_vat_adds_no_vat():
    assert parse_order(before_vat("100.00"), "file", vat=NOT_REGISTERED).total == D("100.00")
    assert reason_for(before_vat("107.00"), NOT_REGISTERED) == (
        "total 107.00 does not match lines 100.00 (prices_include_vat is false; not registered for VAT: no VAT added)")


def test_without_terms_the_standard_rate_of_a_registered_merchant_applies():
    assert parse_order(before_vat("107.00"), "file").total == D("107.00")
    with pytest.raises(InvalidOrder):
        parse_order(before_vat("100.00"), "file")


def test_the_books_policy_hands_over_its_vat_terms():
    policy = BooksPolicy(vat_registered=False, vat_rates=TEN_FROM_DECEMBER.rates)
    assert policy.vat_terms == VatTerms(registered=False, rates=TEN_FROM_DECEMBER.rates)
    assert BooksPolicy().vat_terms == VatTerms()


def test_prices_including_vat_are_not_touched_by_the_terms():
    data = make_order_dict(lines=ONE_LINE, shipping_fee="0.00", total="100.00")
    assert parse_order(data, "file", vat=NOT_REGISTERED).total == D("100.00")
    assert parse_order({**data, **DECEMBER}, "file", vat=TEN_FROM_DECEMBER).total == D("100.00")
