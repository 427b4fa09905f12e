"""The demo shop: its data (unit) and the real thing over a socket with uvicorn (slow)."""
from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import httpx2
import pytest

from shopledger.adapters.connectors.shop_api import ShopApiConnector
from shopledger.adapters.connectors.shop_orders import STATUS_TABLE, map_shop_order
from shopledger.demo_shop import Fault, ShopStore, answer_orders, create_shop_app
from shopledger.demo_shop.server import serve_in_thread
from shopledger.domain.clock import parse_instant
from shopledger.domain.orders.taxid import is_valid_tax_id
from shopledger.domain.sync.connector import TokenRejected, resume_from

TOKEN = "demo-shop-token-1234"
NOW = datetime(2026, 11, 25, 5, 0, tzinfo=timezone.utc)
LATER = NOW + timedelta(hours=1)


def seeded(n: int = 30) -> ShopStore:
    store = ShopStore(clock=lambda: NOW)
    store.seed_demo(n, now=NOW)
    return store


def no_sleep(seconds: float) -> None:
    pass


# --- the demo data (no server) -----------------------------------------------------------------


@pytest.mark.unit
def test_seeded_orders_are_plausible():
    orders = seeded().changed_since(None)

    assert len(orders) == 30
    assert set(Counter(o["order_status_id"] for o in orders)) == set(STATUS_TABLE)
    for order in orders:
        goods = sum(Decimal(i["price"]) * i["qty"] - Decimal(i["discount"]) for i in order["items"])
        assert goods + Decimal(order["shipping_cost"]) - Decimal(order["discount"]) == Decimal(order["grand_total"])
        assert all(isinstance(i["price"], str) for i in order["items"])
        assert order["customer"]["tax_id"] == "" or is_valid_tax_id(order["customer"]["tax_id"])
        assert parse_instant(order["created_at"]) <= parse_instant(order["updated_at"]) < NOW
    assert any(o["customer"]["tax_id"] for o in orders)


@pytest.mark.unit
def test_seeded_orders_map_and_pass_the_interchange_parser():
    interchange = pytest.importorskip("shopledger.domain.orders.interchange")
    store = seeded()
    store.advance(LATER)
    for raw in store.changed_since(None):
        interchange.parse_order(map_shop_order(raw), "shop-api")


@pytest.mark.unit
def test_advance_moves_some_orders_one_step_and_bumps_their_updated_at():
    store = seeded()
    before = {o["order_id"]: o for o in store.changed_since(None)}

    changed = store.advance(LATER)

    moves = Counter()
    for order_id in changed:
        old, new = before[order_id], store.get(order_id)
        assert parse_instant(new["updated_at"]) == LATER
        moves[(old["order_status_id"], new["order_status_id"])] += 1
        if new["order_status_id"] == 7:
            assert new["tracking_no"] and new["shipped_at"]
    assert moves == Counter({(1, 3): 1, (2, 3): 1, (3, 7): 2, (14, 15): 1, (15, 16): 1, (1, 4): 1})
    unchanged = set(before) - set(changed)
    assert all(store.get(order_id) == before[order_id] for order_id in unchanged)


@pytest.mark.unit
@pytest.mark.parametrize(
    "params, status",
    [({"updated_from": "2026-11-20T00:00:00 07:00"}, 400), ({"limit": "101"}, 400),
     ({"page": "0"}, 400), ({"page": "2", "limit": "10"}, 200)],
)
def test_the_shop_checks_its_query(params, status):
    answer = answer_orders(seeded(), TOKEN, f"Bearer {TOKEN}", params)
    assert answer.status == status


# --- the real server ---------------------------------------------------------------------------


@pytest.fixture
def shop():
    store = seeded()
    with serve_in_thread(create_shop_app(store, TOKEN)) as base_url:
        yield store, base_url


@pytest.fixture
def http():
    with httpx2.Client(timeout=5.0) as client:
        yield client


@pytest.mark.slow
def test_pull_everything_then_only_what_changed_since_the_cursor(shop, http, caplog):
    caplog.set_level(logging.DEBUG)  # httpx2 and its transport log requests at DEBUG
    store, base_url = shop
    connector = ShopApiConnector(base_url, TOKEN, http, page_size=10, sleep=no_sleep)

    first = list(connector.pull(None))

    records = [record for page in first for record in page.records]
    assert [page.last_page for page in first] == [False, False, True]
    assert all(record.ok for record in records) and len({r.external_id for r in records}) == 30
    cursor = max(page.max_updated_at for page in first)

    changed = {f"BW-{order_id}" for order_id in store.advance(LATER)}
    second = [record for page in connector.pull(resume_from(cursor)) for record in page.records]

    # The overlap re-reads what was updated in the last ten minutes before the cursor too.
    overlap = {r.external_id for r in records if r.updated_at >= cursor - timedelta(minutes=10)}
    assert {r.external_id for r in second} == changed | overlap
    assert changed and all(r.updated_at == LATER for r in second if r.external_id in changed)
    statuses = {r.external_id: r.data["payment_status"] for r in second}
    assert Counter(statuses[external_id] for external_id in changed)["paid"] >= 4
    assert "HTTP Request" in caplog.text and TOKEN not in caplog.text


@pytest.mark.slow
def test_a_slow_answer_times_out_and_is_retried(shop):
    store, base_url = shop
    store.inject(Fault.delay(1.0))
    sleeps = []
    with httpx2.Client(timeout=0.3) as client:
        connector = ShopApiConnector(base_url, TOKEN, client, sleep=sleeps.append)
        pages = list(connector.pull(None))
    assert len(pages[0].records) == 30 and sleeps == [1.0]


@pytest.mark.slow
def test_a_wrong_token_is_rejected_over_the_wire(shop, http):
    _, base_url = shop
    with pytest.raises(TokenRejected):
        list(ShopApiConnector(base_url, "wrong", http, sleep=no_sleep).pull(None))
