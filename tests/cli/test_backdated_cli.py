"""`--at` on the CLI: ship, deliver, return, stock receive and count, the COD payout dated when they
happened; a closed period, a future time or text that is no date and time is one line and exit 2."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from shopledger.domain.clock import BANGKOK, utc_now
from tests.builders import make_order_dict

pytestmark = pytest.mark.db


def _ago(days: int, hour: int = 10):
    return (utc_now().astimezone(BANGKOK) - timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def _at(days: int, hour: int = 10) -> str:
    return _ago(days, hour).strftime("%Y-%m-%dT%H:%M")


def _day(days: int) -> str:
    return _ago(days).date().isoformat()


def test_back_dated_actions_from_the_cli(cli, tmp_path):
    for sku in ("HONEY-1L", "COMB-200"):
        cli("product", "add", sku, "--name", sku, "--price", "100")
        received = json.loads(cli("stock", "receive", sku, "20", "--cost", "50.00", "--at", _at(9), "--json").stdout)
        assert received["entries"][0]["date"] == _day(9)
    placed = _ago(8).isoformat()
    orders = tmp_path / "orders.json"
    orders.write_text(json.dumps([
        make_order_dict(external_id="C-1", payment_method="cod", payment_status="unpaid", paid_at=None,
                        placed_at=placed, updated_at=placed),
        make_order_dict(external_id="P-1", placed_at=placed, updated_at=placed, paid_at=placed)]), encoding="utf-8")
    cli("import", orders, "--workers", 1)
    cli("ship", "import", "C-1", "--carrier", "kerry", "--tracking", "KEX1", "--at", _at(5, 15))
    delivered = json.loads(cli("deliver", "import", "C-1", "--at", _at(4), "--json").stdout)
    assert [d["date"] for d in delivered["documents"] if d["kind"] == "receipt_tax_invoice"] == [_day(4)]
    assert delivered["shipment"]["shipped_at"].startswith(_day(5) + "T15:00")
    cli("ship", "import", "P-1", "--carrier", "flash", "--tracking", "TH1", "--at", _at(5))
    returned = json.loads(cli("return", "import", "P-1", "--at", _at(3), "--json").stdout)
    assert {e["date"] for e in returned["entries"] if e["lines"][0]["account"] in ("511101", "114101")} == {
        _day(5), _day(3)}
    statement = tmp_path / "kerry.csv"
    statement.write_text("tracking,cod,fee\nKEX1,850.00,15.00\n", encoding="utf-8")
    paid = json.loads(cli("cod", "remittance", statement, "--carrier", "kerry", "--at", _at(2), "--json").stdout)
    assert paid["entry_date"] == _day(2)
    counted = json.loads(cli("stock", "count", "HONEY-1L", "17", "--at", _at(1), "--json").stdout)
    assert counted["entries"][0]["date"] == _day(1)


def test_a_refused_time_is_one_line_and_exit_2(cli):
    cli("product", "add", "HONEY-1L", "--name", "Honey", "--price", "100")
    cli("settings", "close-through", _day(6))
    closed = cli("stock", "receive", "HONEY-1L", "1", "--cost", "1.00", "--at", _at(6, 20), code=2).output
    assert closed.startswith("error (closed_period): ") and f"closed through {_day(6)}" in closed
    future = (utc_now().astimezone(BANGKOK) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    assert "error (time_in_future)" in cli("stock", "count", "HONEY-1L", "1", "--at", future, code=2).output
    assert "error (invalid_at): --at:" in cli("deliver", "import", "X", "--at", "yesterday", code=2).output
    assert "error (closed_period)" in cli("ship", "import", "X", "--carrier", "kerry", "--tracking", "K",
                                          "--at", _at(7), code=2).output
    assert json.loads(cli("stock", "--json").stdout)[0]["on_hand"] == 0
