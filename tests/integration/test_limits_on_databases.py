"""Issue 7 (points 10, 14) on SQLite and PostgreSQL alike: what a column or a BIGINT sum could
not hold is refused before the database sees it, with a reason a merchant can act on, through
the file import, goods in, a count, a product and a COD statement; the books still answer."""
from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timezone

import pytest
from sqlalchemy.exc import DataError

from shopledger.adapters.connectors.files import read_orders
from shopledger.adapters.db import reads
from shopledger.adapters.db.engine import reading
from shopledger.domain import limits
from shopledger.domain.errors import DomainError
from shopledger.services import cod, intake, products
from shopledger.services.intake import take_orders
from tests.builders import make_order_dict, priced_order_dict

pytestmark = pytest.mark.db
NOW = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)
TECHNICAL = re.compile(r"Traceback|sqlalchemy|psycopg|sqlite3|Error\b|INSERT|SELECT|\[SQL|Decimal\(|value too long",
                       re.IGNORECASE)
MAX_SATANG = 2 ** 63 - 1


def _line(sku="S", name="n", quantity=1, unit_price="1.00") -> dict:
    return {"sku": sku, "name": name, "quantity": quantity, "unit_price": unit_price}


def _books_answer(engine) -> dict:
    with reading(engine) as conn:
        balance = reads.trial_balance(conn)
    assert balance["total_debit"] == balance["total_credit"]
    return balance


def test_long_texts_and_huge_amounts_from_a_file_are_refused_alike(engine, tmp_path):
    rows = {
        "GOOD-1": make_order_dict(external_id="GOOD-1"),
        "X" * 250: make_order_dict(external_id="X" * 250),
        "LONG-NAME": make_order_dict(external_id="LONG-NAME", customer={"name": "ช" * 400}),
        "LONG-LINE": priced_order_dict([_line(name="ช" * 400)], external_id="LONG-LINE"),
        "LONG-SKU": priced_order_dict([_line(sku="S" * 150)], external_id="LONG-SKU"),
        "LONG-TRACK": make_order_dict(external_id="LONG-TRACK", fulfillment_status="shipped",
                                      shipment={"carrier": "kerry", "tracking_number": "K" * 150}),
        "LONG-CARRIER": make_order_dict(external_id="LONG-CARRIER", fulfillment_status="shipped",
                                        shipment={"carrier": "ข" * 80, "tracking_number": "K1"}),
        "NUL": make_order_dict(external_id="NUL", customer={"name": "a\x00b"}),
        "MAX-SATANG": priced_order_dict([_line(unit_price=f"{MAX_SATANG / 100:.2f}")], external_id="MAX-SATANG"),
        "ABOVE-MAX": priced_order_dict([_line(unit_price="92233720368547758.08")], external_id="ABOVE-MAX"),
        "GOOD-2": make_order_dict(external_id="GOOD-2", payment_status="unpaid", paid_at=None),
    }
    path = tmp_path / "orders.ndjson"
    path.write_text("".join(json.dumps(order, ensure_ascii=False) + "\n" for order in rows.values()), encoding="utf-8")

    report = take_orders(engine, read_orders(path), source="shop", actor="test")

    assert report.created == 2, [f.as_dict() for f in report.failed]
    assert len(report.failed) == len(rows) - 2
    for failure in report.failed:
        assert not TECHNICAL.search(failure.reason), failure.reason
    reasons = {f.position: f.reason for f in report.failed}
    assert reasons["line 2"] == "external_id is 250 characters long; at most 100 are accepted"
    assert reasons["line 3"] == "customer.name is 400 characters long; at most 300 are accepted"
    assert reasons["line 5"] == "line 1: sku is 150 characters long; at most 100 are accepted"
    assert reasons["line 6"] == "shipment.tracking_number is 150 characters long; at most 40 are accepted"
    assert "is more than 100,000,000.00, the most accepted" in reasons["line 9"]
    assert _books_answer(engine)["total_debit"] == "1700.00"


