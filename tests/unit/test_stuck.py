from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from shopledger.domain.errors import DomainError
from shopledger.domain.orders.model import (
    Channel,
    Customer,
    FulfillmentStatus,
    Order,
    OrderLine,
    PaymentMethod,
    PaymentStatus,
    Shipment,
)
from shopledger.domain.orders.stuck import (
    OrderFacts,
    StuckRules,
    parse_duration,
    stuck_reasons,
    waited,
)

pytestmark = pytest.mark.unit

T0 = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)
P, F = PaymentStatus, FulfillmentStatus
RULES = StuckRules()
SECOND = timedelta(seconds=1)


def facts(**changes) -> OrderFacts:
    base = OrderFacts("import:BW-1", P.UNPAID, F.UNFULFILLED, placed_at=T0)
    return replace(base, **changes)


def codes(order_facts, now, rules=RULES):
    return [reason.code for reason in stuck_reasons(order_facts, rules, now)]


# (facts, when the state began, threshold, code, reason at the threshold, action)
CASES = {
    "unpaid": (facts(), T0, timedelta(days=3), "placed 3 days ago, not paid",
               "remind the buyer, or cancel the order"),
    "payment_check": (facts(payment_status=P.VERIFYING, status_since=T0 + timedelta(hours=5)),
                      T0 + timedelta(hours=5), timedelta(hours=24),
                      "payment waiting 1 day to be checked",
                      "check the payment and mark it paid, or ask the buyer"),
    "unshipped": (facts(payment_status=P.PAID, paid_at=T0 + timedelta(hours=1)),
                  T0 + timedelta(hours=1), timedelta(days=2), "paid 2 days ago, not shipped",
                  "ship it or cancel it"),
    "undelivered": (facts(payment_status=P.PAID, fulfillment_status=F.SHIPPED,
                          shipped_at=T0 + timedelta(days=1)),
                    T0 + timedelta(days=1), timedelta(days=7), "shipped 7 days ago, not delivered",
                    "check the tracking with the carrier"),
    "unremitted": (facts(is_cod=True, payment_status=P.PAID, fulfillment_status=F.DELIVERED,
                         delivered_at=T0 + timedelta(days=2)),
                   T0 + timedelta(days=2), timedelta(days=5), "COD delivered 5 days ago, not remitted",
                   "ask the courier for the payout, or import its COD statement"),
    "unrestocked": (facts(is_cod=True, cancelled=True, fulfillment_status=F.RETURNED,
                          returned_at=T0 + timedelta(days=4)),
                    T0 + timedelta(days=4), timedelta(days=3), "returned 3 days ago, not back in stock",
                    "check the parcel came back and put the goods back in stock"),
}


@pytest.mark.parametrize("code", list(CASES))
def test_each_rule_fires_at_its_threshold_and_not_a_second_before(code):
    order_facts, since, threshold, reason, action = CASES[code]
    assert codes(order_facts, since + threshold - SECOND) == []
    [found] = stuck_reasons(order_facts, RULES, since + threshold)
    assert (found.code, found.reason, found.action, found.since) == (code, reason, action, since)
    assert found.kind == "stuck_order"


def test_unshipped_cod_counts_from_placing_the_order():
    cod = facts(is_cod=True)
    assert codes(cod, T0 + timedelta(days=2) - SECOND) == []
    [found] = stuck_reasons(cod, RULES, T0 + timedelta(days=2))
    assert found.reason == "COD order placed 2 days ago, not shipped"


def test_an_unpaid_cod_order_is_never_stuck_for_payment():
    assert "unpaid" not in codes(facts(is_cod=True), T0 + timedelta(days=30))


def test_cancelled_orders_are_not_chased_for_payment_or_shipping():
    assert codes(facts(cancelled=True), T0 + timedelta(days=30)) == []
    paid = facts(cancelled=True, payment_status=P.PAID)
    assert codes(paid, T0 + timedelta(days=30)) == []


