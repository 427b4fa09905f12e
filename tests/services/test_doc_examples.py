"""The examples in docs/ work as the docs say: the JSON and CSV orders of order-format.md import
with the real file reader without a failure, and the payout statements of cod-payouts.md book
against the parcels they name, with the entry the doc shows. On both databases."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from shopledger.adapters.connectors.files import read_orders
from shopledger.services import cod, order_changes as oc, order_views
from shopledger.services.intake import Incoming, take_orders
from tests.builders import make_order_dict

pytestmark = pytest.mark.db
DOCS = Path(__file__).resolve().parents[2] / "docs"


def examples(doc: str, language: str) -> list[str]:
    """The fenced ```language blocks of a doc, in order."""
    text = (DOCS / doc).read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```$", text, re.M | re.S)


def _import(engine, path: Path):
    records = [Incoming(raw.position, raw.external_id, raw.data) for raw in read_orders(path)]
    assert all(raw.data is not None for raw in records)
    return take_orders(engine, records, source="import", actor=f"import {path.name}")


def test_the_order_format_examples_import_without_failures(engine, tmp_path):
    blocks = [("json", block) for block in examples("order-format.md", "json")] + \
             [("csv", block) for block in examples("order-format.md", "csv")]
    assert len(blocks) == 4  # two JSON (the orders, a refund), two CSV (English and Thai headers)
    imported = []
    for number, (kind, block) in enumerate(blocks, 1):
        path = tmp_path / f"example-{number}.{kind}"
        path.write_text(block, encoding="utf-8")
        report = _import(engine, path)
        assert report.failed == [], (path.name, report.failed)
        assert report.created + report.updated + report.unchanged >= 1
        imported.append(report)
    # the CSV repeats the JSON's first two orders: the same orders, nothing new or changed
    assert (imported[2].created, imported[2].updated, imported[2].unchanged) == (0, 0, 2)
    orders = {o["external_id"]: o for o in order_views.list_orders(engine)}
    assert set(orders) == {"BW-100234", "BW-100235", "BW-100236", "BW-100301"}
    assert orders["BW-100234"]["display_status"] == "shipped" and orders["BW-100235"]["display_status"] == "to_ship"
    detail = order_views.order_detail(engine, "import", "BW-100236")
    assert [d["kind"] for d in detail["documents"]] == ["receipt_tax_invoice", "credit_note"]


def _cod_parcel(engine, external_id: str, total: str, tracking: str) -> None:
    order = make_order_dict(external_id=external_id, payment_method="cod", payment_status="unpaid", paid_at=None,
                            lines=[{"sku": "HONEY-1L", "name": "น้ำผึ้ง", "quantity": 1, "unit_price": total}],
                            shipping_fee="0.00", total=total)
    assert not take_orders(engine, [Incoming(external_id, external_id, order)], source="web", actor="test").failed
    oc.change_order(engine, "web", external_id, oc.ship("kerry", tracking), "clerk")
    oc.change_order(engine, "web", external_id, oc.deliver(), "courier")


@pytest.mark.parametrize("example", [0, 1], ids=["english-headers", "thai-headers-buddhist-year"])
def test_the_cod_payout_example_books_as_the_doc_says(engine, tmp_path, example):
    _cod_parcel(engine, "C-1", "850.00", "KEX0000000101")
    _cod_parcel(engine, "C-2", "307.00", "KEX0000000102")
    path = tmp_path / "kerry-payout.csv"
    path.write_text(examples("cod-payouts.md", "csv")[example], encoding="utf-8")
    report = cod.remit_statement(engine, path, "kerry", "test")
    assert report["mismatches"] == [] and len(report["matched"]) == 2
    lines = {line["account"]: (Decimal(line["debit"]), Decimal(line["credit"])) for line in report["lines"]}
    assert lines == {"111201": (Decimal("1122.29"), 0), "521101": (Decimal("32.44"), 0),
                     "115101": (Decimal("2.27"), 0), "113201": (0, Decimal("1157.00"))}
    assert report["entry_date"] == "2026-12-05"
    again = cod.remit_statement(engine, path, "kerry", "test")
    assert not again["matched"] and {m["code"] for m in again["mismatches"]} == {"already_remitted"}
