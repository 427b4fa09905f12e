from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from shopledger.domain.orders.model import (
    Channel,
    Customer,
    FulfillmentStatus,
    Order,
    OrderLine,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RefundLine,
)
from shopledger.domain.stock import posting
from shopledger.domain.stock.alerts import StockAlertKind, stock_alerts, unknown_sku_alert
from shopledger.domain.stock.cost import StockPosition
from shopledger.domain.stock.movements import (
    Movement,
    MovementKind,
    OrderStockState,
    cost_movements,
    plan_count,
    plan_order_stock,
    plan_receipt,
)
from shopledger.domain.stock.posting import movement_entries

pytestmark = pytest.mark.unit

T0 = datetime(2026, 11, 20, 3, 15, tzinfo=timezone.utc)
K = MovementKind


def make_order(*lines, payment=PaymentStatus.UNPAID, fulfillment=FulfillmentStatus.UNFULFILLED,
               cancelled=False, refunds=(), method=PaymentMethod.BANK_TRANSFER) -> Order:
    order_lines = tuple(OrderLine(sku, sku.lower(), qty, Decimal("100.00")) for sku, qty in lines)
    total = sum((line.amount for line in order_lines), Decimal("0.00"))
    return Order(source="import", external_id="BW-1", channel=Channel.WEBSITE, placed_at=T0,
                 updated_at=T0, payment_status=payment, fulfillment_status=fulfillment,
                 payment_method=method, customer=Customer("Somchai"), lines=order_lines,
                 total=total, cancelled_at=T0 + timedelta(hours=1) if cancelled else None,
                 refunds=tuple(refunds))


def summary(moves):
    return [(m.sku, m.kind, m.on_hand_delta, m.reserved_delta) for m in moves]


class Ledger:
    """Movements applied so far for one order, replayed the way the service will."""

    def __init__(self, **positions):
        self.moves: list[Movement] = []
        self.positions = {sku: StockPosition(*values) for sku, values in positions.items()}

    @property
    def held(self) -> OrderStockState:
        return OrderStockState.from_movements(self.moves)

    def apply(self, order):
        planned = plan_order_stock(order, self.held)
        costed = cost_movements(planned, self.positions, self.held)
        self.moves += costed.movements
        self.positions = costed.positions
        return costed.movements


def test_a_new_order_reserves_each_sku_once_summing_repeated_lines():
    moves = plan_order_stock(make_order(("HONEY", 2), ("JAM", 1), ("HONEY", 1)), OrderStockState())
    assert summary(moves) == [("HONEY", K.RESERVE, 0, 3), ("JAM", K.RESERVE, 0, 1)]
    assert moves[0].ref == "import:BW-1"
    assert "reserved" in moves[0].cause


def test_replaying_the_same_order_emits_nothing():
    ledger = Ledger(HONEY=(10, 0, 100000))
    order = make_order(("HONEY", 2))
    assert ledger.apply(order)
    assert ledger.apply(order) == []
    shipped = replace(order, payment_status=PaymentStatus.PAID, fulfillment_status=FulfillmentStatus.SHIPPED)
    assert ledger.apply(shipped)
    assert ledger.apply(shipped) == []


def test_shipping_turns_the_reservation_into_a_deduction_at_average_cost():
    ledger = Ledger(HONEY=(10, 0, 150000))
    ledger.apply(make_order(("HONEY", 2)))
    assert ledger.positions["HONEY"].available == 8
    moves = ledger.apply(make_order(("HONEY", 2), payment=PaymentStatus.PAID,
                                    fulfillment=FulfillmentStatus.SHIPPED))
    assert summary(moves) == [("HONEY", K.SHIP, -2, -2)]
    assert moves[0].value_delta == -30000
    assert ledger.positions["HONEY"] == StockPosition(8, 0, 120000, 15000)


def test_an_order_first_seen_shipped_deducts_without_a_reservation():
    moves = plan_order_stock(make_order(("HONEY", 2), fulfillment=FulfillmentStatus.DELIVERED),
                             OrderStockState())
    assert summary(moves) == [("HONEY", K.SHIP, -2, 0)]


