"""Shipping many orders over REST: a JSON list or a sheet; bad rows reported, the rest shipped."""
from __future__ import annotations

import pytest

from tests.api.conftest import take
from tests.builders import make_order_dict

pytestmark = pytest.mark.db


def _orders(engine):
    take(engine, make_order_dict(external_id="A-1"), make_order_dict(external_id="A-2"))


def test_a_list_of_rows_ships_what_it_can_and_says_why_not(engine, client, clerk):
    _orders(engine)
    rows = [{"source": "import", "external_id": "A-1", "carrier": "kerry", "tracking_number": "KEX1"},
            {"source": "import", "external_id": "NOPE", "carrier": "kerry", "tracking_number": "KEX2"},
            {"external_id": "A-2", "carrier": "flash", "tracking_number": "TH2"}]
    answer = client.post("/api/v1/shipments", headers=clerk, json=rows)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert [(r["line"], r["external_id"]) for r in report["shipped"]] == [(1, "A-1")]
    assert [(f["line"], f["external_id"]) for f in report["failed"]] == [(2, "NOPE"), (3, "A-2")]
    assert "not found" in report["failed"][0]["reason"] and report["failed"][1]["reason"] == "no source"
    again = client.post("/api/v1/shipments?source=import", headers=clerk, json=rows[:1] + rows[2:]).json()
    assert ([r["external_id"] for r in again["unchanged"]], [r["external_id"] for r in again["shipped"]]) == (
        ["A-1"], ["A-2"])
    order = client.get("/api/v1/orders/import/A-1", headers=clerk).json()
    assert order["shipment"]["tracking_number"] == "KEX1" and order["events"][-1]["actor"] == "api desk"


def test_a_sheet_upload(engine, client, clerk):
    _orders(engine)
    sheet = "เลขที่คำสั่งซื้อ,บริษัทขนส่ง,เลขพัสดุ\nA-1,เคอรี่,kex 0001\nA-3,flash,TH3\n".encode()
    answer = client.post("/api/v1/shipments/file", headers=clerk, data={"source": "import"},
                         files={"file": ("ship.csv", sheet, "text/csv")})
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert [(r["line"], r["external_id"]) for r in report["shipped"]] == [(2, "A-1")]
    assert [(f["line"], f["external_id"]) for f in report["failed"]] == [(3, "A-3")]


def test_a_sheet_without_the_columns_is_422_and_a_reader_may_not_ship(engine, client, clerk, reader):
    _orders(engine)
    answer = client.post("/api/v1/shipments/file", headers=clerk, files={"file": ("x.csv", b"a,b\n1,2\n", "text/csv")})
    assert (answer.status_code, answer.json()["code"]) == (422, "ship_file_columns_missing")
    row = {"source": "import", "external_id": "A-1", "carrier": "kerry", "tracking_number": "KEX1"}
    assert client.post("/api/v1/shipments", headers=reader, json=[row]).status_code == 403
    assert client.get("/api/v1/orders/import/A-1", headers=clerk).json()["shipment"] is None