def test_restocked_returns_and_remitted_cod_are_not_stuck():
    later = T0 + timedelta(days=30)
    assert codes(replace(CASES["unrestocked"][0], returned_restocked=True), later) == []
    assert codes(replace(CASES["unremitted"][0], cod_remitted=True), later) == []


def test_a_failed_sync_is_reported_at_once_with_its_reason():
    failed = facts(payment_status=P.PAID, last_sync_failed="total 760.00 does not match lines 750.00",
                   sync_failed_at=T0 + timedelta(hours=2))
    [found] = stuck_reasons(failed, RULES, T0 + timedelta(hours=2))
    assert found.kind == "sync_failed"
    assert found.reason == "last sync failed: total 760.00 does not match lines 750.00"
    assert found.since == T0 + timedelta(hours=2)


def test_an_order_can_be_stuck_for_several_reasons_at_once():
    both = facts(payment_status=P.UNPAID, fulfillment_status=F.SHIPPED, shipped_at=T0,
                 last_sync_failed="boom")
    assert codes(both, T0 + timedelta(days=7)) == ["unpaid", "undelivered", "sync_failed"]


def test_a_state_whose_start_is_unknown_is_not_judged():
    shipped = facts(payment_status=P.PAID, fulfillment_status=F.SHIPPED)
    assert codes(shipped, T0 + timedelta(days=30)) == []
    assert codes(replace(shipped, status_since=T0), T0 + timedelta(days=7)) == ["undelivered"]


def test_merchant_settings_change_and_switch_off_rules():
    rules = StuckRules.from_settings({"unpaid_after": "1d12h", "payment_check_after": 2,
                                      "unshipped_after": "off", "sync_failed_after": None})
    assert rules.unpaid_after == timedelta(days=1, hours=12)
    assert rules.payment_check_after == timedelta(hours=2)
    assert rules.undelivered_after == timedelta(days=7)
    assert codes(facts(), T0 + timedelta(hours=36), rules) == ["unpaid"]
    paid = facts(payment_status=P.PAID, paid_at=T0, last_sync_failed="boom")
    assert codes(paid, T0 + timedelta(days=30), rules) == []


@pytest.mark.parametrize("bad", [{"unpaid_afterr": "3d"}, {"unpaid_after": "3 weeks"},
                                 {"unpaid_after": "d3"}, {"unpaid_after": -1}])
def test_bad_settings_are_refused(bad):
    with pytest.raises(DomainError) as raised:
        StuckRules.from_settings(bad)
    assert raised.value.code == "invalid_setting"


def test_durations_and_waits_read_naturally():
    assert parse_duration("90m") == timedelta(minutes=90)
    assert parse_duration("48") == timedelta(hours=48)
    assert waited(timedelta(days=1, hours=23)) == "1 day"
    assert waited(timedelta(hours=5)) == "5 hours"
    assert waited(timedelta(minutes=1)) == "1 minute"


def test_a_naive_now_is_refused():
    with pytest.raises(ValueError):
        stuck_reasons(facts(), RULES, datetime(2026, 11, 30))


def test_facts_from_an_order_carry_its_own_times():
    order = Order(source="import", external_id="BW-9", channel=Channel.LINE, placed_at=T0, updated_at=T0,
                  payment_status=P.PAID, fulfillment_status=F.SHIPPED, payment_method=PaymentMethod.COD,
                  customer=Customer("Somchai"), lines=(OrderLine("HONEY", "honey", 1, Decimal("1.00")),),
                  total=Decimal("1.00"), paid_at=T0, shipment=Shipment("kerry", "KEX1", T0))
    order_facts = OrderFacts.from_order(order, cod_remitted=True)
    assert (order_facts.order_key, order_facts.is_cod, order_facts.shipped_at,
            order_facts.cod_remitted) == ("import:BW-9", True, T0, True)
    assert codes(order_facts, T0 + timedelta(days=7)) == ["undelivered"]