def test_cancel_before_shipping_releases_the_reservation():
    ledger = Ledger(HONEY=(5, 0, 50000))
    ledger.apply(make_order(("HONEY", 2)))
    moves = ledger.apply(make_order(("HONEY", 2), cancelled=True))
    assert summary(moves) == [("HONEY", K.RELEASE, 0, -2)]
    assert "cancelled before shipping" in moves[0].cause
    assert ledger.positions["HONEY"].reserved == 0
    assert ledger.apply(make_order(("HONEY", 2), cancelled=True)) == []


def test_a_cancelled_order_never_seen_before_reserves_nothing():
    assert plan_order_stock(make_order(("HONEY", 2), cancelled=True), OrderStockState()) == []


def test_a_new_version_emits_only_the_change_and_a_dropped_line_is_released():
    ledger = Ledger()
    ledger.apply(make_order(("HONEY", 2), ("JAM", 1)))
    moves = ledger.apply(make_order(("HONEY", 3)))
    assert summary(moves) == [("HONEY", K.RESERVE, 0, 1), ("JAM", K.RELEASE, 0, -1)]


def test_a_return_puts_the_shipped_goods_back_at_the_cost_they_left_with():
    ledger = Ledger(HONEY=(4, 0, 40000))
    ledger.apply(make_order(("HONEY", 2), fulfillment=FulfillmentStatus.SHIPPED, method=PaymentMethod.COD))
    ledger.positions["HONEY"] = StockPosition(12, 0, 220000)    # a dearer receipt since (avg 183.33)
    moves = ledger.apply(make_order(("HONEY", 2), fulfillment=FulfillmentStatus.RETURNED,
                                    method=PaymentMethod.COD))
    assert summary(moves) == [("HONEY", K.RETURN, 2, 0)]
    assert moves[0].value_delta == 20000
    assert ledger.positions["HONEY"].value == 240000
    assert ledger.apply(make_order(("HONEY", 2), fulfillment=FulfillmentStatus.RETURNED)) == []


def test_returned_without_ever_seeing_it_shipped_only_releases():
    ledger = Ledger()
    ledger.apply(make_order(("HONEY", 2)))
    moves = ledger.apply(make_order(("HONEY", 2), fulfillment=FulfillmentStatus.RETURNED))
    assert summary(moves) == [("HONEY", K.RELEASE, 0, -2)]


def test_a_restocking_refund_restocks_its_lines_once_per_refund():
    refund = Refund("R-1", Decimal("100.00"), (RefundLine("HONEY", 1),), restock=True)
    ledger = Ledger(HONEY=(10, 0, 100000))
    delivered = make_order(("HONEY", 3), payment=PaymentStatus.PAID, fulfillment=FulfillmentStatus.DELIVERED)
    ledger.apply(delivered)
    moves = ledger.apply(replace(delivered, refunds=(refund,)))
    assert summary(moves) == [("HONEY", K.RESTOCK, 1, 0)]
    assert moves[0].refund_id == "R-1" and "R-1" in moves[0].cause
    assert moves[0].value_delta == 10000
    assert ledger.apply(replace(delivered, refunds=(refund,))) == []
    second = Refund("R-2", Decimal("100.00"), (RefundLine("HONEY", 1),), restock=True)
    moves = ledger.apply(replace(delivered, refunds=(refund, second)))
    assert [(m.refund_id, m.on_hand_delta) for m in moves] == [("R-2", 1)]


def test_a_refund_without_restock_moves_no_goods():
    refund = Refund("R-1", Decimal("100.00"), (RefundLine("HONEY", 1),), restock=False)
    held = OrderStockState(shipped={"HONEY": 2}, value_out={"HONEY": 20000})
    order = make_order(("HONEY", 2), fulfillment=FulfillmentStatus.SHIPPED, refunds=[refund])
    assert plan_order_stock(order, held) == []


