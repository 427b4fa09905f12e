"""Issue 7 (point 10) over REST: amounts and quantities past the limits are 422 with the
merchant's reason, and the largest ones accepted still leave a trial balance that answers."""
from __future__ import annotations

import json

import pytest

from tests.builders import priced_order_dict

pytestmark = pytest.mark.db


def test_goods_in_past_the_limits_is_422_and_the_largest_leaves_the_reports_answering(client, admin):
    assert client.put("/api/v1/products/HONEY-1L", headers=admin, json={"name": "น้ำผึ้ง", "price": "350.00"}).status_code == 200
    for body in ({"quantity": 2 ** 64, "unit_cost": "1.00"}, {"quantity": 1, "unit_cost": "92233720368547758.07"},
                 {"quantity": 11, "unit_cost": "100000000.00"}, {"quantity": 1, "unit_cost": "1e309"}):
        answer = client.post("/api/v1/stock/HONEY-1L/receive", headers=admin, json=body)
        assert answer.status_code == 422, (body, answer.text)  # the schema or the limits: never the database
        assert "SQL" not in answer.text and "Error" not in answer.json()["detail"], answer.json()
    assert client.post("/api/v1/stock/HONEY-1L/receive", headers=admin,
                       json={"quantity": 10, "unit_cost": "100000000.00"}).status_code == 200
    assert client.get("/api/v1/reports/trial-balance", headers=admin).json()["total_debit"] == "1000000000.00"
    assert client.get("/trial-balance").status_code == 200


def test_an_order_past_the_largest_total_is_listed_and_the_reports_answer(client, admin):
    lines = [{"sku": "A", "name": "a", "quantity": 1, "unit_price": "92233720368547758.07"}]
    report = client.post("/api/v1/imports", headers=admin, files={
        "file": ("orders.json", json.dumps([priced_order_dict(lines)]).encode(), "application/json")}).json()
    assert report["created"] == 0 and "is more than 100,000,000.00" in report["failed"][0]["reason"]
    assert client.get("/api/v1/reports/trial-balance", headers=admin).status_code == 200
