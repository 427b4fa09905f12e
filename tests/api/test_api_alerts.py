"""Alerts over REST: derived ones (low stock, oversell, stuck) and a stored COD mismatch resolved."""
from __future__ import annotations

import pytest

from tests.api.conftest import take
from tests.builders import make_order_dict

pytestmark = pytest.mark.db


def _mismatch(engine, client, clerk):
    statement = "tracking,cod,fee\nNOPE1,100.00,5.00\n".encode()
    report = client.post("/api/v1/cod/remittances", headers=clerk, data={"carrier": "flash"},
                         files={"file": ("flash.csv", statement, "text/csv")}).json()
    assert report["mismatches"][0]["code"] == "unknown_tracking"


def test_alerts_in_the_interfaces_shape(engine, client, clerk, reader):
    client.put("/api/v1/products/HONEY-1L", headers=clerk, json={"name": "น้ำผึ้ง", "price": "350.00", "low_stock_at": 5})
    client.post("/api/v1/stock/HONEY-1L/receive", headers=clerk, json={"quantity": 3, "unit_cost": "180.00"})
    take(engine, make_order_dict(external_id="S-1", placed_at="2026-01-05T10:00:00+07:00",
                                 updated_at="2026-01-05T10:00:00+07:00", paid_at="2026-01-05T11:00:00+07:00"))
    alerts = client.get("/api/v1/alerts", headers=clerk).json()
    assert client.get("/api/v1/alerts", headers=reader).status_code == 403  # a reader reads orders, documents, stock
    # 3 honey in, 2 of them reserved for S-1: low; COMB-200 was never set up: sold without stock
    assert {(a["kind"], a["subject"].split()[0]) for a in alerts} >= {
        ("low_stock", "HONEY-1L"), ("oversell", "COMB-200"), ("unknown_sku", "COMB-200")}
    for alert in alerts:
        assert set(alert) >= {"kind", "subject", "reason", "since", "action"}
    stuck = next(a for a in alerts if a["kind"] == "stuck_order")
    assert stuck["subject"] == "import:S-1" and "not shipped" in stuck["reason"]


def test_a_stored_alert_is_resolved_once_dealt_with(engine, client, clerk, reader):
    _mismatch(engine, client, clerk)
    alert = next(a for a in client.get("/api/v1/alerts", headers=clerk).json() if a["kind"] == "cod_mismatch")
    assert client.post(f"/api/v1/alerts/{alert['id']}/resolve", headers=reader).status_code == 403
    resolved = client.post(f"/api/v1/alerts/{alert['id']}/resolve", headers=clerk)
    assert resolved.status_code == 200 and resolved.json()["resolved_at"] and resolved.json()["kind"] == "cod_mismatch"
    assert not [a for a in client.get("/api/v1/alerts", headers=clerk).json() if a["kind"] == "cod_mismatch"]
    missing = client.post("/api/v1/alerts/999999/resolve", headers=clerk)
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
