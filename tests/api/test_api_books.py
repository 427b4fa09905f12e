"""GET /documents, /documents/{number}, /journal-entries, /reports/trial-balance."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

pytestmark = pytest.mark.db

MONEY = re.compile(r"^-?\d+\.\d{2}$")


def test_documents_list_in_the_cli_shape(client, admin, books):
    docs = client.get("/api/v1/documents", headers=admin).json()
    assert [(d["number"], d["kind"], d["status"], d["refers_to"]) for d in docs] == [   # newest first
        (books["credit_note"], "credit_note", "issued", books["credited_receipt"]),
        (books["credited_receipt"], "receipt_tax_invoice", "issued", None),
        (books["receipt"], "receipt_tax_invoice", "issued", None),
        (books["void_invoice"], "invoice", "void", None)]
    first = docs[-1]
    assert first["order"] == {"source": "import", "external_id": "U-1"}
    assert (first["date"], first["voided_on"], first["total"], first["vat"]) == ("2026-11-20", "2026-11-22", "850.00", "55.61")
    assert all(MONEY.match(d["total"]) and MONEY.match(d["vat"]) for d in docs)


def test_documents_page_through_with_limit_and_offset(client, admin, books):
    page = client.get("/api/v1/documents?limit=2&offset=1", headers=admin).json()
    assert [d["number"] for d in page] == [books["credited_receipt"], books["receipt"]]


@pytest.mark.parametrize("query", ["limit=0", "limit=1001", "offset=-1", "limit=abc"])
def test_bad_paging_is_invalid_request(client, admin, query):
    response = client.get(f"/api/v1/documents?{query}", headers=admin)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "invalid_request" and body["errors"][0]["loc"][0] == "query"


def test_one_document_with_its_particulars(client, admin, books):
    doc = client.get(f"/api/v1/documents/{books['receipt']}", headers=admin).json()
    assert (doc["number"], doc["kind"], doc["status"], doc["total"], doc["vat"]) == (
        books["receipt"], "receipt_tax_invoice", "issued", "850.00", "55.61")
    p = doc["particulars"]
    assert p["title"] == "ใบเสร็จรับเงิน/ใบกำกับภาษี"
    assert p["seller"]["tax_id"] == "0105556012341" and p["seller"]["branch_label"] == "สาขาที่ 00001"
    assert [(l["sku"], l["quantity"], l["unit_price"], l["amount"]) for l in p["lines"]] == [
        ("HONEY-1L", 2, "350.00", "700.00"), ("COMB-200", 1, "120.00", "100.00")]
    assert (p["net"], p["vat"], p["total"], p["total_words"]) == ("794.39", "55.61", "850.00", "แปดร้อยห้าสิบบาทถ้วน")


def test_a_credit_note_names_what_it_corrects(client, admin, books):
    p = client.get(f"/api/v1/documents/{books['credit_note']}", headers=admin).json()["particulars"]
    assert p["title"] == "ใบลดหนี้"
    assert p["corrects"]["number"] == books["credited_receipt"]
    assert (p["original_value"], p["correct_value"], p["difference"], p["vat_on_difference"]) == (
        "794.39", "0.00", "794.39", "55.61")  # before VAT, as Thai practice shows them
    assert p["reason_code"] and p["reason"]


def test_unknown_document_is_404_problem(client, admin, books):
    response = client.get("/api/v1/documents/IV-209912-99999", headers=admin)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert (body["code"], body["what"], body["key"]) == ("not_found", "document", "IV-209912-99999")


def test_journal_entries_balance_one_by_one(client, admin, books):
    entries = client.get("/api/v1/journal-entries", headers=admin).json()
    assert len(entries) >= 5
    for entry in entries:
        assert set(entry) >= {"id", "date", "memo", "document", "lines"}
        debit = sum(Decimal(l["debit"]) for l in entry["lines"])
        assert debit == sum(Decimal(l["credit"]) for l in entry["lines"]) and debit > 0
    voided = [e for e in entries if e["reverses"] is not None]
    assert len(voided) == 1 and voided[0]["date"] == "2026-11-22"
    assert len(client.get("/api/v1/journal-entries?limit=2", headers=admin).json()) == 2


def test_trial_balance_balances_and_honours_as_of(client, admin, books):
    tb = client.get("/api/v1/reports/trial-balance", headers=admin).json()
    assert tb["as_of"] == "2026-11-22" and tb["total_debit"] == tb["total_credit"]
    balances = {a["code"]: a["balance"] for a in tb["accounts"]}
    assert balances["111201"] == "850.00"  # two paid, one refunded
    assert balances.get("213201", "0.00") == "0.00" and balances.get("113101", "0.00") == "0.00"
    before = client.get("/api/v1/reports/trial-balance?as_of=2026-11-19", headers=admin).json()
    assert before == {"as_of": "2026-11-19", "accounts": [], "total_debit": "0.00", "total_credit": "0.00"}


def test_trial_balance_refuses_a_bad_date(client, admin):
    body = client.get("/api/v1/reports/trial-balance?as_of=2026-13-01", headers=admin).json()
    assert (body["status"], body["code"]) == (422, "invalid_request")
