"""The demo shows a healthy shop: after `load_demo` and Import Data from the demo web shop, every
product it sells is on the books with stock and cost, and the alerts are the deliberate few (one
stuck order, one product low on stock, one COD statement row that matched no parcel)."""
from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from shopledger.demo.shop_catalogue import CATALOGUE as SHOP_CATALOGUE
from shopledger.demo.orders import demo_catalogue
from shopledger.services import alerts, cod, products
from shopledger.services.demo import DEMO_SHOP_SOURCE, UNSENT_PARCEL, cod_payout_path, load_demo
from shopledger.services.sync import run_source_sync

pytestmark = pytest.mark.db


def _alerts(engine) -> list[dict]:
    return list(alerts.open_alerts(engine))


def test_the_demo_is_a_healthy_shop_with_a_few_deliberate_alerts(engine, client):
    load_demo(engine)
    before = _alerts(engine)
    run = run_source_sync(engine, DEMO_SHOP_SOURCE, extra_settings={"http_client": client})
    assert (run.status, run.report.created, run.report.failed) == ("succeeded", 30, [])

    found = _alerts(engine)
    assert Counter(a["kind"] for a in found) == {"stuck_order": 1, "low_stock": 1, "cod_mismatch": 1}, \
        [(a["kind"], a["subject"], a["reason"]) for a in found]
    assert [(a["kind"], a["subject"]) for a in found] == [(a["kind"], a["subject"]) for a in before]
    stuck = next(a for a in found if a["kind"] == "stuck_order")
    assert stuck["subject"] == "demo-import:HG-10005" and "not paid" in stuck["reason"]
    assert next(a for a in found if a["kind"] == "low_stock")["subject"] == "TEA-GREEN"
    assert UNSENT_PARCEL in next(a for a in found if a["kind"] == "cod_mismatch")["reason"]

    levels = {row["sku"]: row for row in products.stock_levels(engine)}
    sold = {sku for sku, _, _ in demo_catalogue()} | {sku for sku, _, _ in SHOP_CATALOGUE}
    assert set(levels) == sold  # no product made up from an unknown SKU
    for sku in sold:
        level = levels[sku]
        assert level["created_from"] == "manual" and Decimal(level["cost"]) > 0, level
        assert Decimal(level["avg_cost"]) > 0 and level["available"] > 0, level


def test_the_demo_payout_file_books_the_parcel_kerry_collected_this_week(engine):
    load_demo(engine)
    booked = cod.remit_statement(engine, cod_payout_path(engine), "kerry", "test")
    assert len(booked["matched"]) == 1 and booked["mismatches"] == []
    assert [a["kind"] for a in _alerts(engine)].count("cod_mismatch") == 1