def test_an_order_the_database_refuses_is_listed_in_the_merchants_words(engine, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise DataError("INSERT INTO orders ...", {}, Exception('value too long for type character varying(200)'))

    monkeypatch.setattr(intake, "_plan_then_apply", refuse)
    monkeypatch.setattr(intake, "write_chunk", refuse)
    records = [intake.Incoming("item 1", "A", make_order_dict(external_id="A"))]
    with caplog.at_level(logging.ERROR, logger="shopledger.services.intake"):
        report = take_orders(engine, records, source="shop", actor="test")
    assert [(f.external_id, f.reason) for f in report.failed] == [("A", limits.NOT_BOOKED)]
    assert "value too long" in caplog.text  # the technical error is logged for support, not shown


def test_goods_in_and_counts_past_the_limits_are_refused_and_the_books_answer(engine):
    products.add_product(engine, "HONEY-1L", "น้ำผึ้ง", "350.00", "180.00", now=NOW)
    refused = {
        "quantity": lambda: products.receive_stock(engine, "HONEY-1L", 1_000_001, "1.00", now=NOW),
        "2^63 quantity": lambda: products.receive_stock(engine, "HONEY-1L", 2 ** 63, "1.00", now=NOW),
        "unit cost": lambda: products.receive_stock(engine, "HONEY-1L", 1, "100000000.01", now=NOW),
        "2^63-1 satang": lambda: products.receive_stock(engine, "HONEY-1L", 1, f"{MAX_SATANG / 100:.2f}", now=NOW),
        "value": lambda: products.receive_stock(engine, "HONEY-1L", 11, "100000000.00", now=NOW),
        "ref": lambda: products.receive_stock(engine, "HONEY-1L", 1, "1.00", ref="R" * 101, now=NOW),
        "count": lambda: products.count_stock(engine, "HONEY-1L", 1_000_000_001, now=NOW),
        "count ref": lambda: products.count_stock(engine, "HONEY-1L", 5, ref="R" * 101, now=NOW),
    }
    for what, attempt in refused.items():
        with pytest.raises(DomainError) as caught:
            attempt()
        assert not TECHNICAL.search(caught.value.message), (what, caught.value.message)
        assert re.search(r"more than|at most", caught.value.message), (what, caught.value.message)
    products.receive_stock(engine, "HONEY-1L", 10, "100000000.00", now=NOW)  # the largest goods-in
    assert _books_answer(engine)["total_debit"] == "1000000000.00"


def test_a_product_past_the_limits_is_refused(engine):
    refused = {
        "sku": lambda: products.add_product(engine, "S" * 101, "n", "1.00", now=NOW),
        "name": lambda: products.add_product(engine, "S", "ช" * 301, "1.00", now=NOW),
        "price": lambda: products.add_product(engine, "S", "n", "100000000.01", now=NOW),
        "cost": lambda: products.add_product(engine, "S", "n", "1.00", "1e309", now=NOW),
        "low stock": lambda: products.add_product(engine, "S", "n", "1.00", low_stock_at=2 ** 40, now=NOW),
    }
    for what, attempt in refused.items():
        with pytest.raises(DomainError) as caught:
            attempt()
        assert not TECHNICAL.search(caught.value.message), (what, caught.value.message)
        assert re.search(r"more than|at most", caught.value.message), (what, caught.value.message)
    assert products.stock_levels(engine) == []


def test_a_cod_statement_row_with_an_absurd_amount_is_that_rows_problem(engine):
    rows = [{"tracking": "KEX1", "cod": "1e309", "fee": "1.00"}, {"tracking": "KEX2", "cod": "850.00", "fee": "1e309"},
            {"tracking": "KEX3", "cod": "1000000000.01", "fee": "0"}]
    report = cod.remit_rows(engine, rows, "kerry", "w47.csv", "clerk", now=NOW)
    reasons = {m["tracking"]: m["reason"] for m in report["mismatches"]}
    assert "COD amount 1e309 is more than 1,000,000,000.00" in reasons["KEX1"]
    assert "fee 1e309 is more than 100,000,000.00" in reasons["KEX2"]
    assert "COD amount 1000000000.01 is more than 1,000,000,000.00" in reasons["KEX3"]


def test_a_long_file_name_in_the_actor_does_not_stop_the_import(engine):
    records = [intake.Incoming("item 1", "A", make_order_dict(external_id="A"))]
    report = take_orders(engine, records, source="shop", actor="import " + "ไฟล์" * 60 + ".ndjson")
    assert (report.created, report.failed) == (1, [])


@pytest.mark.parametrize(("field", "kwargs", "reason"), [
    ("name", {"name": "s" * 101}, "source name is 101 characters long; at most 100 are accepted"),
    ("base_url", {"base_url": "https://shop.example/" + "p" * 480}, "base URL is 501 characters long; at most 500 are accepted"),
    ("token", {"token": "t" * 501}, "token is 501 characters long; at most 500 are accepted"),
    ("push_secret", {"push_secret": "x" * 201}, "push secret is 201 characters long; at most 200 are accepted"),
])
def test_a_source_past_the_limits_is_refused(engine, field, kwargs, reason):
    from shopledger.services import sources

    source = {"name": "shop", "kind": "shop-api", "base_url": "https://shop.example", "token": "t"} | kwargs
    with pytest.raises(DomainError) as caught:
        sources.add_source(engine, source.pop("name"), **source)
    assert caught.value.message == reason
    assert sources.list_sources(engine) == []


def test_a_row_that_fails_unexpectedly_is_listed_in_the_merchants_words(engine, monkeypatch, caplog):
    from shopledger.services import bulk_ship

    def broken(*args, **kwargs):
        raise DataError("UPDATE shipments ...", {}, Exception("value too long for type character varying(100)"))

    monkeypatch.setattr(bulk_ship, "ship_one", broken)
    rows = [{"source": "shop", "external_id": "A", "carrier": "kerry", "tracking": "K1"}]
    with caplog.at_level(logging.ERROR, logger="shopledger.services.bulk_ship"):
        report = bulk_ship.ship_rows(engine, rows, "clerk")
    assert [f["reason"] for f in report["failed"]] == [bulk_ship.NOT_SHIPPED]
    assert not TECHNICAL.search(bulk_ship.NOT_SHIPPED) and "value too long" in caplog.text


def test_shipping_with_a_tracking_number_or_carrier_too_long_is_refused_alike(engine):
    from shopledger.services import bulk_ship

    take_orders(engine, [intake.Incoming("item 1", "A", make_order_dict(external_id="A"))], source="shop", actor="test")
    rows = [{"source": "shop", "external_id": "A", "carrier": "kerry", "tracking": "K" * 150},
            {"source": "shop", "external_id": "A", "carrier": "ข" * 80, "tracking": "K1"}]
    report = bulk_ship.ship_rows(engine, rows, "clerk")
    assert [f["reason"] for f in report["failed"]] == [
        "shipment.tracking_number is 150 characters long; at most 40 are accepted",
        "shipment.carrier is 80 characters long; at most 60 are accepted"]
    assert report["shipped"] == []
