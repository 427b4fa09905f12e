"""The shop's CLI against a temp SQLite file: JSON shapes of interfaces.md and exit codes."""
from __future__ import annotations

import json

import pytest

from tests.builders import make_order_dict

pytestmark = pytest.mark.db


def _json(result):
    return json.loads(result.stdout)


def _order_file(tmp_path, **kw):
    path = tmp_path / "order.json"
    path.write_text(json.dumps(make_order_dict(**kw), ensure_ascii=False), encoding="utf-8")
    return path


def test_products_and_stock(cli):
    cli("product", "add", "HONEY-1L", "--name", "น้ำผึ้ง", "--price", "350", "--cost", "180", "--low-stock-at", "5")
    received = _json(cli("stock", "receive", "HONEY-1L", "10", "--cost", "180.00", "--json"))
    assert received["entries"][0]["lines"] == [{"account": "114101", "debit": "1800.00", "credit": "0.00"},
                                               {"account": "212101", "debit": "0.00", "credit": "1800.00"}]
    cli("stock", "count", "HONEY-1L", "9")
    assert _json(cli("stock", "--json")) == [{"sku": "HONEY-1L", "name": "น้ำผึ้ง", "on_hand": 9, "reserved": 0,
                                              "available": 9, "avg_cost": "180.00", "low_stock_at": 5}]
    moves = _json(cli("stock", "moves", "HONEY-1L", "--json"))
    assert [m["kind"] for m in moves] == ["count", "receive"]
    assert "HONEY-1L" in cli("stock").stdout
    assert "not found" in cli("stock", "receive", "NOPE", "1", "--cost", "1.00", code=2).output
    cli("stock", "receive", "HONEY-1L", "1", "--cost", "abc", code=2)


def test_an_order_keyed_in_shipped_delivered_and_remitted(cli, tmp_path):
    path = _order_file(tmp_path, external_id="CH-1", channel="facebook", payment_method="cod",
                       payment_status="unpaid", paid_at=None)
    created = _json(cli("order", "create", path, "--json"))
    assert (created["source"], created["external_id"], created["display_status"]) == ("manual", "CH-1", "to_ship")
    assert [d["kind"] for d in created["documents"]] == ["invoice"]

    shipped = _json(cli("ship", "manual", "CH-1", "--carrier", "Kerry", "--tracking", "KEX1", "--json"))
    assert [r["external_id"] for r in shipped["shipped"]] == ["CH-1"] and shipped["failed"] == []
    cli("deliver", "manual", "CH-1")
    listed = _json(cli("orders", "--status", "cod_awaiting_remittance", "--json"))
    assert [(o["external_id"], o["payment_status"], o["fulfillment_status"]) for o in listed] == [
        ("CH-1", "paid", "delivered")]
    owed = _json(cli("cod", "receivable", "--json"))
    assert owed["total"] == "850.00" and owed["carriers"][0]["carrier"] == "Kerry Express"

    statement = tmp_path / "kerry.csv"
    statement.write_text("Tracking No,COD Amount,Fee\nKEX1,850.00,17.00\nKEX404,100.00,2.00\n", encoding="utf-8")
    report = _json(cli("cod", "remittance", statement, "--carrier", "kerry", "--json", code=1))
    assert [m["tracking"] for m in report["matched"]] == ["KEX1"]
    assert [(m["tracking"], m["code"]) for m in report["mismatches"]] == [("KEX404", "unknown_tracking")]
    shown = _json(cli("order", "show", "manual", "CH-1", "--json"))
    assert shown["display_status"] == "completed" and shown["shipment"]["remitted_at"] is not None
    assert [e["actor"].split(":")[0] for e in shown["events"]] == ["cli", "cli", "cli"]

    alerts = _json(cli("alerts", "--json"))   # the SKUs were never set up: sold from nothing
    assert sorted({(a["kind"], a["subject"]) for a in alerts}) == [
        ("cod_mismatch", "kerry:KEX404"), ("company_not_set_up", "company"),
        ("oversell", "COMB-200"), ("oversell", "HONEY-1L"),
        ("unknown_sku", "COMB-200"), ("unknown_sku", "HONEY-1L")]
    assert all(set(a) >= {"kind", "subject", "reason", "since", "action"} for a in alerts)
    [mismatch] = [a for a in alerts if a["kind"] == "cod_mismatch"]
    cli("alerts", "resolve", mismatch["id"])
    assert "cod_mismatch" not in {a["kind"] for a in _json(cli("alerts", "--json"))}
    cli("order", "show", "manual", "NOPE", code=2)


