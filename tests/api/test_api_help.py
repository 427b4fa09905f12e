"""/help/NAME serves docs/NAME.md as a page; the pages link to the doc a person needs there."""
from __future__ import annotations

from datetime import timedelta

import pytest

from shopledger.domain.clock import utc_now
from shopledger.services import sources
from shopledger.services.intake import Incoming, take_orders
from shopledger.web.ui.help_pages import render
from tests.builders import make_order_dict

pytestmark = pytest.mark.db


def test_the_docs_are_pages(anon_client):
    index = anon_client.get("/help")
    assert index.status_code == 200
    for name in ("order-format", "cod-payouts", "stuck-orders", "cli", "limits"):
        assert f'href="/help/{name}"' in index.text
    page = anon_client.get("/help/order-format")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "<h1" in page.text and "The order format" in page.text and "<table>" in page.text
    assert 'href="/help/limits"' in page.text and 'id="refunds"' in page.text
    assert "เลขที่คำสั่งซื้อ" in page.text  # the Thai column names
    rules = anon_client.get("/help/stuck-orders")
    assert 'id="the-rules"' in rules.text and "unpaid_after" in rules.text
    assert 'href="/help/cod-payouts"' in rules.text
    assert anon_client.get("/help/cli").status_code == 200
    assert anon_client.get("/help/README").status_code == 200


@pytest.mark.parametrize("name", ["nope", "..%2FREADME", ".env", "ARCHITECTURE.md"])
def test_only_the_docs_are_served(anon_client, name):
    assert anon_client.get(f"/help/{name}").status_code == 404


def test_a_doc_s_raw_html_is_shown_as_text():
    title, body = render("# T\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](limits.md#texts)")
    assert title == "T" and "<script>" not in body and "&lt;script&gt;" in body
    assert 'href="javascript' not in body and 'href="/help/limits#texts"' in body


def test_the_pages_link_to_the_doc_a_person_needs_there(engine, client):
    old = (utc_now() - timedelta(days=10)).isoformat(timespec="seconds")
    order = make_order_dict(external_id="S-1", payment_status="unpaid", paid_at=None, placed_at=old, updated_at=old)
    assert not take_orders(engine, [Incoming("S-1", "S-1", order)], source="web", actor="test").failed
    sources.add_source(engine, "shop", kind="shop-api", base_url="http://127.0.0.1:9/", token="t")
    assert 'href="/help/stuck-orders#the-rules"' in client.get("/alerts").text
    assert 'href="/help/stuck-orders#the-rules"' in client.get("/orders?stuck=true").text
    assert 'href="/help/order-format"' in client.get("/sources").text
    assert 'href="/help"' in client.get("/orders").text  # the menu
