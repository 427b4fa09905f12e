"""GET /orders and /orders/{id}."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

pytestmark = pytest.mark.db


def test_orders_list(client, admin, books):
    orders = client.get("/api/v1/orders", headers=admin).json()
    assert [(o["external_id"], o["payment_status"], o["cancelled"]) for o in orders] == [   # newest first
        ("R-1", "refunded", True), ("P-1", "paid", False), ("U-1", "unpaid", True)]
    first = orders[-1]
    assert set(first) >= {"id", "source", "external_id", "channel", "payment_status", "fulfillment_status",
                          "cancelled", "total", "placed_at", "updated_at"}
    assert (first["source"], first["channel"], first["total"]) == ("import", "website", "850.00")
    # shown in Bangkok time with its offset, as the CLI shows it: the same instant
    assert datetime.fromisoformat(first["placed_at"]) == datetime(2026, 11, 20, 3, 15, tzinfo=timezone.utc)
    assert [o["external_id"] for o in client.get("/api/v1/orders?limit=1&offset=2", headers=admin).json()] == ["U-1"]


def test_one_order_with_its_books_and_history(client, admin, books):
    order_id = client.get("/api/v1/orders", headers=admin).json()[0]["id"]
    order = client.get(f"/api/v1/orders/{order_id}", headers=admin).json()
    assert order["external_id"] == "R-1" and order["data"]["lines"][0]["sku"] == "HONEY-1L"
    assert [d["number"] for d in order["documents"]] == [books["credited_receipt"], books["credit_note"]]
    assert all(e["lines"] for e in order["entries"]) and len(order["entries"]) >= 2
    assert [(e["kind"], e["actor"]) for e in order["events"]] == [("created", "test"), ("updated", "test")]
    assert order["events"][1]["detail"]["payment_status"] == "refunded"


def test_unknown_order_is_404_and_a_bad_id_422(client, admin, books):
    missing = client.get("/api/v1/orders/999999", headers=admin)
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    bad = client.get("/api/v1/orders/abc", headers=admin)
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_request")
