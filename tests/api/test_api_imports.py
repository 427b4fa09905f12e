"""POST /imports: a file upload answered like `import --json`."""
from __future__ import annotations

import json

import pytest

from shopledger.adapters.connectors.file_writers import write_orders_csv
from tests.builders import make_order_dict

pytestmark = pytest.mark.db

GOOD_AND_BAD = [make_order_dict(external_id="BW-1"), make_order_dict(external_id="BAD-1", total="999.00"),
                make_order_dict(external_id="BW-2", payment_status="unpaid", paid_at=None)]


def _upload(client, headers, content: bytes, filename="orders.json", **form):
    return client.post("/api/v1/imports", headers=headers, data=form, files={"file": (filename, content, "application/octet-stream")})


def test_good_orders_imported_and_bad_ones_listed_with_reasons(client, admin):
    response = _upload(client, admin, json.dumps(GOOD_AND_BAD).encode())
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["created"], report["updated"], report["unchanged"]) == (2, 0, 0)
    assert [(f["external_id"], f["position"]) for f in report["failed"]] == [("BAD-1", "item 2")]
    assert "total" in report["failed"][0]["reason"]
    kinds = [d["kind"] for d in client.get("/api/v1/documents", headers=admin).json()]
    assert sorted(kinds) == ["invoice", "receipt_tax_invoice"]


def test_uploading_the_same_file_again_changes_nothing(client, admin):
    body = json.dumps(GOOD_AND_BAD).encode()
    _upload(client, admin, body)
    before = (client.get("/api/v1/documents", headers=admin).json(), client.get("/api/v1/journal-entries", headers=admin).json())
    again = _upload(client, admin, body).json()
    assert (again["created"], again["updated"], again["unchanged"], len(again["failed"])) == (0, 0, 2, 1)
    after = (client.get("/api/v1/documents", headers=admin).json(), client.get("/api/v1/journal-entries", headers=admin).json())
    assert after == before


def test_source_and_actor_are_recorded(client, admin):
    _upload(client, admin, json.dumps([make_order_dict()]).encode(), source="lineshop")
    [order] = client.get("/api/v1/orders", headers=admin).json()
    assert (order["source"], order["external_id"]) == ("lineshop", "BW-100234")
    detail = client.get(f"/api/v1/orders/{order['id']}", headers=admin).json()
    assert detail["events"][0]["actor"] == "api robot"


def test_csv_upload(client, admin, tmp_path):
    path = tmp_path / "sheet.csv"
    write_orders_csv([make_order_dict(external_id="CSV-1"), make_order_dict(external_id="CSV-2")], path, thai_headers=True)
    report = _upload(client, admin, path.read_bytes(), filename="ยอดขาย พฤศจิกายน.csv").json()
    assert (report["created"], report["failed"]) == (2, [])


@pytest.mark.parametrize(("filename", "content", "said"), [
    ("orders.json", b"hello, not json", "not JSON"),
    ("orders.json", b"", "empty"),
    ("orders.txt", b"[]", "unknown file type"),
    ("sheet.csv", b"name,total\nx,1\n", "no external_id column"),
    ("../../etc/orders.xlsx", b"PK not a workbook", "orders.xlsx"),
])
def test_an_unreadable_file_is_422_unreadable_file(client, admin, filename, content, said):
    response = _upload(client, admin, content, filename=filename)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "unreadable_file" and said in body["detail"]
    assert "/tmp" not in body["detail"] and "shopledger-import" not in body["detail"]
    assert client.get("/api/v1/orders", headers=admin).json() == []


def test_no_file_is_invalid_request(client, admin):
    response = client.post("/api/v1/imports", headers=admin, data={"source": "x"})
    assert (response.status_code, response.json()["code"]) == (422, "invalid_request")


def test_a_blank_source_means_import_and_a_too_long_one_is_refused(client, admin):
    assert _upload(client, admin, json.dumps([make_order_dict()]).encode(), source="").status_code == 200
    assert client.get("/api/v1/orders", headers=admin).json()[0]["source"] == "import"
    response = _upload(client, admin, b"[]", source="x" * 101)
    assert (response.status_code, response.json()["code"]) == (422, "invalid_request")
