"""Stock pages (web/ui/stock_pages.py): the list with its search, a product's page, adding and
editing a product, goods in, a stock count and the movements; a reader and an accountant read
but may not change."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from shopledger.services import products
from tests.api.conftest import form, sign_in

pytestmark = pytest.mark.db


@pytest.fixture
def clerk_client(app, engine):
    with TestClient(app, raise_server_exceptions=False) as c:
        sign_in(c, engine, "clerk")
        yield c


def test_a_clerk_adds_a_product_receives_counts_and_sees_the_movements(clerk_client, engine):
    c = clerk_client
    assert c.get("/stock/product?lang=en").status_code == 200
    added = c.post("/stock/product", data=form(c, sku="HONEY/1L", name="น้ำผึ้ง", price="250", cost="120",
                                                 low_stock_at="5"), follow_redirects=False)
    assert added.status_code == 303 and added.headers["location"] == "/stock/product?sku=HONEY%2F1L&done=saved"
    got = c.post("/stock/receive", data=form(c, sku="HONEY/1L", quantity="10", unit_cost="120", ref="PO-7"))
    assert got.status_code == 200 and "The goods in were recorded." in c.get("/stock/product?sku=HONEY%2F1L&done=received&lang=en").text
    c.post("/stock/count", data=form(c, sku="HONEY/1L", counted="8", ref="shelf"))
    level = next(p for p in products.stock_levels(engine) if p["sku"] == "HONEY/1L")
    assert level["on_hand"] == 8 and level["low_stock_at"] == 5
    page = c.get("/stock/product?sku=HONEY%2F1L&lang=en").text
    assert "Goods in" in page and "Stock count" in page and "PO-7" in page
    c.post("/stock/product", data=form(c, sku="HONEY/1L", name="น้ำผึ้งป่า", price="260", cost="", low_stock_at="3"))
    assert next(p for p in products.stock_levels(engine) if p["sku"] == "HONEY/1L")["low_stock_at"] == 3
    for lang in ("th", "en"):
        listed = c.get(f"/stock?search=honey&lang={lang}")
        assert listed.status_code == 200 and "HONEY/1L" in listed.text
    assert "HONEY/1L" not in c.get("/stock?search=tea").text


def test_what_the_service_refuses_is_a_notice(clerk_client):
    c = clerk_client
    bad = c.post("/stock/product", data=form(c, sku="", name="", price="x"), follow_redirects=False)
    assert bad.headers["location"].startswith("/stock/product?&problem=")
    assert 'role="alert"' in c.get(bad.headers["location"] + "&lang=en").text
    c.post("/stock/product", data=form(c, sku="TEA", name="ชา", price="50"))
    bad = c.post("/stock/receive", data=form(c, sku="TEA", quantity="many", unit_cost="1"), follow_redirects=False)
    assert bad.headers["location"] == "/stock/product?sku=TEA&problem=invalid_quantity"
    assert c.post("/stock/count", data=form(c, sku="NOPE", counted="1"), follow_redirects=False).status_code == 303
    assert c.get("/stock/product?sku=NOPE").status_code == 404


@pytest.mark.parametrize("role", ["reader", "accountant"])
def test_reading_without_changing(app, engine, role):
    products.add_product(engine, "TEA", "ชา", "50")
    with TestClient(app, raise_server_exceptions=False) as c:
        sign_in(c, engine, role)
        page = c.get("/stock/product?sku=TEA")
        assert page.status_code == 200 and "/stock/receive" not in page.text
        assert c.post("/stock/receive", data=form(c, sku="TEA", quantity="1", unit_cost="1")).status_code == 403
        assert c.post("/stock/product", data=form(c, sku="TEA", name="x", price="1")).status_code == 403
        assert c.post("/stock/count", data=form(c, sku="TEA", counted="1")).status_code == 403
