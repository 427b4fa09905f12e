"""Every REST list is bounded and says how much there is: `limit`/`offset` in, a JSON array out
with X-Total-Count and, while there is more, Link rel="next"; no free database connection is a
503 with Retry-After, not a 500."""
from __future__ import annotations

import re
import sys
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from shopledger.domain import clock
from shopledger.services import products, sources
from shopledger.services.sync import queue_run
from shopledger.web.app import create_app
from tests.api.conftest import CANCELLED, UNPAID, take
from tests.builders import make_order_dict

pytestmark = pytest.mark.db

LISTS = ["/api/v1/documents", "/api/v1/journal-entries", "/api/v1/orders", "/api/v1/alerts", "/api/v1/stock",
         "/api/v1/products", "/api/v1/sync-runs", "/api/v1/stock/HONEY-1L/movements", "/api/v1/orders?stuck=true",
         "/api/v1/orders?status=cancelled", "/api/v1/sources"]
NEXT = re.compile(r'^<(?P<url>[^>]+)>; rel="next"$')


@pytest.fixture
def more_than_a_page(engine, books):
    """At least two of everything, stuck and cancelled orders too."""
    take(engine, make_order_dict(external_id="P-2"), make_order_dict(external_id="C-2", **UNPAID, **CANCELLED))
    for sku in ("A", "B", "C"):
        products.add_product(engine, sku, sku, "10.00", "5.00", 1)
        products.receive_stock(engine, sku, 1, "5.00")
    for name in ("shop", "line"):
        sources.add_source(engine, name, kind="shop-api", base_url="http://shop.test", token="t")
    queue_run(engine, "shop")
    queue_run(engine, "shop")


@pytest.fixture
def frozen_clock(monkeypatch) -> datetime:
    """Every `utc_now` the server's modules call answers one moment: a stuck order's or an
    alert's `ago` (seconds waited) is then the same in each request of a walk."""
    real = clock.utc_now
    moment = real()
    for name, module in list(sys.modules.items()):
        if name.startswith("shopledger.") and getattr(module, "utc_now", None) is real:
            monkeypatch.setattr(module, "utc_now", lambda: moment)
    return moment


def _walk(client, headers, path: str) -> tuple[list, list[int]]:
    """Follow rel="next" from a first page of one item; every item seen, and each page's X-Total-Count."""
    url, seen, totals = path + ("&" if "?" in path else "?") + "limit=1", [], []
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.text)
        page = response.json()
        assert isinstance(page, list) and len(page) <= 1
        seen += page
        totals.append(int(response.headers["X-Total-Count"]))
        link = response.headers.get("Link")
        url = NEXT.match(link)["url"] if link else None
    return seen, totals


@pytest.mark.parametrize("path", LISTS)
def test_every_list_pages_with_a_total_and_a_next_link(client, admin, more_than_a_page, frozen_clock, path):
    everything = client.get(path, headers=admin)
    assert everything.status_code == 200
    total = int(everything.headers["X-Total-Count"])
    assert total == len(everything.json()) >= 2 and "Link" not in everything.headers
    seen, totals = _walk(client, admin, path)
    assert seen == everything.json() and set(totals) == {total}


def test_a_page_asked_for_past_the_end_is_empty_with_the_total(client, admin, books):
    response = client.get("/api/v1/documents?offset=50", headers=admin)
    assert response.json() == [] and response.headers["X-Total-Count"] == "4" and "Link" not in response.headers


def test_lists_are_bounded_by_default(client, admin, engine, books):
    for sku in range(120):
        products.add_product(engine, f"SKU-{sku:03d}", "x", "1.00", "1.00")
    response = client.get("/api/v1/products", headers=admin)
    assert len(response.json()) == 100 and response.headers["X-Total-Count"] == "122"   # the books sold 2 more
    assert "offset=100" in response.headers["Link"]
    assert client.get("/api/v1/products?limit=1001", headers=admin).status_code == 422


def test_orders_by_stuck_rule_and_an_unknown_rule(client, admin, books):
    assert client.get("/api/v1/orders?rule=unpaid", headers=admin).json() == []
    bad = client.get("/api/v1/orders?rule=lost", headers=admin)
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_rule")


def test_no_free_database_connection_is_503_with_retry_after(db_url, admin, tmp_path):
    small = create_engine(db_url, pool_size=1, max_overflow=0, pool_timeout=0.1)
    app = create_app(small, enqueue_sync=lambda run_id: None, demo_shop=False, extra_hosts=("testserver",))
    try:
        with TestClient(app, raise_server_exceptions=False) as client, small.connect():   # the one connection, held
            response = client.get("/api/v1/documents", headers=admin)
        assert response.status_code == 503 and response.headers["Retry-After"] == "1"
        assert response.json()["code"] == "unavailable"
        with TestClient(app, raise_server_exceptions=False) as client:
            assert client.get("/api/v1/documents", headers=admin).status_code == 200
    finally:
        small.dispose()
