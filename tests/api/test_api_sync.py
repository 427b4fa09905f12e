"""Import Data over REST: sources, starting a run (202), runs, and a shop pushing an order."""
from __future__ import annotations

import json

import pytest

from shopledger.demo_shop.mounted import DEMO_TOKEN
from shopledger.demo_shop.store import ShopStore
from shopledger.services import sources
from shopledger.domain.clock import utc_now
from shopledger.domain.sync.webhook import signed_headers
from shopledger.services.sync import run_source_sync

pytestmark = pytest.mark.db


def _demo_source(engine):
    return sources.add_source(engine, "demo-shop", kind="shop-api", base_url="http://testserver/demo-shop",
                              token=DEMO_TOKEN)


def test_import_data_on_the_demo_shop_then_only_what_changed(engine, client, admin, queued_runs):
    _demo_source(engine)
    answer = client.post("/api/v1/sources/demo-shop/sync", headers=admin)
    assert answer.status_code == 202 and answer.json()["status"] == "queued"
    run_id = answer.json()["run_id"]
    assert queued_runs == [run_id]
    first = run_source_sync(engine, "demo-shop", run_id=run_id, extra_settings={"http_client": client})
    assert first.status == "succeeded" and first.report.created == 30
    run = client.get(f"/api/v1/sync-runs/{run_id}", headers=admin).json()
    assert (run["status"], run["created"], run["source"]) == ("succeeded", 30, "demo-shop")
    assert client.post("/demo-shop/advance", headers={"Authorization": f"Bearer {DEMO_TOKEN}"}).json()["changed"]
    second = client.post("/api/v1/sources/demo-shop/sync", headers=admin).json()["run_id"]
    again = run_source_sync(engine, "demo-shop", run_id=second, extra_settings={"http_client": client})
    assert again.status == "succeeded" and again.report.created == 0 and again.report.updated >= 1
    assert again.report.updated + again.report.unchanged < 30
    listed = client.get("/api/v1/sources", headers=admin).json()
    assert listed[0]["name"] == "demo-shop" and listed[0]["cursor"] and "token" not in listed[0]
    assert [r["id"] for r in client.get("/api/v1/sync-runs", headers=admin).json()] == [second, run_id]


def test_starting_a_run_of_an_unknown_source_is_a_404_problem(client, admin):
    answer = client.post("/api/v1/sources/nope/sync", headers=admin)
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"


def test_a_reader_cannot_start_a_run(engine, client, reader):
    _demo_source(engine)
    assert client.post("/api/v1/sources/demo-shop/sync", headers=reader).status_code == 403


def _one_shop_order() -> bytes:
    store = ShopStore()
    store.seed_demo(n=1)
    return json.dumps(store.changed_since(None)[0]).encode()


def test_a_signed_push_is_imported_and_a_bad_signature_changes_nothing(engine, client, admin):
    secret = _demo_source(engine)["push_secret"]
    body = _one_shop_order()
    forged = signed_headers(secret, "d-1", body, utc_now()) | {"X-Shop-Signature": "sha256=00"}
    bad = client.post("/api/v1/sources/demo-shop/orders", content=body, headers=forged)
    assert bad.status_code == 401 and bad.json()["code"] == "bad_signature"
    missing = client.post("/api/v1/sources/demo-shop/orders", content=body)
    assert missing.status_code == 401
    assert client.get("/api/v1/orders", headers=admin).json() == []
    good = client.post("/api/v1/sources/demo-shop/orders", content=body,
                       headers=signed_headers(secret, "d-1", body, utc_now()))
    assert good.status_code == 200 and good.json()["created"] == 1 and good.json()["status"] == "received"
    assert len(client.get("/api/v1/orders", headers=admin).json()) == 1
