"""The company and the books' settings over REST and the CLI, and what they change."""
from __future__ import annotations

import pytest

from shopledger.adapters.db import reads
from shopledger.adapters.db.engine import reading
from tests.api.conftest import take
from tests.builders import make_order_dict

pytestmark = pytest.mark.db


def test_the_company_set_is_on_the_next_document_and_a_bad_tax_id_is_refused(engine, client, admin):
    bad = client.patch("/api/v1/settings", json={"company": {"tax_id": "0105556012342"}}, headers=admin)
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_tax_id"
    good = client.patch("/api/v1/settings", headers=admin, json={
        "company": {"name": "ร้านใหม่ จำกัด", "tax_id": "0105556012341", "branch": "00001", "address": "เชียงใหม่"}})
    assert good.status_code == 200 and good.json()["company"]["name"] == "ร้านใหม่ จำกัด"
    take(engine, make_order_dict())
    with reading(engine) as conn:
        seller = reads.document(conn, "RT-202611-00001")["particulars"]["seller"]
    assert seller == {"name": "ร้านใหม่ จำกัด", "address": "เชียงใหม่", "tax_id": "0105556012341",
                      "branch": "00001", "branch_label": "สาขาที่ 00001"}


def test_not_vat_registered_gets_receipts_without_vat(engine, client, admin):
    assert client.patch("/api/v1/settings", json={"vat_registered": False}, headers=admin).status_code == 200
    take(engine, make_order_dict())
    with reading(engine) as conn:
        docs = reads.documents(conn)
    assert [(d["number"], d["kind"], d["vat"]) for d in docs] == [("RE-202611-00001", "receipt", "0.00")]


def test_a_vat_rate_from_a_day_on(engine, client, admin):
    answer = client.post("/api/v1/settings/vat-rates", json={"rate": "10", "starts_on": "2026-11-01"}, headers=admin)
    assert [r["rate"] for r in answer.json()["vat_rates"]] == ["7", "10"]
    take(engine, make_order_dict())  # paid 2026-11-20: 10% of 850.00 inclusive = 77.27
    with reading(engine) as conn:
        assert reads.documents(conn)[0]["vat"] == "77.27"


def test_an_accountant_may_look_but_not_change(client, accountant, reader):
    assert client.get("/api/v1/settings", headers=accountant).status_code == 200
    assert client.patch("/api/v1/settings", json={"vat_registered": False}, headers=accountant).status_code == 403
    assert client.get("/api/v1/settings", headers=reader).status_code == 403


def test_stuck_rules_over_rest_change_what_is_stuck(engine, client, admin):
    take(engine, make_order_dict(payment_status="unpaid", paid_at=None))  # placed 2026-11-20
    stuck = lambda: [o["external_id"] for o in client.get("/api/v1/orders?stuck=true", headers=admin).json()]  # noqa: E731
    assert stuck() == ["BW-100234"]
    answer = client.patch("/api/v1/settings", json={"stuck_rules": {"unpaid_after": "off"}}, headers=admin)
    assert answer.status_code == 200 and answer.json()["stuck_rules"]["unpaid_after"] == "off"
    assert stuck() == []
    bad = client.patch("/api/v1/settings", json={"stuck_rules": {"unpaid_after": "soon"}}, headers=admin)
    assert bad.status_code == 422


def test_settings_say_what_the_company_is_missing(client, admin):
    assert client.get("/api/v1/settings", headers=admin).json()["company_missing"] == ["name", "address", "tax_id"]
    client.patch("/api/v1/settings", headers=admin, json={"vat_registered": False, "company": {"name": "ร้านใหม่"}})
    assert client.get("/api/v1/settings", headers=admin).json()["company_missing"] == ["address"]
    [alert] = [a for a in client.get("/api/v1/alerts", headers=admin).json() if a["kind"] == "company_not_set_up"]
    assert "its address is missing" in alert["reason"] and "--address" in alert["action"]
