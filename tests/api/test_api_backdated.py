"""The optional `at` of REST actions recorded after the fact: the movements, entries and documents
fall on the given Bangkok day; a closed period, a future time or a text that is no date-time is
422 with its reason."""
from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest

from shopledger.domain.clock import BANGKOK, utc_now
from shopledger.services import company
from shopledger.services.intake import Incoming, take_orders
from tests.builders import make_order_dict

pytestmark = pytest.mark.db


def _days_ago(days: int, hour: int = 10) -> datetime:
    return (utc_now().astimezone(BANGKOK) - timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def _text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")  # no offset: Bangkok


def _orders(engine, *orders):
    take_orders(engine, [Incoming(o["external_id"], o["external_id"], o) for o in orders], source="web", actor="t")


def _order(external_id, **more):
    placed = _days_ago(6).isoformat()
    return make_order_dict(**{"external_id": external_id, "placed_at": placed, "updated_at": placed, "paid_at": placed}
                           | more)


def _stock(client, clerk):
    for sku in ("HONEY-1L", "COMB-200"):
        client.put(f"/api/v1/products/{sku}", headers=clerk, json={"name": sku, "price": "100.00"})
        received = client.post(f"/api/v1/stock/{sku}/receive", headers=clerk,
                               json={"quantity": 20, "unit_cost": "50.00", "at": _text(_days_ago(7))})
        assert received.status_code == 200, received.text
        assert received.json()["entries"][0]["date"] == _days_ago(7).date().isoformat()


def test_back_dated_ship_deliver_and_goods_in_over_rest(client, engine, clerk, admin):
    _stock(client, clerk)
    _orders(engine, _order("P-1"), _order("C-1", payment_method="cod", payment_status="unpaid", paid_at=None))
    shipped = client.post("/api/v1/orders/web/P-1/ship", headers=clerk,
                          json={"carrier": "kerry", "tracking_number": "KEX1", "at": _text(_days_ago(3, 15))})
    assert shipped.status_code == 200, shipped.text
    view = shipped.json()
    assert view["shipment"]["shipped_at"].startswith(_days_ago(3).date().isoformat() + "T15:00")
    assert {e["date"] for e in view["entries"] if e["lines"][0]["account"] == "511101"} == {
        _days_ago(3).date().isoformat()}
    listed = client.post(f"/api/v1/shipments?at={_text(_days_ago(2))}", headers=admin,
                         json=[{"source": "web", "external_id": "C-1", "carrier": "flash", "tracking_number": "TH1"}])
    assert listed.status_code == 200 and len(listed.json()["shipped"]) == 1, listed.text
    delivered = client.post("/api/v1/orders/web/C-1/deliver", headers=clerk, json={"at": _text(_days_ago(1))})
    assert delivered.status_code == 200, delivered.text
    receipt = [d for d in delivered.json()["documents"] if d["kind"] == "receipt_tax_invoice"]
    assert [d["date"] for d in receipt] == [_days_ago(1).date().isoformat()]
    statement = "tracking,cod,fee\nTH1,850.00,15.00\n".encode()
    paid = client.post("/api/v1/cod/remittances", headers=admin, data={"carrier": "flash", "at": _text(_days_ago(1, 17))},
                       files={"file": ("flash.csv", io.BytesIO(statement), "text/csv")})
    assert paid.status_code == 200, paid.text
    assert paid.json()["entry_date"] == _days_ago(1).date().isoformat()


def test_closed_future_and_unreadable_times_are_422_with_a_reason(client, engine, clerk, admin):
    _stock(client, clerk)
    _orders(engine, _order("P-2"))
    company.update_settings(engine, closed_through=_days_ago(5).date())
    closed, future = _text(_days_ago(5, 20)), _text(utc_now().astimezone(BANGKOK) + timedelta(hours=2))
    for at, code in ((closed, "closed_period"), (future, "time_in_future"), ("next tuesday", "invalid_at")):
        answers = [
            client.post("/api/v1/orders/web/P-2/ship", headers=clerk,
                        json={"carrier": "kerry", "tracking_number": "KEX2", "at": at}),
            client.post("/api/v1/orders/web/P-2/deliver", headers=clerk, json={"at": at}),
            client.post("/api/v1/stock/HONEY-1L/receive", headers=clerk,
                        json={"quantity": 1, "unit_cost": "50.00", "at": at}),
            client.post("/api/v1/stock/HONEY-1L/count", headers=clerk, json={"quantity": 3, "at": at}),
            client.post(f"/api/v1/shipments?at={at}", headers=admin,
                        json=[{"source": "web", "external_id": "P-2", "carrier": "kerry", "tracking_number": "K"}]),
            client.post("/api/v1/cod/remittances", headers=admin, data={"carrier": "kerry", "at": at},
                        files={"file": ("k.csv", io.BytesIO(b"tracking,cod\nK,1.00\n"), "text/csv")}),
        ]
        for answer in answers:
            assert answer.status_code == 422, (at, answer.text)
            assert answer.headers["content-type"].startswith("application/problem+json")
            assert answer.json()["code"] == code, (at, answer.json())
        if code == "closed_period":
            assert "closed period" in answers[0].json()["detail"]
    order = client.get("/api/v1/orders/web/P-2", headers=clerk).json()
    assert order["fulfillment_status"] == "unfulfilled" and order["shipment"] is None
    assert client.get("/api/v1/stock", headers=clerk).json()[0]["on_hand"] == 20
