"""Issue 7 (points 10, 12, 14): amounts, quantities, dates and texts out of bounds are one
order's reason, in the merchant's words; nothing about one order can raise anything else."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from shopledger.domain import limits
from shopledger.domain.errors import InvalidOrder
from shopledger.domain.money import MoneyError, parse_money
from shopledger.domain.orders import interchange
from shopledger.domain.orders.canonical import received_hash
from shopledger.domain.orders.interchange import parse_order
from tests.builders import make_order_dict, priced_order_dict

pytestmark = pytest.mark.unit

TECHNICAL = re.compile(r"Traceback|Error\b|Exception|Decimal\(|InvalidOperation|\[<class|object at 0x")


def reason_for(data: dict) -> str:
    with pytest.raises(InvalidOrder) as caught:
        parse_order(data, "file")
    reason = caught.value.reason
    assert not TECHNICAL.search(reason), reason
    assert len(reason) < 300, reason
    return reason


def one_line(quantity=1, unit_price="100.00", **line) -> list[dict]:
    return [{"sku": "HONEY-1L", "name": "น้ำผึ้ง", "quantity": quantity, "unit_price": unit_price, **line}]


def refund(**overrides) -> dict:
    base = {"external_id": "R1", "amount": "350.00", "lines": [], "created_at": "2026-11-25T10:00:00+07:00"}
    return {**base, **overrides}


# --- amounts and quantities (point 10) --------------------------------------------------------


def test_the_largest_amounts_are_accepted():
    order = parse_order(priced_order_dict(one_line(quantity=10, unit_price="100000000.00")), "file")
    assert order.total == limits.MAX_TOTAL


@pytest.mark.parametrize("unit_price", ["100000000.01", "92233720368547758.07"])
def test_a_price_above_the_largest_amount_is_refused(unit_price):
    reason = reason_for(priced_order_dict(one_line(unit_price=unit_price)))
    assert reason == (f"line 1 (HONEY-1L): unit_price {unit_price} is more than 100,000,000.00, "
                      "the most accepted; check the figure")


def test_an_order_total_above_the_largest_total_is_refused():
    reason = reason_for(priced_order_dict(one_line(quantity=11, unit_price="100000000.00")))
    assert reason == "total 1100000000.00 is more than 1,000,000,000.00, the most accepted; check the figure"


@pytest.mark.parametrize("field", ["shipping_fee"])
def test_order_amounts_are_bounded(field):
    assert "is more than 100,000,000.00" in reason_for(make_order_dict(**{field: "100000000.01"}))
    assert "discount 1000000000.01 is more than 1,000,000,000.00" in reason_for(make_order_dict(discount="1000000000.01"))
    assert reason_for(make_order_dict(lines=one_line(discount="100000000.01"))) == (
        "line 1 (HONEY-1L): discount 100000000.01 is more than 100,000,000.00, the most accepted; check the figure")


def test_a_refund_above_the_largest_total_is_refused():
    reason = reason_for(make_order_dict(refunds=[refund(amount="1000000000.01")]))
    assert reason == "refund 1 (R1): amount 1000000000.01 is more than 1,000,000,000.00, the most accepted; check the figure"


@pytest.mark.parametrize("value", ["1e309", "-1e309", "1E+400", Decimal("1E+309"), "9" * 5000, "0.5e999999999"])
def test_absurd_amounts_are_a_reason_not_a_crash(value):
    reason = reason_for(make_order_dict(total=value))
    assert reason.startswith("total ") and ("more than 1,000,000,000.00" in reason or "cannot be negative" in reason)


@pytest.mark.parametrize("value", ["1e309", "9" * 5000, Decimal("1E+999999")])
def test_parse_money_refuses_absurd_amounts_with_a_money_error(value):
    with pytest.raises(MoneyError):
        parse_money(value, field="fee")
    with pytest.raises(MoneyError, match="more than 100,000,000.00"):
        parse_money(value, field="fee", limit=limits.MAX_AMOUNT)


@pytest.mark.parametrize("quantity", [1_000_001, 2 ** 63, 2 ** 64, "18446744073709551616", "9" * 5000])
def test_a_quantity_above_the_largest_is_refused(quantity):
    reason = reason_for(make_order_dict(lines=one_line(quantity=quantity)))
    assert reason.startswith("line 1 (HONEY-1L): quantity ") and "is more than 1,000,000, the most accepted" in reason


def test_a_refund_quantity_above_the_largest_is_refused():
    lines = one_line(quantity=5)
    reason = reason_for(priced_order_dict(lines, refunds=[refund(amount="1.00", lines=[{"sku": "HONEY-1L", "quantity": 2 ** 64}])]))
    assert "quantity 18446744073709551616 is more than 1,000,000" in reason


def test_too_many_lines_or_refunds_are_refused():
    lines = [{"sku": f"S{i}", "name": "x", "quantity": 1, "unit_price": "1.00"} for i in range(1001)]
    assert reason_for(priced_order_dict(lines)) == "lines: 1,001 of them, more than the 1,000 accepted in one order"
    refunds = [refund(external_id=f"R{i}", amount="0.01") for i in range(101)]
    assert reason_for(make_order_dict(refunds=refunds)) == "refunds: 101 of them, more than the 100 accepted in one order"


# --- dates (point 12) -------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+07:00", "1999-12-31T23:59:59+07:00",
                                   datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5)))])
def test_a_date_out_of_range_is_a_reason(value):
    assert re.fullmatch(r"placed_at .+ is not between 2000-01-01 and a year from now; check the year",
                        reason_for(make_order_dict(placed_at=value)))


def test_a_date_more_than_a_year_ahead_is_refused_and_one_close_ahead_is_not():
    ahead = datetime.now(timezone.utc) + timedelta(days=370)
    assert "is not between 2000-01-01" in reason_for(make_order_dict(updated_at=ahead.isoformat()))
    soon = datetime.now(timezone.utc) + timedelta(days=300)
    assert parse_order(make_order_dict(updated_at=soon.isoformat()), "file").updated_at == soon


def test_the_first_moment_of_2000_in_bangkok_is_accepted():
    assert parse_order(make_order_dict(placed_at="2000-01-01T00:00:00+07:00"), "file").placed_at.year == 1999


def test_refund_and_shipment_dates_are_checked_too():
    assert "refund 1 (R1): created_at" in reason_for(make_order_dict(refunds=[refund(created_at="9999-12-31T23:00:00-05:00")]))
    shipment = {"carrier": "kerry", "tracking_number": "K1", "shipped_at": "0001-01-01T00:00:00+07:00"}
    assert reason_for(make_order_dict(shipment=shipment)).startswith("shipped_at 0001-01-01T00:00:00+07:00 is not between")


# --- texts (point 14) -------------------------------------------------------------------------


@pytest.mark.parametrize(("overrides", "reason"), [
    ({"external_id": "X" * 101}, "external_id is 101 characters long; at most 100 are accepted"),
    ({"customer": {"name": "ช" * 301}}, "customer.name is 301 characters long; at most 300 are accepted"),
    ({"customer": {"name": "a", "email": "e" * 255}}, "customer.email is 255 characters long; at most 254 are accepted"),
    ({"customer": {"name": "a", "phone": "0" * 51}}, "customer.phone is 51 characters long; at most 50 are accepted"),
    ({"customer": {"name": "a", "address": "ก" * 501}}, "customer.address is 501 characters long; at most 500 are accepted"),
    ({"note": "n" * 2001}, "note is 2,001 characters long; at most 2,000 are accepted"),
    ({"lines": one_line(name="ช" * 400)}, "line 1 (HONEY-1L): name is 400 characters long; at most 300 are accepted"),
    ({"lines": [{"sku": "S" * 101, "name": "x", "quantity": 1, "unit_price": "1.00"}]},
     "line 1: sku is 101 characters long; at most 100 are accepted"),
    ({"shipment": {"carrier": "c" * 61, "tracking_number": "T1"}},
     "shipment.carrier is 61 characters long; at most 60 are accepted"),
    ({"shipment": {"carrier": "kerry", "tracking_number": "T" * 41}},
     "shipment.tracking_number is 41 characters long; at most 40 are accepted"),
    ({"refunds": [refund(external_id="R" * 65)]}, "refund 1: external_id is 65 characters long; at most 64 are accepted"),
    ({"channel": "w" * 5000}, None),
])
def test_long_texts_are_refused_in_the_merchants_words(overrides, reason):
    got = reason_for(make_order_dict(**overrides))
    if reason is not None:
        assert got == reason


def test_a_carrier_that_grows_when_folded_is_measured_folded():
    assert "shipment.carrier" in reason_for(make_order_dict(shipment={"carrier": "ß" * 40, "tracking_number": "T1"}))


@pytest.mark.parametrize("text", ["a\x00b", "a\ud800b"])
def test_characters_no_database_keeps_alike_are_refused(text):
    assert reason_for(make_order_dict(customer={"name": text})) == (
        "customer.name contains a character that is not text (a NUL or a broken \\u escape); remove it")


# --- nothing about one order raises anything but InvalidOrder (point 12) ----------------------


def test_an_unexpected_error_while_reading_an_order_is_that_orders_reason(monkeypatch):
    def broken(value):
        raise ZeroDivisionError("division by zero in the depths")

    monkeypatch.setattr(interchange, "_customer", broken)
    with pytest.raises(InvalidOrder) as caught:
        parse_order(make_order_dict(), "file")
    assert caught.value.reason == limits.UNREADABLE_ORDER and caught.value.external_id == "BW-100234"


def _nested(depth: int) -> list:
    inner: list = []
    for _ in range(depth):
        inner = [inner]
    return inner


@pytest.mark.parametrize("data", [
    {"external_id": "A", "quantity": 2 ** 64},
    {"external_id": "A", "name": "a\ud800"},
    {"external_id": "A", "deep": _nested(300)},
    {"external_id": "A", "deeper": _nested(5000)},
])
def test_a_record_is_hashed_whatever_it_holds(data):
    assert received_hash(data) != received_hash({"external_id": "A"})
