from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopledger.domain.errors import DomainError
from shopledger.domain.stock.cost import (
    StockPosition,
    count,
    div_half_up,
    give_back,
    issue,
    receive,
    reserve,
)

pytestmark = pytest.mark.unit


def test_div_half_up_rounds_halves_away_from_zero():
    assert div_half_up(5, 2) == 3
    assert div_half_up(-5, 2) == -3
    assert div_half_up(4, 3) == 1
    assert div_half_up(-4, 3) == -1
    assert div_half_up(1000, 3) == 333


def test_receive_averages_two_purchases():
    pos, value, adjustment = receive(StockPosition(), 10, 18000)
    assert (value, adjustment) == (180000, 0)
    pos, value, _ = receive(pos, 10, 20000)
    assert value == 200000
    assert pos == StockPosition(on_hand=20, reserved=0, value=380000, last_unit_cost=19000)
    assert pos.avg_cost == Decimal("190.00")


def test_issue_takes_moving_average_rounded_half_up_and_everything_at_the_end():
    pos = StockPosition(on_hand=3, value=1000)        # 3.333... satang each
    pos, first = issue(pos, 1)
    assert first == 333
    pos, second = issue(pos, 1)                      # 667 / 2 = 333.5 -> 334
    assert second == 334
    pos, last = issue(pos, 1)
    assert last == 333
    assert (pos.on_hand, pos.value) == (0, 0)
    assert first + second + last == 1000


def test_oversell_issues_beyond_stock_at_the_last_average_cost():
    pos, _, _ = receive(StockPosition(), 2, 10000)
    pos, cost_out = issue(pos, 5)
    assert cost_out == 50000                         # 2 at their value + 3 at 100.00
    assert (pos.on_hand, pos.value) == (-3, -30000)
    pos, more = issue(pos, 1)
    assert more == 10000
    assert pos.avg_cost == Decimal("100.00")


def test_receipt_settles_oversold_units_and_books_the_cost_gap():
    pos = StockPosition(on_hand=-5, value=-50000, last_unit_cost=10000)
    pos, value, adjustment = receive(pos, 10, 20000)
    assert value == 200000
    assert adjustment == 50000                       # 5 units cost 200 not 100 -> more COGS
    assert (pos.on_hand, pos.value) == (5, 100000)
    assert pos.avg_cost == Decimal("200.00")


def test_receipt_that_only_partly_covers_an_oversell_keeps_the_rest_negative():
    pos = StockPosition(on_hand=-4, value=-40000, last_unit_cost=10000)
    pos, _, adjustment = receive(pos, 1, 7000)
    assert adjustment == -3000                       # cheaper than booked: less COGS
    assert (pos.on_hand, pos.value) == (-3, -30000)


def test_give_back_adds_the_cost_the_goods_left_with():
    pos = StockPosition(on_hand=4, value=40000)
    pos, value, adjustment = give_back(pos, 1, 12000)
    assert (value, adjustment) == (12000, 0)
    assert (pos.on_hand, pos.value) == (5, 52000)


def test_count_books_the_difference_at_average_cost():
    pos = StockPosition(on_hand=10, value=150000)
    counted, difference = count(pos, 8)
    assert difference == -30000
    assert (counted.on_hand, counted.value) == (8, 120000)
    found, difference = count(pos, 11)
    assert difference == 15000
    assert count(pos, 10) == (pos, 0)


def test_count_to_zero_leaves_no_value_and_count_from_nothing_uses_the_last_cost():
    emptied, difference = count(StockPosition(on_hand=3, value=1000), 0)
    assert (emptied.value, difference) == (0, -1000)
    found, difference = count(StockPosition(on_hand=0, value=0, last_unit_cost=2500), 4)
    assert (found.value, difference) == (10000, 10000)


def test_count_after_an_oversell_resets_value_to_the_counted_goods():
    pos = StockPosition(on_hand=-2, value=-20000, last_unit_cost=10000)
    counted, difference = count(pos, 1)
    assert (counted.on_hand, counted.value) == (1, 10000)
    assert difference == 30000


def test_reservations_change_available_and_never_go_below_zero():
    pos = reserve(StockPosition(on_hand=5), 7)
    assert pos.available == -2
    assert reserve(pos, -7).reserved == 0
    with pytest.raises(DomainError) as raised:
        reserve(pos, -8)
    assert raised.value.code == "invalid_reservation"


@pytest.mark.parametrize("call", [
    lambda: receive(StockPosition(), 0, 100),
    lambda: receive(StockPosition(), 1, -1),
    lambda: issue(StockPosition(), 0),
    lambda: give_back(StockPosition(), -1, 0),
    lambda: count(StockPosition(), -1),
])
def test_nonsense_quantities_are_refused(call):
    with pytest.raises(DomainError):
        call()


# -- properties ----------------------------------------------------------------------------

operation = st.one_of(
    st.tuples(st.just("receive"), st.integers(1, 50), st.integers(0, 100_000)),
    st.tuples(st.just("issue"), st.integers(1, 50), st.just(0)),
    st.tuples(st.just("return"), st.integers(1, 50), st.just(0)),
)


def _run(operations, allow_oversell):
    """Apply a sequence; returns are of goods earlier issued, at the cost they left with."""
    pos = StockPosition()
    received = issued = returned = adjusted = 0
    out_qty = out_value = 0
    for name, qty, unit_cost in operations:
        if name == "receive":
            pos, value, adjustment = receive(pos, qty, unit_cost)
            received, adjusted = received + value, adjusted + adjustment
        elif name == "issue" and (allow_oversell or pos.on_hand >= qty):
            pos, cost_out = issue(pos, qty)
            issued += cost_out
            out_qty, out_value = out_qty + qty, out_value + cost_out
        elif name == "return" and out_qty >= qty:
            cost = out_value if qty == out_qty else div_half_up(out_value * qty, out_qty)
            pos, value, adjustment = give_back(pos, qty, cost)
            out_qty, out_value = out_qty - qty, out_value - cost
            returned, adjusted = returned + value, adjusted + adjustment
        yield pos, received, issued, returned, adjusted


@settings(max_examples=300)
@given(st.lists(operation, max_size=40))
def test_without_oversell_value_stays_non_negative_and_cost_out_never_exceeds_cost_in(operations):
    for pos, received, issued, returned, _ in _run(operations, allow_oversell=False):
        assert pos.on_hand >= 0
        assert pos.value >= 0
        if pos.on_hand == 0:
            assert pos.value == 0
        assert issued - returned <= received
        assert pos.value == received - issued + returned


@settings(max_examples=300)
@given(st.lists(operation, max_size=40))
def test_with_oversell_value_is_conserved_and_zero_stock_holds_zero_value(operations):
    for pos, received, issued, returned, adjusted in _run(operations, allow_oversell=True):
        assert pos.value == received - issued + returned - adjusted
        if pos.on_hand == 0:
            assert pos.value == 0
        if pos.on_hand >= 0:
            assert pos.value >= 0
        else:
            assert pos.value <= 0


@given(st.lists(st.tuples(st.integers(1, 30), st.integers(0, 99_999)), min_size=1, max_size=10),
       st.data())
def test_issuing_all_stock_in_any_pieces_leaves_exactly_zero(receipts, data):
    pos = StockPosition()
    for qty, unit_cost in receipts:
        pos, _, _ = receive(pos, qty, unit_cost)
    total = pos.value
    issued = 0
    while pos.on_hand:
        pos, cost_out = issue(pos, data.draw(st.integers(1, pos.on_hand)))
        issued += cost_out
    assert (pos.value, issued) == (0, total)