def test_restock_never_puts_back_more_than_went_out_and_waits_for_shipping():
    refund = Refund("R-1", Decimal("300.00"), (RefundLine("HONEY", 3),), restock=True)
    open_order = make_order(("HONEY", 2), payment=PaymentStatus.PAID, refunds=[refund])
    assert summary(plan_order_stock(open_order, OrderStockState())) == [("HONEY", K.RESERVE, 0, 2)]
    returned = make_order(("HONEY", 2), fulfillment=FulfillmentStatus.RETURNED, refunds=[refund])
    held = OrderStockState(shipped={"HONEY": 2}, value_out={"HONEY": 20000})
    assert summary(plan_order_stock(returned, held)) == [("HONEY", K.RETURN, 2, 0)]


def test_an_undone_shipment_brings_back_only_what_is_still_out():
    held = OrderStockState(shipped={"HONEY": 2}, returned={"HONEY": 1}, value_out={"HONEY": 10000})
    moves = plan_order_stock(make_order(("HONEY", 2)), held)
    assert summary(moves) == [("HONEY", K.SHIP, 1, 0), ("HONEY", K.RESERVE, 0, 2)]


def test_shipping_oversold_stock_then_returning_it_through_the_ledger():
    ledger = Ledger(HONEY=(1, 0, 10000, 10000))
    ledger.apply(make_order(("HONEY", 3), fulfillment=FulfillmentStatus.SHIPPED))
    assert ledger.positions["HONEY"] == StockPosition(-2, 0, -20000, 10000)
    ledger.apply(make_order(("HONEY", 3), fulfillment=FulfillmentStatus.RETURNED))
    assert ledger.positions["HONEY"] == StockPosition(1, 0, 10000, 10000)


def test_the_value_of_all_movements_adds_up_to_the_position():
    ledger = Ledger(HONEY=(0, 0, 0, 5000))
    ledger.apply(make_order(("HONEY", 2), fulfillment=FulfillmentStatus.SHIPPED))
    receipt, pos = plan_receipt("HONEY", ledger.positions["HONEY"], 4, 8000, "GR-1")
    assert [m.kind for m in receipt] == [K.RECEIVE, K.REVALUE]
    assert receipt[1].value_delta == -6000          # the 2 oversold cost 30.00 more each
    ledger.positions["HONEY"] = pos
    ledger.apply(make_order(("HONEY", 2), fulfillment=FulfillmentStatus.RETURNED))
    counted, pos = plan_count("HONEY", ledger.positions["HONEY"], 3, "CNT-1")
    total = sum(m.value_delta for m in ledger.moves + receipt + counted)
    assert total == pos.value
    assert pos.on_hand == 3


def test_a_count_that_matches_emits_nothing():
    pos = StockPosition(5, 0, 50000)
    assert plan_count("HONEY", pos, 5, "CNT-1") == ([], pos)


def test_movement_entries_post_cost_of_goods_sold_returns_and_adjustments():
    ledger = Ledger(HONEY=(10, 0, 150000))
    moves = ledger.apply(make_order(("HONEY", 2), fulfillment=FulfillmentStatus.SHIPPED))
    [shipped] = movement_entries(T0.date(), "order import:BW-1", moves)
    assert [(line.account, line.debit, line.credit) for line in shipped.lines] == [
        ("511101", Decimal("300.00"), Decimal("0.00")), ("114101", Decimal("0.00"), Decimal("300.00"))]
    moves = ledger.apply(make_order(("HONEY", 2), fulfillment=FulfillmentStatus.RETURNED))
    [returned] = movement_entries(T0.date(), "order import:BW-1", moves)
    assert returned.event == "goods_returned"
    assert [(line.account, line.debit) for line in returned.lines] == [
        ("114101", Decimal("300.00")), ("511101", Decimal("0.00"))]
    assert movement_entries(T0.date(), "x", plan_order_stock(make_order(("JAM", 1)), OrderStockState())) == []


def _lines(draft):
    return [(line.account, str(line.debit), str(line.credit)) for line in draft.lines]


