"""Products and stock by hand: receipts at moving-average cost, counts booked to 531101,
oversold stock settled by a receipt, and a product first seen as an unknown SKU."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shopledger.adapters.db import reads, tables as t
from shopledger.adapters.db.engine import reading
from shopledger.domain.errors import DomainError, NotFound
from shopledger.services import order_changes as oc, products
from shopledger.services.intake import Incoming, take_orders
from tests.builders import make_order_dict

pytestmark = pytest.mark.db
NOW = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)


def _new_entries(engine, after: int) -> list[str]:
    with reading(engine) as conn:
        return [f"{e['event']}: " + ", ".join(f"{l['account']} {'Dr ' + l['debit'] if l['debit'] != '0.00' else 'Cr ' + l['credit']}"
                                            for l in e["lines"]) for e in reads.entries(conn) if e["id"] > after]


def _last_entry(engine) -> int:
    with reading(engine) as conn:
        return conn.execute(select(func.coalesce(func.max(t.journal_entries.c.id), 0))).scalar_one()


def _level(engine, sku):
    return next(row for row in products.stock_levels(engine) if row["sku"] == sku)


def test_receipts_average_and_counts_book_the_difference(engine):
    products.add_product(engine, "HONEY-1L", "น้ำผึ้ง", "350.00", "180.00", 5, now=NOW)
    products.receive_stock(engine, "HONEY-1L", 10, "180.00", now=NOW)
    after = _last_entry(engine)
    result = products.receive_stock(engine, "HONEY-1L", 5, "201.00", ref="INV-77", now=NOW)
    assert result["stock"] == _level(engine, "HONEY-1L")
    assert _level(engine, "HONEY-1L") == {
        "sku": "HONEY-1L", "name": "น้ำผึ้ง", "on_hand": 15, "reserved": 0, "available": 15, "avg_cost": "187.00",
        "low_stock_at": 5, "price": "350.00", "cost": "180.00", "value": "2805.00", "created_from": "manual"}
    assert _new_entries(engine, after) == ["goods_received: 114101 Dr 1005.00, 212101 Cr 1005.00"]

    missing = products.count_stock(engine, "HONEY-1L", 13, now=NOW)     # two gone: 2 x 187.00
    assert [e["lines"] for e in missing["entries"]] == [[
        {"account": "531101", "debit": "374.00", "credit": "0.00"},
        {"account": "114101", "debit": "0.00", "credit": "374.00"}]]
    found = products.count_stock(engine, "HONEY-1L", 14, now=NOW)       # one found at the average
    assert [(l["account"], l["debit"], l["credit"]) for l in found["entries"][0]["lines"]] == [
        ("114101", "187.00", "0.00"), ("531101", "0.00", "187.00")]
    before = _last_entry(engine)
    same = products.count_stock(engine, "HONEY-1L", 14, now=NOW)        # nothing to book
    assert same["movements"] == [] and same["entries"] == [] and _last_entry(engine) == before

    level = _level(engine, "HONEY-1L")
    assert (level["on_hand"], level["avg_cost"], level["value"]) == (14, "187.00", "2618.00")
    moves = products.stock_moves(engine, "HONEY-1L")
    assert [(m["kind"], m["on_hand_delta"], m["value_delta"]) for m in moves] == [
        ("count", 1, "187.00"), ("count", -2, "-374.00"), ("receive", 5, "1005.00"), ("receive", 10, "1800.00")]
    assert moves[2]["ref"] == "INV-77" and moves[0]["cause"] == "counted 14, system had 13"
    with reading(engine) as conn:
        tb = {a["code"]: a["balance"] for a in reads.trial_balance(conn)["accounts"]}
    assert tb["114101"] == "2618.00" and tb["531101"] == "187.00" and tb["212101"] == "-2805.00"


def test_product_update_keeps_what_is_left_out(engine):
    products.add_product(engine, "TEA", "ชา", "90.00", "40.00", 3, now=NOW)
    products.add_product(engine, "TEA", "ชาเขียว", "95.00", now=NOW)
    level = _level(engine, "TEA")
    assert (level["name"], level["price"], level["cost"], level["low_stock_at"]) == ("ชาเขียว", "95.00", "40.00", 3)


def test_bad_input_is_refused(engine):
    products.add_product(engine, "TEA", "ชา", "90.00", now=NOW)
    with pytest.raises(DomainError) as bad:
        products.receive_stock(engine, "TEA", 5, 1.5, now=NOW)           # a float is never money
    assert bad.value.code == "invalid_amount"
    with pytest.raises(DomainError) as bad:
        products.receive_stock(engine, "TEA", 0, "10.00", now=NOW)
    assert bad.value.code == "invalid_quantity"
    with pytest.raises(NotFound):
        products.receive_stock(engine, "NOPE", 1, "10.00", now=NOW)
    with pytest.raises(DomainError):
        products.add_product(engine, "TEA", "ชา", "-1.00", now=NOW)


def _order(external_id, sku, qty, **kw):
    return make_order_dict(external_id=external_id, lines=[
        {"sku": sku, "name": sku, "quantity": qty, "unit_price": "100.00"}], shipping_fee="0.00",
        total=f"{100 * qty}.00", **kw)


def test_unknown_sku_gets_its_cost_and_an_oversell_is_settled_by_a_receipt(engine):
    take_orders(engine, [Incoming("1", "U-1", _order("U-1", "MYSTERY", 3))], source="shop", actor="t", now=lambda: NOW)
    assert _level(engine, "MYSTERY")["created_from"] == "unknown_sku"
    products.add_product(engine, "MYSTERY", "ของลึกลับ", "100.00", "50.00", now=NOW)
    assert _level(engine, "MYSTERY")["created_from"] == "manual"
    after = _last_entry(engine)
    oc.change_order(engine, "shop", "U-1", oc.ship("kerry", "K1"), "clerk", now=NOW)
    # nothing on hand: the three leave at the cost just set, not at 0
    assert _new_entries(engine, after) == ["goods_shipped: 511101 Dr 150.00, 114101 Cr 150.00"]
    level = _level(engine, "MYSTERY")
    assert (level["on_hand"], level["available"], level["value"]) == (-3, -3, "-150.00")

    after = _last_entry(engine)
    result = products.receive_stock(engine, "MYSTERY", 5, "60.00", now=NOW)
    # the three oversold units really cost 60 each: COGS trued up by 30.00
    assert [m["kind"] for m in result["movements"]] == ["receive", "revalue"]
    assert _new_entries(engine, after) == ["goods_received: 114101 Dr 300.00, 212101 Cr 300.00",
                                           "stock_cost_adjustment: 511101 Dr 30.00, 114101 Cr 30.00"]
    level = _level(engine, "MYSTERY")
    assert (level["on_hand"], level["value"], level["avg_cost"]) == (2, "120.00", "60.00")
    with reading(engine) as conn:
        row = conn.execute(select(func.sum(t.stock_movements.c.value_delta_satang))
                           .where(t.stock_movements.c.sku == "MYSTERY")).scalar_one()
    assert Decimal(row) / 100 == Decimal("120.00")
