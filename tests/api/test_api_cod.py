"""Cash on delivery over REST: a courier's statement uploaded, one row matched and booked,
one unknown row reported and kept as an alert; what couriers still owe."""
from __future__ import annotations

import pytest

from tests.api.conftest import take
from tests.builders import make_order_dict

pytestmark = pytest.mark.db
STATEMENT = "เลขพัสดุ,ยอดเก็บเงิน,ค่าธรรมเนียม,วันที่โอน\nKEX1,850.00,15.00,24/11/2569\nKEX9,100.00,5.00,24/11/2569\n"


def _delivered_cod(engine, client, clerk):
    take(engine, make_order_dict(external_id="C-1", payment_method="cod", payment_status="unpaid", paid_at=None))
    client.post("/api/v1/orders/import/C-1/ship", headers=clerk, json={"carrier": "kerry", "tracking_number": "KEX1"})
    assert client.post("/api/v1/orders/import/C-1/deliver", headers=clerk).json()["display_status"] == \
        "cod_awaiting_remittance"


def _upload(client, headers, carrier="Kerry"):
    return client.post("/api/v1/cod/remittances", headers=headers, data={"carrier": carrier},
                       files={"file": ("kerry-w47.csv", STATEMENT.encode(), "text/csv")})


def test_a_statement_books_the_matching_row_and_reports_the_unknown_one(engine, client, clerk):
    _delivered_cod(engine, client, clerk)
    owed = client.get("/api/v1/cod/receivable", headers=clerk).json()
    assert (owed["total"], owed["carriers"][0]["carrier"]) == ("850.00", "Kerry Express")
    answer = _upload(client, clerk)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["statement"], report["total_cod"], report["total_fee"], report["net"]) == (
        "kerry-w47.csv", "850.00", "15.00", "835.00")
    assert [(m["line"], m["order"]) for m in report["matched"]] == [(2, "import:C-1")]
    assert [(m["line"], m["tracking"], m["code"]) for m in report["mismatches"]] == [(3, "KEX9", "unknown_tracking")]
    assert report["paid_on"] == "2026-11-24" and report["lines"][0] == {
        "account": "111201", "debit": "835.00", "credit": "0.00"}
    assert client.get("/api/v1/orders/import/C-1", headers=clerk).json()["display_status"] == "completed"
    assert client.get("/api/v1/cod/receivable", headers=clerk).json()["total"] == "0.00"
    alerts = [a for a in client.get("/api/v1/alerts", headers=clerk).json() if a["kind"] == "cod_mismatch"]
    assert len(alerts) == 1 and "KEX9" in alerts[0]["subject"] and alerts[0]["id"]
    rerun = _upload(client, clerk).json()
    assert rerun["matched"] == [] and rerun["remittance_id"] is None and len(rerun["mismatches"]) == 2


def test_a_statement_needs_a_carrier_and_a_clerk(engine, client, clerk, reader):
    _delivered_cod(engine, client, clerk)
    blank = _upload(client, clerk, carrier=" ")
    assert (blank.status_code, blank.json()["code"]) == (422, "invalid_carrier")
    missing = client.post("/api/v1/cod/remittances", headers=clerk,
                          files={"file": ("s.csv", STATEMENT.encode(), "text/csv")})
    assert (missing.status_code, missing.json()["code"]) == (422, "invalid_request")
    assert _upload(client, reader).status_code == 403
    assert client.get("/api/v1/cod/receivable", headers=clerk).json()["total"] == "850.00"
    assert client.get("/api/v1/cod/receivable", headers=reader).status_code == 403
