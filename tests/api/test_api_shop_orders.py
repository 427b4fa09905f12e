"""Orders over REST as staff use them: the display status and stuck view, one order by its key,
keying one in, editing it while unpaid, and moving it along (events name the token)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.api.conftest import take
from tests.builders import make_order_dict

pytestmark = pytest.mark.db
NOW = datetime.now(timezone.utc)
LONG_AGO = (NOW - timedelta(days=10)).isoformat()
UNPAID = {"payment_status": "unpaid", "paid_at": None}
MANUAL = {"channel": "line", "payment_status": "unpaid", "fulfillment_status": "unfulfilled", "currency": "THB",
          "payment_method": "bank_transfer",
          "customer": {"name": "คุณสมหญิง"},
          "lines": [{"sku": "HONEY-1L", "name": "น้ำผึ้งป่า 1 ลิตร", "quantity": 2, "unit_price": "350.00"}],
          "shipping_fee": "50.00", "total": "750.00"}


def _shop(engine):
    """S-1 paid ten days ago and not shipped (stuck); F-1 paid just now; U-1 unpaid, just placed."""
    recent = NOW.isoformat()
    take(engine, make_order_dict(external_id="S-1", placed_at=LONG_AGO, paid_at=LONG_AGO, updated_at=LONG_AGO),
         make_order_dict(external_id="F-1", placed_at=recent, paid_at=recent, updated_at=recent),
         make_order_dict(external_id="U-1", placed_at=recent, updated_at=recent, **UNPAID))


def _act(client, headers, path, body=None, method="post"):
    response = client.request(method, f"/api/v1/orders/{path}", headers=headers, json=body)
    return response.status_code, response.json()


def test_orders_with_both_axes_the_display_status_and_a_filter(engine, client, reader):
    _shop(engine)
    orders = client.get("/api/v1/orders", headers=reader).json()
    assert [(o["external_id"], o["payment_status"], o["fulfillment_status"], o["display_status"]) for o in orders] == [
        ("U-1", "unpaid", "unfulfilled", "awaiting_payment"), ("F-1", "paid", "unfulfilled", "to_ship"),
        ("S-1", "paid", "unfulfilled", "to_ship")]   # newest first
    assert orders[0]["display_label_th"] == "รอชำระเงิน" and orders[0]["total"] == "850.00"
    assert [o["external_id"] for o in client.get("/api/v1/orders?status=awaiting_payment", headers=reader).json()] == ["U-1"]
    assert [o["external_id"] for o in client.get("/api/v1/orders?limit=1&offset=1", headers=reader).json()] == ["F-1"]
    bad = client.get("/api/v1/orders?status=lost", headers=reader)
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_status")


def test_the_stuck_view_says_why_and_what_to_do(engine, client, reader):
    _shop(engine)
    stuck = client.get("/api/v1/orders?stuck=true", headers=reader).json()
    assert [o["external_id"] for o in stuck] == ["S-1"]
    why = stuck[0]["stuck"][0]
    assert why["kind"] == "stuck_order" and "not shipped" in why["reason"] and why["action"]


def test_one_order_by_its_key_with_shipment_documents_and_events(engine, client, clerk):
    _shop(engine)
    status, shipped = _act(client, clerk, "import/F-1/ship", {"carrier": "kerry", "tracking_number": "KEX1"})
    assert status == 200 and shipped["display_status"] == "shipped"
    order = client.get("/api/v1/orders/import/F-1", headers=clerk).json()
    assert order["shipment"]["carrier_name"] == "Kerry Express" and "KEX1" in order["shipment"]["tracking_url"]
    assert [d["kind"] for d in order["documents"]] == ["receipt_tax_invoice"] and order["entries"]
    assert [(e["kind"], e["actor"]) for e in order["events"]] == [("created", "test"), ("updated", "api desk")]
    assert "fulfillment_status unfulfilled -> shipped" in order["events"][1]["what"]
    assert order["data"]["shipment"]["tracking_number"] == "KEX1" and order["stuck"] == []
    assert client.get(f"/api/v1/orders/{order['id']}", headers=clerk).json()["external_id"] == "F-1"
    missing = client.get("/api/v1/orders/import/NOPE", headers=clerk)
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


def test_a_keyed_in_order_is_201_with_its_invoice(client, clerk):
    answer = client.post("/api/v1/orders", headers=clerk, json=MANUAL)
    assert answer.status_code == 201, answer.text
    order = answer.json()
    assert (order["source"], order["channel"], order["display_status"]) == ("manual", "line", "awaiting_payment")
    assert order["external_id"].startswith("MO-") and answer.headers["location"].endswith(f"/manual/{order['external_id']}")
    assert [d["kind"] for d in order["documents"]] == ["invoice"]
    assert order["events"][0]["actor"] == "api desk"
    again = client.post("/api/v1/orders", headers=clerk, json=MANUAL | {"external_id": order["external_id"]})
    assert (again.status_code, again.json()["code"]) == (409, "order_exists")


def test_an_invalid_order_or_a_number_for_money_is_422(client, clerk):
    wrong = client.post("/api/v1/orders", headers=clerk, json=MANUAL | {"total": "760.00"})
    assert (wrong.status_code, wrong.json()["code"]) == (422, "invalid_order")
    assert "760.00" in wrong.json()["detail"]
    number = client.post("/api/v1/orders", headers=clerk, json=MANUAL | {"total": 750.5})
    assert (number.status_code, number.json()["code"]) == (422, "invalid_order")
    assert "decimal string" in number.json()["detail"]
    assert client.get("/api/v1/orders", headers=clerk).json() == []


def test_edit_while_unpaid_then_paid_is_locked(engine, client, clerk):
    _shop(engine)
    lines = [{"sku": "HONEY-1L", "name": "น้ำผึ้งป่า 1 ลิตร", "quantity": 1, "unit_price": "350.00"}]
    status, edited = _act(client, clerk, "import/U-1", {"lines": lines, "shipping_fee": "0.00", "total": "350.00"},
                          method="patch")
    assert status == 200 and edited["total"] == "350.00"
    assert [(d["kind"], d["status"]) for d in edited["documents"]] == [("invoice", "void"), ("invoice", "issued")]
    assert _act(client, clerk, "import/U-1/verifying")[1]["display_status"] == "checking_payment"
    status, paid = _act(client, clerk, "import/U-1/paid", {"payment_method": "promptpay"})
    assert (status, paid["payment_status"], paid["payment_method"]) == (200, "paid", "promptpay")
    status, locked = _act(client, clerk, "import/U-1", {"note": "late"}, method="patch")
    assert (status, locked["code"]) == (409, "order_locked")
    assert _act(client, clerk, "import/NOPE", {"note": "x"}, method="patch")[0] == 404


def test_ship_deliver_return_and_cancel(engine, client, clerk):
    _shop(engine)
    assert _act(client, clerk, "import/F-1/deliver")[1]["code"] == "not_shipped"
    _act(client, clerk, "import/F-1/ship", {"carrier": "flash", "tracking_number": "TH1"})
    assert _act(client, clerk, "import/F-1/deliver")[1]["display_status"] == "completed"
    status, back = _act(client, clerk, "import/F-1/return")
    assert (status, back["display_status"], back["fulfillment_status"]) == (200, "returned", "returned")
    status, cancelled = _act(client, clerk, "import/U-1/cancel")
    assert (status, cancelled["display_status"]) == (200, "cancelled")
    assert _act(client, clerk, "import/U-1/cancel")[1]["code"] == "already_cancelled"
    status, blank = _act(client, clerk, "import/S-1/ship", {"carrier": "kerry", "tracking_number": ""})
    assert (status, blank["code"]) == (422, "invalid_request")


def test_a_reader_may_read_orders_but_not_change_them(engine, client, reader):
    _shop(engine)
    assert client.get("/api/v1/orders/import/U-1", headers=reader).status_code == 200
    for method, path, body in (("post", "", MANUAL), ("patch", "import/U-1", {"note": "x"}),
                               ("post", "import/U-1/paid", None), ("post", "import/U-1/cancel", None)):
        status, problem = _act(client, reader, path, body, method=method)
        assert (status, problem["code"]) == (403, "forbidden"), path
