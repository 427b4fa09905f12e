"""Products and stock over REST: a product set up, goods in at a cost, a count, levels, movements."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.db
HONEY = {"name": "น้ำผึ้งป่า 1 ลิตร", "price": "350.00", "cost": "180.00", "low_stock_at": 5}


def test_a_product_received_counted_and_its_movements(client, clerk, reader):
    saved = client.put("/api/v1/products/HONEY-1L", headers=clerk, json=HONEY)
    assert saved.status_code == 200, saved.text
    assert (saved.json()["sku"], saved.json()["price"], saved.json()["on_hand"]) == ("HONEY-1L", "350.00", 0)
    received = client.post("/api/v1/stock/HONEY-1L/receive", headers=clerk,
                           json={"quantity": 10, "unit_cost": "180.00", "ref": "INV-77"}).json()
    assert received["stock"]["on_hand"] == 10 and received["stock"]["avg_cost"] == "180.00"
    assert received["entries"][0]["lines"] == [{"account": "114101", "debit": "1800.00", "credit": "0.00"},
                                               {"account": "212101", "debit": "0.00", "credit": "1800.00"}]
    counted = client.post("/api/v1/stock/HONEY-1L/count", headers=clerk, json={"quantity": 8}).json()
    assert counted["stock"]["on_hand"] == 8 and counted["entries"][0]["lines"][0]["account"] == "531101"
    assert client.get("/api/v1/stock", headers=reader).json() == [
        {"sku": "HONEY-1L", "name": "น้ำผึ้งป่า 1 ลิตร", "on_hand": 8, "reserved": 0, "available": 8,
         "avg_cost": "180.00", "low_stock_at": 5}]
    assert client.get("/api/v1/products", headers=reader).json()[0]["value"] == "1440.00"
    moves = client.get("/api/v1/stock/HONEY-1L/movements", headers=reader).json()
    assert [(m["on_hand_delta"], m["value_delta"]) for m in moves] == [(-2, "-360.00"), (10, "1800.00")]
    assert client.get("/api/v1/stock/HONEY-1L/movements?limit=1", headers=reader).json() == moves[:1]


def test_updating_a_product_keeps_what_is_left_out(client, clerk):
    client.put("/api/v1/products/HONEY-1L", headers=clerk, json=HONEY)
    updated = client.put("/api/v1/products/HONEY-1L", headers=clerk, json={"name": "น้ำผึ้ง", "price": "390"}).json()
    assert (updated["name"], updated["price"], updated["cost"], updated["low_stock_at"]) == (
        "น้ำผึ้ง", "390.00", "180.00", 5)


def test_money_as_a_json_number_is_422(client, clerk):
    for body in (HONEY | {"price": 350.0}, HONEY | {"price": 350}, HONEY | {"price": "3.505"}):
        answer = client.put("/api/v1/products/HONEY-1L", headers=clerk, json=body)
        assert (answer.status_code, answer.json()["code"]) == (422, "invalid_request"), body
    client.put("/api/v1/products/HONEY-1L", headers=clerk, json=HONEY)
    number = client.post("/api/v1/stock/HONEY-1L/receive", headers=clerk, json={"quantity": 1, "unit_cost": 180.5})
    assert (number.status_code, number.json()["errors"][0]["loc"]) == (422, ["body", "unit_cost"])
    unknown = client.post("/api/v1/stock/HONEY-1L/receive", headers=clerk, json={"qty": 1, "unit_cost": "1.00"})
    assert unknown.status_code == 422
    assert client.get("/api/v1/stock", headers=clerk).json()[0]["on_hand"] == 0


def test_an_unknown_sku_is_404_and_a_reader_may_not_change_stock(client, clerk, reader):
    for path, body in (("receive", {"quantity": 1, "unit_cost": "1.00"}), ("count", {"quantity": 1})):
        answer = client.post(f"/api/v1/stock/NOPE/{path}", headers=clerk, json=body)
        assert (answer.status_code, answer.json()["code"]) == (404, "not_found")
    assert client.get("/api/v1/stock/NOPE/movements", headers=clerk).status_code == 404
    assert client.put("/api/v1/products/HONEY-1L", headers=reader, json=HONEY).status_code == 403
    client.put("/api/v1/products/HONEY-1L", headers=clerk, json=HONEY)
    answer = client.post("/api/v1/stock/HONEY-1L/receive", headers=reader, json={"quantity": 1, "unit_cost": "1.00"})
    assert (answer.status_code, answer.json()["code"]) == (403, "forbidden")


def test_openapi_gives_amounts_in_and_out_a_pattern(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert schemas["StockLevel"]["properties"]["avg_cost"]["pattern"] == r"^-?\d+\.\d{2}$"
    assert schemas["ReceiveIn"]["properties"]["unit_cost"]["pattern"] == r"^\d+(\.\d{1,2})?$"
    assert schemas["ReceiveIn"]["properties"]["unit_cost"]["type"] == "string"