def test_staff_changes_and_bulk_ship(cli, tmp_path):
    cli("order", "create", _order_file(tmp_path, external_id="A-1", payment_status="unpaid", paid_at=None))
    cli("order", "create", _order_file(tmp_path, external_id="A-2", payment_status="unpaid", paid_at=None))
    patch = tmp_path / "patch.json"
    patch.write_text(json.dumps({"note": "ส่งด่วน"}, ensure_ascii=False), encoding="utf-8")
    assert _json(cli("order", "edit", "manual", "A-1", patch, "--json"))["data"]["note"] == "ส่งด่วน"
    assert _json(cli("order", "verifying", "manual", "A-1", "--json"))["display_status"] == "checking_payment"
    assert _json(cli("order", "paid", "manual", "A-1", "--json"))["display_status"] == "to_ship"
    assert _json(cli("order", "cancel", "manual", "A-2", "--json"))["display_status"] == "cancelled"
    cli("order", "cancel", "manual", "A-2", code=2)

    sheet = tmp_path / "ship.csv"
    sheet.write_text("source,external_id,carrier,tracking\nmanual,A-1,flash,TH1\nmanual,A-2,flash,TH2\n",
                     encoding="utf-8")
    report = _json(cli("ship", "--file", sheet, "--json", code=1))
    assert [r["external_id"] for r in report["shipped"]] == ["A-1"]
    assert [(r["line"], r["reason"]) for r in report["failed"]] == [(3, "a cancelled order is not shipped")]
    assert [o["external_id"] for o in _json(cli("orders", "--status", "shipped", "--json"))] == ["A-1"]
    cli("return", "manual", "A-1")
    assert [o["display_status"] for o in _json(cli("orders", "--json"))] == ["cancelled", "returned"]
    assert _json(cli("orders", "--stuck", "--json")) == []
    cli("orders", "--status", "lost", code=2)
    cli("ship", "manual", "A-1", code=2)   # neither a carrier and tracking nor a file
    assert "not found" in cli("ship", "manual", "NOPE", "--carrier", "kerry", "--tracking", "K9", code=1).stdout


@pytest.mark.parametrize("external_id", ["INV/2025/001", "50% off #1?", "ใบสั่ง ๑/๒"])
def test_every_order_command_takes_any_external_id(cli, tmp_path, external_id):
    path = _order_file(tmp_path, external_id=external_id, payment_status="unpaid", paid_at=None)
    assert _json(cli("order", "create", path, "--json"))["external_id"] == external_id
    cli("order", "verifying", "manual", external_id)
    assert _json(cli("order", "paid", "manual", external_id, "--json"))["payment_status"] == "paid"
    shipped = _json(cli("ship", "manual", external_id, "--carrier", "kerry", "--tracking", "KEX1", "--json"))
    assert [r["external_id"] for r in shipped["shipped"]] == [external_id]
    cli("deliver", "manual", external_id)
    shown = _json(cli("order", "show", "manual", external_id, "--json"))
    assert (shown["external_id"], shown["fulfillment_status"]) == (external_id, "delivered")
    sheet = tmp_path / "ship.csv"
    sheet.write_text(f'source,external_id,carrier,tracking\nmanual,"{external_id}/2",flash,TH1\n', encoding="utf-8")
    assert "not found" in cli("ship", "--file", sheet, code=1).output
