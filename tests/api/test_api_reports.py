"""The accountant's month over REST: /reports/* in the shapes of reports.md, files by `format`,
document PDFs, settling refused to a reader token, problems for bad arguments."""
from __future__ import annotations

from decimal import Decimal

import pytest

pytestmark = pytest.mark.db


def test_reports_answer_in_the_shapes_of_reports_md(client, admin, books):
    vat = client.get("/api/v1/reports/vat", params={"month": "2026-11"}, headers=admin)
    assert vat.status_code == 200, vat.text
    body = vat.json()
    assert body["company"]["tax_id"] == "0105556012341" and body["company"]["branch"] == "00001"
    numbers = [r["number"] for r in body["rows"]]
    assert books["void_invoice"] not in numbers and books["credit_note"] in numbers
    assert body["difference"] == "0.00" and Decimal(body["total_vat"]) == sum(Decimal(r["vat"]) for r in body["rows"])
    pp30 = client.get("/api/v1/reports/pp30", params={"month": "2026-11"}, headers=admin).json()
    assert pp30["output_vat"] == body["total_vat"]
    pl = client.get("/api/v1/reports/profit-and-loss", params={"from": "2026-11-01", "to": "2026-11-30"},
                    headers=admin).json()
    bs = client.get("/api/v1/reports/balance-sheet", params={"as_of": "2026-11-30"}, headers=admin).json()
    assert pl["from"] == "2026-11-01" and pl["net_profit"] == bs["current_year_earnings"]
    assert Decimal(bs["total_assets"]) == Decimal(bs["total_liabilities"]) + Decimal(bs["total_equity"])
    for path, params in (("ledger", {"account": "113101", "from": "2026-11-01", "to": "2026-11-30"}),
                         ("receivables", {"as_of": "2026-11-30"}), ("cod-aging", {"as_of": "2026-11-30"}),
                         ("stock-valuation", {"as_of": "2026-11-30"}),
                         ("sales", {"by": "product", "from": "2026-11-01", "to": "2026-11-30"})):
        answer = client.get(f"/api/v1/reports/{path}", params=params, headers=admin)
        assert answer.status_code == 200, (path, answer.text)


def test_files_by_format(client, admin, books):
    for fmt, media in (("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats"), ("pdf", "application/pdf")):
        answer = client.get("/api/v1/reports/vat", params={"month": "2026-11", "format": fmt}, headers=admin)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(media)
    pdf = client.get(f"/api/v1/documents/{books['credit_note']}/pdf", headers=admin)
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    copy = client.get(f"/api/v1/documents/{books['receipt']}/pdf", params={"copy": "true"}, headers=admin)
    assert copy.headers["content-disposition"].endswith('-copy.pdf"')
    batch = client.get("/api/v1/documents/pdf", params={"month": "2026-11", "kind": "invoice"}, headers=admin)
    assert batch.status_code == 200 and batch.content[:4] == b"%PDF"
    listed = client.get("/api/v1/documents/pdf", params={"numbers": f"{books['receipt']},{books['credit_note']}"},
                        headers=admin)
    assert listed.status_code == 200
    pack = client.get("/api/v1/exports/month", params={"month": "2026-11"}, headers=admin)
    assert pack.status_code == 200 and pack.content[:2] == b"PK"


def test_problems(client, reader, admin, books):
    month_13 = client.get("/api/v1/reports/vat", params={"month": "2026-13"}, headers=admin)
    assert (month_13.status_code, month_13.json()["code"]) == (422, "invalid_request")  # refused by the schema's pattern
    assert client.get("/api/v1/reports/vat", params={"month": "Nov"}, headers=admin).status_code == 422
    assert client.get("/api/v1/reports/vat", params={"month": "2026-11", "format": "doc"}, headers=admin).status_code == 422
    assert client.get("/api/v1/reports/balance-sheet", params={"as_of": "20261130"}, headers=admin).status_code == 422
    assert client.get("/api/v1/documents/RT-209901-00001/pdf", headers=admin).status_code == 404
    assert client.get("/api/v1/documents/pdf", headers=admin).json()["code"] == "invalid_request"
    assert client.post("/api/v1/vat/settle", json={"month": "2026-10"}, headers=reader).status_code == 403
    settled = client.post("/api/v1/vat/settle", json={"month": "2026-10"}, headers=admin)
    assert settled.status_code == 200 and settled.json() == {"month": "2026-10", "entry": None, "payable": "0.00",
                                                            "refundable": "0.00"}
    unsettled = client.post("/api/v1/vat/pay", json={"month": "2026-10", "date": "2026-11-15"}, headers=admin)
    assert unsettled.status_code == 409 and unsettled.json()["code"] == "vat_not_settled"
    assert client.post("/api/v1/year/close", json={"year": 2025}, headers=admin).json()["entry"] is None
