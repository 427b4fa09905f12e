"""The demo shop: its orders are valid and cover every state; loading them gives real, balanced books."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select

from shopledger.adapters.db import reads, tables as t
from shopledger.adapters.db.engine import reading
from shopledger.adapters.db.settings_repo import read_settings
from shopledger.demo.orders import bench_orders, demo_history, demo_orders
from shopledger.domain.clock import BANGKOK
from shopledger.domain.orders.interchange import parse_order
from shopledger.domain.orders.taxid import is_valid_tax_id
from shopledger.services import alerts
from shopledger.services.demo import DEMO_COMPANY, DEMO_SOURCE, load_demo

TODAY = date(2026, 11, 26)


# --- the generators (no database) --------------------------------------------------------------


@pytest.mark.unit
def test_demo_orders_are_valid_unique_and_in_the_past():
    orders = demo_orders(TODAY)
    assert 45 <= len(orders) <= 60
    assert len({o["external_id"] for o in orders}) == len(orders)
    start = datetime.combine(TODAY, time(), BANGKOK)
    for data in orders + demo_history(TODAY):
        order = parse_order(data, DEMO_SOURCE)
        moments = [order.placed_at, order.updated_at, order.paid_at, order.cancelled_at,
                   order.shipment.shipped_at if order.shipment else None, *(r.created_at for r in order.refunds)]
        assert all(m < start for m in moments if m is not None), data["external_id"]
        assert (datetime.fromisoformat(data["placed_at"]) - start).days >= -22


@pytest.mark.unit
def test_demo_orders_cover_every_state():
    orders = [parse_order(o, DEMO_SOURCE) for o in demo_orders(TODAY)]
    states = Counter((str(o.payment_status), str(o.fulfillment_status), o.cancelled_at is not None,
                      str(o.payment_method) if o.is_cod else "prepaid") for o in orders)
    for state in [("unpaid", "unfulfilled", False, "prepaid"), ("verifying", "unfulfilled", False, "prepaid"),
                  ("paid", "unfulfilled", False, "prepaid"), ("unpaid", "unfulfilled", False, "cod"),
                  ("unpaid", "shipped", False, "cod"), ("paid", "delivered", False, "cod"),
                  ("paid", "shipped", False, "prepaid"), ("paid", "delivered", False, "prepaid"),
                  ("unpaid", "unfulfilled", True, "prepaid"), ("refunded", "unfulfilled", True, "prepaid"),
                  ("unpaid", "returned", False, "cod")]:
        assert states[state] >= 1, state
    assert {str(o.payment_method) for o in orders} >= {"bank_transfer", "promptpay", "card", "cod"}
    assert {str(o.channel) for o in orders} >= {"website", "facebook", "line", "instagram", "shopee"}
    carriers = {o.shipment.carrier for o in orders if o.shipment}
    assert carriers == {"kerry", "flash", "jt", "thaipost"}
    assert all(o.shipment.tracking_number for o in orders if o.shipment)
    refunded = [o for o in orders if o.refunds]
    assert len(refunded) == 1 and len(refunded[0].refunds) == 1 and refunded[0].refunds[0].restock
    businesses = [o.customer for o in orders if o.customer.tax_id]
    assert len(businesses) >= 3 and all(is_valid_tax_id(c.tax_id) and len(c.branch) == 5 for c in businesses)
    assert {c.branch for c in businesses} >= {"00000", "00001"}


@pytest.mark.unit
def test_demo_orders_are_deterministic():
    assert demo_orders(TODAY) == demo_orders(TODAY)
    assert demo_history(TODAY) == demo_history(TODAY)


@pytest.mark.unit
def test_bench_orders_mix_and_validity():
    orders = list(bench_orders(2000, seed=3))
    assert len({o["external_id"] for o in orders}) == 2000
    parsed = [parse_order(o, "bench") for o in orders]
    classes = Counter(str(o.order_class) for o in parsed)
    assert classes == {"paid": 1200, "awaiting_payment": 600, "cancelled": 200}
    lines = [len(o.lines) for o in parsed]
    assert min(lines) == 1 and max(lines) == 4 and 2.3 <= sum(lines) / len(lines) <= 2.7
    assert list(bench_orders(2000, seed=3)) == orders  # deterministic
    assert list(bench_orders(2000, seed=4)) != orders


# --- loading the demo (SQLite and PostgreSQL) ------------------------------------------------


def _state(engine):
    with reading(engine) as conn:
        orders = conn.execute(select(func.count()).select_from(t.orders)).scalar_one()
        return orders, reads.documents(conn), reads.entries(conn), reads.trial_balance(conn), read_settings(conn)


@pytest.mark.db
def test_load_demo_fills_the_books(engine):
    summary = load_demo(engine, today=TODAY)
    assert "failed" not in summary and "\n" not in summary
    orders, docs, entries, tb, settings = _state(engine)
    assert orders == len(demo_orders(TODAY))
    kinds = Counter((d["kind"], d["status"]) for d in docs)
    assert kinds[("invoice", "issued")] >= 5
    assert kinds[("invoice", "void")] >= 1
    assert kinds[("receipt_tax_invoice", "issued")] >= 10
    assert kinds[("credit_note", "issued")] >= 2
    assert any(d["kind"] == "receipt_tax_invoice" and (d["refers_to"] or "").startswith("IV-") for d in docs)
    assert all(d["order"]["source"] == DEMO_SOURCE for d in docs)
    assert entries and tb["total_debit"] == tb["total_credit"]
    assert settings["company"] == DEMO_COMPANY and is_valid_tax_id(DEMO_COMPANY["tax_id"])


@pytest.mark.db
def test_loading_the_demo_twice_changes_nothing(engine):
    load_demo(engine, today=TODAY)
    before = _state(engine)
    summary = load_demo(engine, today=TODAY)
    assert "0 new, 0 updated" in summary
    assert _state(engine) == before


@pytest.mark.db
def test_the_demo_company_is_set_up(engine):
    load_demo(engine, today=TODAY)
    assert not [a for a in alerts.open_alerts(engine) if a["kind"] == "company_not_set_up"]
    with reading(engine) as conn:
        seller = reads.document(conn, reads.documents(conn)[0]["number"])["particulars"]["seller"]
    assert seller["tax_id"] == DEMO_COMPANY["tax_id"] and seller["address"] and seller["branch"] == "00000"
