"""`import FILE --dry-run` and `sync NAME --dry-run`: the JSON shape docs/imports.md gives,
the words a merchant reads, exit codes as the real commands', and nothing written."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import httpx2
import pytest

from shopledger.cli import preview_commands
from shopledger.demo_shop.app import shop_transport
from shopledger.demo_shop.store import Fault, ShopStore
from shopledger.services import preview as preview_service
from tests.builders import make_order_dict

pytestmark = pytest.mark.db
NOW = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)

ORDER_KEYS = {"source", "external_id", "outcome", "documents", "voided", "entries", "movements", "alerts"}


def _ndjson(tmp_path, *orders) -> str:
    path = tmp_path / "orders.ndjson"
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in orders), encoding="utf-8")
    return str(path)


def test_import_dry_run_json_shape_and_nothing_written(cli, tmp_path):
    path = _ndjson(tmp_path, make_order_dict(external_id="D-1"), make_order_dict(external_id="BAD", total="760.00"),
                   make_order_dict(external_id="D-2", payment_status="unpaid", paid_at=None,
                               lines=[{"sku": "NEW-SKU", "name": "ใหม่", "quantity": 1, "unit_price": "800.00"}]))
    preview = json.loads(cli("import", path, "--json", "--dry-run", code=1).stdout)
    assert set(preview) == {"dry_run", "created", "updated", "unchanged", "failed", "orders", "orders_total",
                            "accounts", "new_products", "books"}
    assert preview["dry_run"] is True and (preview["created"], preview["updated"], preview["unchanged"]) == (2, 0, 0)
    assert [f["external_id"] for f in preview["failed"]] == ["BAD"] and preview["orders_total"] == 2
    first, second = preview["orders"]
    assert set(first) == ORDER_KEYS and (first["external_id"], first["outcome"]) == ("D-1", "created")
    [receipt] = first["documents"]
    assert receipt == {"number": "RT-202611-00001", "kind": "receipt_tax_invoice", "date": "2026-11-20",
                       "total": "850.00", "vat": "55.61", "refers_to": None}
    [entry] = first["entries"]
    assert set(entry) == {"date", "memo", "event", "document", "reverses", "lines"} and entry["document"] == "RT-202611-00001"
    assert {l["account"] for l in entry["lines"]} >= {"411101", "213101"}
    assert [(m["sku"], m["kind"], m["quantity"], m["reserved"]) for m in first["movements"]] == [
        ("HONEY-1L", "reserve", 0, 2), ("COMB-200", "reserve", 0, 1)]
    assert second["documents"][0]["kind"] == "invoice" and second["documents"][0]["number"] == "IV-202611-00001"
    assert preview["new_products"] == [{"sku": "COMB-200", "name": "รวงผึ้ง 200 กรัม"},
                                       {"sku": "HONEY-1L", "name": "น้ำผึ้งป่า 1 ลิตร"},
                                       {"sku": "NEW-SKU", "name": "ใหม่"}]
    assert {a["account"] for a in preview["accounts"]} >= {"111201", "113101", "411101"}
    assert all(set(a) == {"account", "name", "name_en", "debit", "credit"} for a in preview["accounts"])
    assert json.loads(cli("documents", "--json").stdout) == []
    assert json.loads(cli("orders", "--json").stdout) == []

    posted = json.loads(cli("import", path, "--json", code=1).stdout)
    assert {k: preview[k] for k in posted} == posted  # `import --json` unchanged, and the dry run's first keys
    numbers = sorted(d["number"] for d in json.loads(cli("documents", "--json").stdout))
    assert numbers == ["IV-202611-00001", "RT-202611-00001"]


def test_import_dry_run_in_words(cli, tmp_path):
    path = _ndjson(tmp_path, make_order_dict(external_id="W-1"))
    out = cli("import", path, "--dry-run").stdout
    assert "dry run: nothing was written" in out and "document RT-202611-00001 receipt_tax_invoice" in out
    assert "totals per account:" in out and "Output VAT" in out
    assert "cannot read" in cli("import", tmp_path / "nope.txt", "--dry-run", code=2).output


def test_sync_dry_run_pulls_and_moves_no_cursor(cli, monkeypatch):
    store = ShopStore(clock=lambda: NOW)
    store.seed_demo(n=9, now=NOW)
    client = httpx2.Client(transport=shop_transport(store, "shop-token"), base_url="http://shop.test")
    # The shop answers in-process: the command's pull goes to it instead of the network.
    monkeypatch.setattr(preview_commands, "preview_sync", lambda engine, name: preview_service.preview_sync(
        engine, name, extra_settings={"http_client": client, "page_size": 4}))
    cli("source", "add", "web", "--url", "http://shop.test", "--token", "shop-token")
    preview = json.loads(cli("sync", "web", "--json", "--dry-run").stdout)
    assert (preview["status"], preview["pages"], preview["created"], preview["source"]) == ("succeeded", 3, 9, "web")
    assert preview["error"] is None and len(preview["orders"]) == 9
    [source] = json.loads(cli("source", "list", "--json").stdout)
    assert source["cursor"] is None and source["last_run"] is None
    assert json.loads(cli("sync-runs", "--json").stdout) == []
    assert "the cursor stays where it was" in cli("sync", "web", "--dry-run").stdout


def test_sync_dry_run_refused_by_the_shop_exits_2_and_says_why(cli, monkeypatch):
    store = ShopStore(clock=lambda: NOW)
    store.seed_demo(n=3, now=NOW)
    store.inject(Fault.http(401))
    client = httpx2.Client(transport=shop_transport(store, "shop-token"), base_url="http://shop.test")
    monkeypatch.setattr(preview_commands, "preview_sync", lambda engine, name: preview_service.preview_sync(
        engine, name, extra_settings={"http_client": client}))
    cli("source", "add", "web", "--url", "http://shop.test", "--token", "shop-token")
    preview = json.loads(cli("sync", "web", "--json", "--dry-run", code=2).stdout)
    assert preview["status"] == "failed" and "token" in preview["error"] and preview["orders"] == []
    assert json.loads(cli("sync-runs", "--json").stdout) == []
