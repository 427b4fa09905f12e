"""Serving safely on a merchant's machine: the host names answered, the headers every answer
carries, and the demo shop (only when asked for, moved on only by a POST, found on any port)."""
from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from shopledger import config
from shopledger.cli.main import app as cli_app
from shopledger.demo.shop_source import DEMO_TOKEN
from shopledger.demo_shop.server import serve_in_thread
from shopledger.services.demo import DEMO_SHOP_SOURCE, load_demo
from shopledger.services.sync import run_source_sync
from shopledger.web.app import create_app

pytestmark = pytest.mark.db
SHOP_TOKEN = {"Authorization": f"Bearer {DEMO_TOKEN}"}
ORDERS = "/demo-shop/api/v1/orders"


@pytest.fixture
def setting(monkeypatch):
    """Sets SHOPLEDGER_<NAME> for this test only; the settings are read afresh."""
    for name in ("HOST", "PORT", "ALLOWED_HOSTS", "DEMO_SHOP"):
        monkeypatch.delenv(f"SHOPLEDGER_{name}", raising=False)
    config.get_settings.cache_clear()

    def set_(name: str, value: str) -> None:
        monkeypatch.setenv(f"SHOPLEDGER_{name}", value)
        config.get_settings.cache_clear()

    yield set_
    config.get_settings.cache_clear()


def _status(app, host: str, path: str = "/healthz") -> int:
    with TestClient(app, raise_server_exceptions=False) as client:
        return client.get(path, headers={"Host": host}).status_code


def test_a_page_asked_for_under_another_host_name_is_refused(engine, setting):
    app = create_app(engine)
    assert _status(app, "evil.example") == 400  # a DNS-rebinding page of evil.example
    assert _status(app, "evil.example:8000", "/api/v1/documents") == 400
    for host in ("localhost:8000", "127.0.0.1:8000", "[::1]:8000", "127.0.0.1"):
        assert _status(app, host) == 200, host


def test_the_host_serve_is_bound_to_and_the_allowed_hosts_setting_are_answered(engine, setting):
    setting("HOST", "192.168.1.20")
    setting("ALLOWED_HOSTS", "shop.example.co.th, books.example.co.th")
    app = create_app(engine)
    for host in ("192.168.1.20:8000", "shop.example.co.th", "books.example.co.th", "localhost"):
        assert _status(app, host) == 200, host
    assert _status(app, "evil.example") == 400
    setting("HOST", "0.0.0.0")
    assert "0.0.0.0" not in config.get_settings().trusted_hosts()


def _assert_safe_headers(answer) -> None:
    policy = answer.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe" not in policy
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] in ("same-origin", "no-referrer")
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_pages_api_answers_errors_and_refusals_carry_the_security_headers(client, admin, books):
    for answer in (client.get("/"), client.get(f"/documents/{books['receipt']}"),
                   client.get("/api/v1/documents", headers=admin), client.get("/api/v1/documents"),
                   client.get("/no-such-page"), client.get("/healthz", headers={"Host": "evil.example"})):
        _assert_safe_headers(answer)


def test_the_pages_hold_no_inline_script_the_policy_would_block(client, books):
    for path in ("/", f"/documents/{books['receipt']}", "/sync-runs", "/orders"):
        html = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
        assert not re.search(r"\son[a-z]+=", html), path
        assert not re.search(r"<style|\sstyle=", html), path
    assert client.get("/static/shopledger.js").status_code == 200


def test_the_demo_shop_is_served_only_when_asked_for(engine, setting, tmp_path):
    shop_file = tmp_path / "demo-shop.json"

    def orders_status() -> int:
        with TestClient(create_app(engine, demo_shop_file=shop_file, extra_hosts=("testserver",))) as client:
            return client.get(ORDERS, headers=SHOP_TOKEN).status_code

    assert orders_status() == 404
    assert not shop_file.exists()
    setting("DEMO_SHOP", "true")
    assert orders_status() == 200


def test_a_get_on_the_demo_shop_changes_nothing_and_a_post_moves_it_on(client, tmp_path):
    shop_file = tmp_path / "demo-shop.json"
    everything = client.get(ORDERS, headers=SHOP_TOKEN).json()["data"]
    saved = shop_file.read_text(encoding="utf-8")
    since = max(order["updated_at"] for order in everything)
    for _ in range(2):  # a pull from a cursor, as Import Data makes
        client.get(ORDERS, params={"updated_from": since, "page": 1}, headers=SHOP_TOKEN)
    assert client.get(ORDERS, headers=SHOP_TOKEN).json()["data"] == everything
    assert shop_file.read_text(encoding="utf-8") == saved

    assert client.post("/demo-shop/advance").status_code == 401
    assert client.get("/demo-shop/advance", headers=SHOP_TOKEN).status_code == 405
    assert shop_file.read_text(encoding="utf-8") == saved
    moved = client.post("/demo-shop/advance", headers=SHOP_TOKEN).json()["changed"]
    assert moved and shop_file.read_text(encoding="utf-8") != saved
    changed = client.get(ORDERS, params={"updated_from": since}, headers=SHOP_TOKEN).json()["data"]
    assert {order["order_id"] for order in changed} >= set(moved)
    assert {o["order_id"] for o in json.loads(shop_file.read_text(encoding="utf-8"))} == {o["order_id"] for o in everything}


@pytest.mark.slow
def test_the_demo_source_is_found_on_the_port_serve_runs_on_now(engine, setting, tmp_path):
    load_demo(engine)  # `shopledger demo` at the default port 8000
    setting("DEMO_SHOP", "true")
    app = create_app(engine, demo_shop_file=tmp_path / "demo-shop.json")
    with serve_in_thread(app) as url:
        setting("PORT", url.rsplit(":", 1)[1])  # serve was started on another port since
        first = run_source_sync(engine, DEMO_SHOP_SOURCE)
        assert (first.status, first.error, first.report.created) == ("succeeded", None, 30)
        moved = CliRunner().invoke(cli_app, ["demo", "--advance"])
        assert moved.exit_code == 0 and "moved on" in moved.output, moved.output
        again = run_source_sync(engine, DEMO_SHOP_SOURCE)
        assert again.status == "succeeded" and again.report.updated >= 1 and again.report.created == 0
