"""Every valid external id (and SKU, as free a text) is reachable by every route that takes
one: REST reads and staff changes, stock, the order's page and the links to it, whatever the
id holds ('/', '%', '?', '#', spaces, Thai)."""
from __future__ import annotations

import html
import json
import urllib.request
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import pytest

from shopledger.demo_shop.server import serve_in_thread
from shopledger.services import people
from shopledger.web.sessions import SESSION_COOKIE
from tests.api.conftest import PASSWORD, UNPAID, take
from tests.builders import make_order_dict

pytestmark = pytest.mark.db

IDS = ["INV/2025/001", "50%/off", "Q?1=2&x", "H#1", "with space", "ใบสั่ง/๑๒", "X/ship", "/lead", "trail/",
       "a/../b"]
LONG_AGO = (datetime.now(timezone.utc) - timedelta(days=10)).isoformat()


def _path(external_id: str) -> str:
    return "/api/v1/orders/import/" + quote(external_id, safe="")


def _ok(answer, status=200) -> dict:
    assert answer.status_code == status, answer.text
    return answer.json()


@pytest.mark.parametrize("external_id", IDS)
def test_every_rest_route_reaches_the_order(engine, client, clerk, external_id):
    take(engine, make_order_dict(external_id=external_id, **UNPAID),
         make_order_dict(external_id=external_id + "/2", **UNPAID))
    path = _path(external_id)
    assert _ok(client.get(path, headers=clerk))["external_id"] == external_id
    assert _ok(client.patch(path, headers=clerk, json={"note": "gift wrap"}))["data"]["note"] == "gift wrap"
    assert _ok(client.post(path + "/verifying", headers=clerk))["payment_status"] == "verifying"
    paid = _ok(client.post(path + "/paid", headers=clerk, json={"payment_method": "bank_transfer"}))
    assert [d["kind"] for d in paid["documents"]][-1] == "receipt_tax_invoice"
    shipped = _ok(client.post(path + "/ship", headers=clerk, json={"carrier": "kerry", "tracking_number": "KEX1"}))
    assert shipped["external_id"] == external_id and shipped["shipment"]["tracking_number"] == "KEX1"
    assert _ok(client.post(path + "/deliver", headers=clerk))["fulfillment_status"] == "delivered"

    other = _path(external_id + "/2")
    assert _ok(client.post(other + "/ship", headers=clerk, json={"carrier": "flash", "tracking_number": "TH2"}))
    assert _ok(client.post(other + "/return", headers=clerk))["fulfillment_status"] == "returned"
    assert _ok(client.post(other + "/cancel", headers=clerk))["external_id"] == external_id + "/2"


@pytest.mark.parametrize("external_id", ["INV/2025/001", "X/paid"])
def test_an_id_with_a_slash_is_reached_unencoded_too(engine, client, clerk, external_id):
    take(engine, make_order_dict(external_id=external_id, **UNPAID))
    assert _ok(client.get(f"/api/v1/orders/import/{external_id}", headers=clerk))["external_id"] == external_id
    paid = _ok(client.post(f"/api/v1/orders/import/{external_id}/paid", headers=clerk))
    assert (paid["external_id"], paid["payment_status"]) == (external_id, "paid")
    assert client.get("/api/v1/orders/import/nope/2025", headers=clerk).status_code == 404


@pytest.mark.parametrize("external_id", IDS)
def test_a_keyed_in_order_and_a_shipment_list_with_the_id(client, clerk, external_id):
    data = make_order_dict(external_id=external_id, **UNPAID)
    created = client.post("/api/v1/orders", headers=clerk, json=data)
    assert created.status_code == 201, created.text
    assert _ok(client.get(created.headers["location"], headers=clerk))["external_id"] == external_id
    report = _ok(client.post("/api/v1/shipments", headers=clerk, json=[
        {"source": "manual", "external_id": external_id, "carrier": "kerry", "tracking_number": "KEX9"}]))
    assert [r["external_id"] for r in report["shipped"]] == [external_id] and report["failed"] == []


@pytest.mark.parametrize("external_id", IDS)
def test_the_order_page_and_every_link_to_it(engine, client, external_id):
    # paid ten days ago and never shipped: stuck, so the alerts page links to it too
    take(engine, make_order_dict(external_id=external_id, placed_at=LONG_AGO, paid_at=LONG_AGO, updated_at=LONG_AGO))
    href = "/orders/import/" + quote(external_id, safe="")
    page = client.get(href)
    assert page.status_code == 200 and html.escape(external_id) in page.text
    for listing in ("/orders", "/alerts"):
        assert f'href="{html.escape(href)}"' in client.get(listing).text, listing


@pytest.mark.parametrize("sku", ["HONEY/1L", "50%?#x", "น้ำผึ้ง 1/2", "X/receive"])
def test_every_stock_route_reaches_the_sku(client, clerk, sku):
    path = quote(sku, safe="")
    put = _ok(client.put(f"/api/v1/products/{path}", headers=clerk, json={"name": "น้ำผึ้ง", "price": "350.00"}))
    assert put["sku"] == sku
    received = _ok(client.post(f"/api/v1/stock/{path}/receive", headers=clerk, json={"quantity": 3, "unit_cost": "1.00"}))
    assert received["stock"]["sku"] == sku and received["stock"]["on_hand"] == 3
    assert _ok(client.post(f"/api/v1/stock/{path}/count", headers=clerk, json={"quantity": 2}))["stock"]["on_hand"] == 2
    assert [m["kind"] for m in _ok(client.get(f"/api/v1/stock/{path}/movements", headers=clerk))] == ["count", "receive"]


@pytest.mark.slow
def test_over_a_real_socket_an_id_holding_an_escape(engine, app, clerk):
    """Starlette's test client decodes a path twice; uvicorn, as served, decodes it once."""
    signed_in = {"Cookie": f"{SESSION_COOKIE}={people.sign_in(engine, *_a_clerk(engine)).cookie}"}
    ids = ["A%2FB", "INV/2025/001"]
    take(engine, *(make_order_dict(external_id=i, placed_at=LONG_AGO, paid_at=LONG_AGO, updated_at=LONG_AGO)
                   for i in ids))
    with serve_in_thread(app) as base:
        for external_id in ids:
            with urllib.request.urlopen(urllib.request.Request(base + _path(external_id), headers=clerk)) as answer:
                assert json.load(answer)["external_id"] == external_id
            ship = urllib.request.Request(base + _path(external_id) + "/ship", method="POST", headers=clerk | {
                "Content-Type": "application/json"}, data=b'{"carrier": "kerry", "tracking_number": "KEX5"}')
            with urllib.request.urlopen(ship) as answer:
                assert json.load(answer)["shipment"]["tracking_number"] == "KEX5"
            href = "/orders/import/" + quote(external_id, safe="")
            with urllib.request.urlopen(urllib.request.Request(base + "/orders", headers=signed_in)) as listing:
                assert f'href="{html.escape(href)}"' in listing.read().decode()
            with urllib.request.urlopen(urllib.request.Request(base + href, headers=signed_in)) as page:
                assert html.escape(external_id) in page.read().decode()


def _a_clerk(engine) -> tuple[str, str]:
    people.create_user(engine, "desk@shop.th", "clerk", PASSWORD)
    return "desk@shop.th", PASSWORD