def test_stock_entries_pick_their_direction_from_the_sign():
    day = T0.date()
    assert _lines(posting.goods_received_entry(day, 180000, "GR-1")) == [
        ("114101", "1800.00", "0.00"), ("212101", "0.00", "1800.00")]
    assert _lines(posting.stock_count_entry(day, -30000, "CNT-1")) == [
        ("531101", "300.00", "0.00"), ("114101", "0.00", "300.00")]
    assert _lines(posting.stock_count_entry(day, 15000, "CNT-2")) == [
        ("114101", "150.00", "0.00"), ("531101", "0.00", "150.00")]
    assert _lines(posting.cost_adjustment_entry(day, 6000, "GR-2")) == [
        ("511101", "60.00", "0.00"), ("114101", "0.00", "60.00")]
    assert _lines(posting.goods_shipped_entry(day, -100, "undo")) == [
        ("114101", "1.00", "0.00"), ("511101", "0.00", "1.00")]
    assert posting.goods_shipped_entry(day, 0, "nothing") is None


# -- alerts --------------------------------------------------------------------------------

def test_low_stock_fires_at_the_level_and_not_above_it():
    assert stock_alerts("HONEY", "Honey", StockPosition(10, 4, 0), low_stock_at=5) == []
    [alert] = stock_alerts("HONEY", "Honey", StockPosition(10, 5, 0), low_stock_at=5)
    assert (alert.kind, alert.subject) == (StockAlertKind.LOW_STOCK, "HONEY")
    assert "5 available" in alert.reason and "low-stock level of 5" in alert.reason
    assert alert.action == "order more from the supplier"


def test_no_level_means_no_low_stock_alert_but_oversell_always_alerts():
    assert stock_alerts("HONEY", "Honey", StockPosition(0, 0, 0), low_stock_at=None) == []
    [alert] = stock_alerts("HONEY", "Honey", StockPosition(2, 5, 0), low_stock_at=None)
    assert alert.kind is StockAlertKind.OVERSELL
    assert "oversold by 3: 2 on hand, 5 reserved" in alert.reason


def test_oversold_stock_raises_one_alert_not_two():
    alerts = stock_alerts("HONEY", "Honey", StockPosition(0, 1, 0), low_stock_at=5)
    assert [alert.kind for alert in alerts] == [StockAlertKind.OVERSELL]


def test_unknown_sku_alert_names_the_order_and_what_to_do():
    alert = unknown_sku_alert("MYSTERY-1", "import:BW-1", since=T0)
    assert (alert.kind, alert.subject, alert.since) == (StockAlertKind.UNKNOWN_SKU, "MYSTERY-1", T0)
    assert "import:BW-1" in alert.reason and "created with no stock" in alert.reason
    assert "cost" in alert.action


def test_state_can_be_summed_from_movements_read_back_with_plain_string_kinds():
    stored = [Movement("HONEY", "reserve", 0, 2), Movement("HONEY", "ship", -2, -2, -30000),
              Movement("HONEY", "restock", 1, 0, 15000, refund_id="R-1")]
    held = OrderStockState.from_movements(stored)
    assert (held.reserved["HONEY"], held.shipped["HONEY"], held.out("HONEY")) == (0, 2, 1)
    assert held.restocked == {("R-1", "HONEY"): 1}
    assert held.value_out["HONEY"] == 15000


# --- the first-sight shortcut gives exactly what the general planner gives -----------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from shopledger.domain.stock import movements as _movements  # noqa: E402
from shopledger.domain.orders.interchange import parse_order as _parse  # noqa: E402
from tests.builders import make_order_dict as _order_dict  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(payment=st.sampled_from(["unpaid", "verifying", "paid", "refunded"]),
       fulfilment=st.sampled_from(["unfulfilled", "shipped", "delivered"]),
       cancelled=st.booleans())
def test_first_sight_shortcut_matches_the_general_planner(payment, fulfilment, cancelled):
    data = _order_dict(payment_status=payment, fulfillment_status=fulfilment,
                       paid_at=None if payment in ("unpaid", "verifying") else "2026-11-20T11:00:00+07:00",
                       cancelled_at="2026-11-21T09:00:00+07:00" if cancelled else None)
    order = _parse(data, "import")
    shortcut = _movements.plan_order_stock(order, _movements.NOTHING_HELD)
    general = _movements.plan_order_stock(order, _movements.OrderStockState(reserved={}))
    assert shortcut == general
