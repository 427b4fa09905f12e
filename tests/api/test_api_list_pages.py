"""Pages stay small however many orders there are: lists are paged with their total, and the
alerts page groups stuck orders by rule with a count and a link to them."""
from __future__ import annotations

import re

import pytest

from shopledger.web.ui import order_pages, pages
from tests.api.conftest import take
from tests.builders import make_order_dict

pytestmark = pytest.mark.db
N = 60


@pytest.fixture
def many_stuck(engine):
    """Paid, not shipped and placed long ago: every one stuck by the `unshipped` rule."""
    take(engine, *(make_order_dict(external_id=f"S-{i:03d}") for i in range(1, N + 1)))


def test_the_alerts_page_counts_stuck_orders_instead_of_listing_them(client, many_stuck):
    html = client.get("/alerts").text
    [row] = re.findall(r'<tr data-kind="stuck_order" data-rule="unshipped">.*?</tr>', html, re.S)
    assert f'<td class="num" data-label="จำนวน">{N}</td>' in row and f"ยังไม่จัดส่งเกิน 2 วัน: {N} คำสั่งซื้อ" in row
    assert f"{N} orders not shipped after 2 days" in client.get("/alerts?lang=en").text
    assert len(set(re.findall(r'href="/orders/import/(S-\d+)', html))) == 3  # examples, not all of them
    assert 'href="/orders?stuck=true&amp;rule=unshipped"' in row


def test_the_orders_page_by_stuck_rule_pages_with_its_total(client, many_stuck, monkeypatch):
    monkeypatch.setattr(pages, "PAGE_SIZE", 25)
    monkeypatch.setattr(order_pages, "PAGE_SIZE", 25)
    html = client.get("/orders?stuck=true&rule=unshipped").text
    assert f"1–25 จาก {N}" in html
    assert 'href="?stuck=true&amp;rule=unshipped&amp;offset=25"' in html and "import:S-060" in html
    last = client.get("/orders?stuck=true&rule=unshipped&offset=50").text
    assert "51–60 จาก" in last and "import:S-001" in last and "offset=75" not in last
    assert "is not a stuck-order rule we know" in client.get("/orders?rule=lost&lang=en").text
