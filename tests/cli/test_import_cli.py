"""`shopledger import` and the books' listings, as interfaces.md says: JSON shapes and exit codes."""
from __future__ import annotations

import json

import pytest

from tests.builders import make_order_dict

pytestmark = pytest.mark.db


def _ndjson(tmp_path, *orders) -> str:
    path = tmp_path / "orders.ndjson"
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in orders), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("workers", [1, 2])
def test_good_orders_are_imported_bad_ones_listed_exit_1_and_a_rerun_changes_nothing(cli, tmp_path, workers):
    path = _ndjson(tmp_path, make_order_dict(external_id="A-1"), make_order_dict(external_id="BAD", total="760.00"),
                   make_order_dict(external_id="A-2", payment_status="unpaid", paid_at=None))
    first = json.loads(cli("import", path, "--json", "--workers", workers, code=1).stdout)
    assert (first["created"], first["updated"], first["unchanged"]) == (2, 0, 0)
    assert [(f["external_id"], f["reason"]) for f in first["failed"]] == [("BAD", "total 760.00 does not match lines 800.00 + shipping_fee 50.00 = 850.00")]
    documents = json.loads(cli("documents", "--json").stdout)
    again = json.loads(cli("import", path, "--json", "--workers", workers, code=1).stdout)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert json.loads(cli("documents", "--json").stdout) == documents
    assert [d["kind"] for d in documents] == ["invoice", "receipt_tax_invoice"]   # newest first


def test_an_unreadable_file_exits_2(cli, tmp_path):
    path = tmp_path / "orders.txt"
    path.write_text("not orders", encoding="utf-8")
    assert "cannot read" in cli("import", path, code=2).output


def test_documents_entries_and_trial_balance_shapes(cli, tmp_path):
    cli("import", _ndjson(tmp_path, make_order_dict()), "--workers", 1)
    document = json.loads(cli("documents", "--json").stdout)[0]
    assert document == {"number": "RT-202611-00001", "kind": "receipt_tax_invoice", "status": "issued",
                        "date": "2026-11-20", "order": {"source": "import", "external_id": "BW-100234"},
                        "total": "850.00", "vat": "55.61", "refers_to": None, "voided_on": None}
    entry = json.loads(cli("entries", "--json").stdout)[0]
    assert entry["document"] == "RT-202611-00001"
    assert {"account": "111201", "debit": "850.00", "credit": "0.00"} in entry["lines"]
    balance = json.loads(cli("report", "trial-balance", "--json").stdout)
    assert balance["total_debit"] == balance["total_credit"] == "850.00"
    assert {"code": "111201", "name": "เงินฝากธนาคาร", "name_en": "Bank", "debit": "850.00", "credit": "0.00",
            "balance": "850.00"} in balance["accounts"]


def test_import_keyed_by_a_source_name_no_address_can_carry_is_refused_before_reading(cli, tmp_path):
    path = tmp_path / "orders.json"
    path.write_text(json.dumps([make_order_dict()]))
    result = cli("import", path, "--source", "shop/a", code=2)
    assert "source name" in result.output
