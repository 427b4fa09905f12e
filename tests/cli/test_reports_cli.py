"""The accountant's month through the real CLI: `--json` shapes of reports.md, files written,
`documents` still lists as before and gained `pdf`, bad arguments exit 2 with a reason."""
from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from tests.builders import make_order_dict

pytestmark = pytest.mark.db


@pytest.fixture
def books(cli, tmp_path):
    later = make_order_dict(external_id="O-1", payment_status="refunded", cancelled_at="2026-11-22T09:00:00+07:00",
                            updated_at="2026-11-22T09:00:00+07:00")
    for name, orders in (("orders", [make_order_dict(external_id=f"O-{i}") for i in range(1, 4)]), ("later", [later])):
        path = tmp_path / f"{name}.ndjson"
        path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in orders), encoding="utf-8")
        cli("import", path, "--workers", 1)
    cli("settings", "company", "--name", "ร้านทดสอบ จำกัด", "--address", "1 ถนนสุขุมวิท กรุงเทพฯ", "--tax-id", "0105556012341")
    return cli


def _json(result) -> dict:
    return json.loads(result.stdout)


def test_reports_print_the_shapes_of_reports_md(books):
    report = _json(books("report", "vat", "--month", "2026-11", "--json"))
    assert set(report) >= {"month", "company", "rows", "total_value", "total_vat", "ledger_vat", "difference"}
    assert set(report["rows"][0]) == {"no", "date", "number", "kind", "buyer", "buyer_tax_id", "buyer_branch", "value",
                                      "vat", "cancelled"}
    assert report["difference"] == "0.00" and [r["kind"] for r in report["rows"]].count("credit_note") == 1
    pp30 = _json(books("report", "pp30", "--month", "2026-11", "--json"))
    assert pp30["output_vat"] == report["total_vat"]
    assert set(pp30) == {"month", "sales", "output_vat", "purchases", "input_vat", "payable", "excess",
                         "brought_forward", "net_payable", "net_excess"}
    pl = _json(books("report", "profit-and-loss", "--from", "2026-11-01", "--to", "2026-11-30", "--json"))
    bs = _json(books("report", "balance-sheet", "--as-of", "2026-11-30", "--json"))
    assert pl["net_profit"] == bs["total_equity"] == bs["current_year_earnings"]
    ledger = _json(books("report", "ledger", "--account", "213101", "--from", "2026-11-01", "--to", "2026-11-30", "--json"))
    assert ledger["opening"] == "0.00" and ledger["lines"][-1]["balance"] == ledger["closing"]
    for name in ("receivables", "cod-aging"):
        aged = _json(books("report", name, "--as-of", "2026-11-30", "--json"))
        assert set(aged["buckets"]) == {"0-30", "31-60", "61-90", "90+"}
    stock = _json(books("report", "stock-valuation", "--as-of", "2026-11-30", "--json"))
    assert stock["total"] == stock["ledger_114101"]
    sales = _json(books("report", "sales", "--by", "channel", "--from", "2026-11-01", "--to", "2026-11-30", "--json"))
    assert sales["rows"][0]["key"] == "website" and sales["rows"][0]["orders"] == 3
    assert "รายงานภาษีขาย" in books("report", "vat", "--month", "2026-11").stdout


def test_files_are_written(books, tmp_path):
    books("report", "vat", "--month", "2026-11", "--xlsx", "-o", tmp_path / "vat.xlsx")
    assert load_workbook(tmp_path / "vat.xlsx").sheetnames == ["Output VAT"]
    assert books("report", "vat", "--month", "2026-11", "--csv").stdout.startswith("\ufeffลำดับที่ / No.")
    books("report", "vat", "--month", "2026-11", "--pdf", "-o", tmp_path / "vat.pdf")
    assert (tmp_path / "vat.pdf").read_bytes()[:4] == b"%PDF"
    books("documents", "pdf", "RT-202611-00001", "--copy", "-o", tmp_path / "rt.pdf")
    books("documents", "pdf", "--month", "2026-11", "--kind", "credit_note", "-o", tmp_path / "notes.pdf")
    books("documents", "pdf", "--numbers", "RT-202611-00002,CN-202611-00001", "-o", tmp_path / "two.pdf")
    books("documents", "pdf", "--day", "2026-11-20", "-o", tmp_path / "day.pdf")
    assert all((tmp_path / f).read_bytes()[:4] == b"%PDF" for f in ("rt.pdf", "notes.pdf", "two.pdf", "day.pdf"))
    books("export", "month", "--month", "2026-11", "-o", tmp_path / "pack.xlsx")
    assert len(load_workbook(tmp_path / "pack.xlsx").sheetnames) == 6
    books("export", "beancount", "-o", tmp_path / "books.beancount")
    assert "2026-11-20 * \"RT-202611-00001\"" in (tmp_path / "books.beancount").read_text(encoding="utf-8")


def test_documents_still_lists_and_refuses_bad_arguments(books):
    lines = books("documents").stdout.strip().splitlines()
    assert lines[0].split()[:3] == ["number", "kind", "status"] and len(lines) == 1 + 4 + 1
    assert json.loads(books("documents", "--json").stdout)[0]["number"] == "CN-202611-00001"
    books("documents", "pdf", code=2)
    books("documents", "pdf", "RT-209901-00001", "-o", "x.pdf", code=2)
    books("documents", "pdf", "--month", "2026-11", code=2)  # many documents need -o
    books("report", "vat", "--month", "2026-13", code=2)
    books("report", "vat", "--month", "2026-11", "--xlsx", code=2)
    books("report", "profit-and-loss", "--from", "2026-12-01", "--to", "2026-11-01", code=2)
    books("report", "balance-sheet", "--as-of", "30/11/2026", code=2)
    books("report", "ledger", "--account", "999999", "--from", "2026-11-01", "--to", "2026-11-30", code=2)
    books("report", "sales", "--by", "colour", "--from", "2026-11-01", "--to", "2026-11-30", code=2)
    books("vat", "pay", "--month", "2026-11", "--date", "2026-12-15", code=2)  # not settled yet


def test_settling_twice_changes_nothing(books, tmp_path):
    october = make_order_dict(external_id="O-OCT", placed_at="2026-10-10T10:00:00+07:00",
                              paid_at="2026-10-10T11:00:00+07:00", updated_at="2026-10-10T11:00:00+07:00")
    (tmp_path / "october.json").write_text(json.dumps([october], ensure_ascii=False), encoding="utf-8")
    books("import", tmp_path / "october.json", "--workers", 1)
    first = _json(books("vat", "settle", "--month", "2026-10", "--json"))
    assert first["entry"] and first["payable"] == _json(books("report", "pp30", "--month", "2026-10", "--json"))["payable"]
    assert _json(books("vat", "settle", "--month", "2026-10", "--json")) == first
    books("vat", "pay", "--month", "2026-10", "--account", "411101", "--date", "2026-11-15", code=2)
    paid = _json(books("vat", "pay", "--month", "2026-10", "--account", "111201", "--date", "2026-11-15", "--json"))
    assert paid["payable"] == first["payable"] == "55.61"
    assert _json(books("year", "close", "--year", 2025, "--json")) == {"year": 2025, "entry": None,
                                                                         "retained_earnings": "0.00"}
    books("year", "close", "--year", 9999, code=2)


def test_logo_and_signature_in_settings(books, tmp_path):
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>')
    out = books("settings", "company", "--logo", logo).stdout
    assert "logo logo.svg" in out and "signature (none)" in out
    books("settings", "company", "--signature", tmp_path / "missing.png", code=2)
    assert "logo (none)" in books("settings", "company", "--logo", "none").stdout
