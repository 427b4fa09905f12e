"""A clerk on a phone previews an order file on the Import Data page (its documents, entries and
totals per account, the page not scrolling sideways), posts it, and finds its documents."""
from __future__ import annotations

import json
import re

from playwright.sync_api import expect

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _order(external_id: str, **changes) -> dict:
    return {"external_id": external_id, "channel": "line", "placed_at": "2026-11-20T10:00:00+07:00",
            "updated_at": "2026-11-20T10:00:00+07:00", "payment_status": "paid", "fulfillment_status": "unfulfilled",
            "payment_method": "bank_transfer", "paid_at": "2026-11-20T11:00:00+07:00", "currency": "THB",
            "customer": {"name": "ลูกค้าทดสอบ ตัวอย่างชื่อยาวมาก"},
            "lines": [{"sku": "HONEY-1L", "name": "น้ำผึ้งป่า 1 ลิตร", "quantity": 2, "unit_price": "350.00"}],
            "shipping_fee": "50.00", "total": "750.00", "refunds": []} | changes


def test_a_clerk_previews_an_order_file_then_posts_it(as_role, tmp_path):
    path = tmp_path / "preview-orders.json"
    path.write_text(json.dumps([_order("PV-BROWSER-1"), _order("PV-BROWSER-BAD", total="1.00")]), encoding="utf-8")
    page = as_role("clerk", **PHONE)
    page.goto("/import?lang=en")
    page.get_by_label("Order file").set_input_files(str(path))
    page.get_by_role("button", name="Preview").click()
    page.wait_for_url(re.compile("/import/preview"))
    expect(page.get_by_role("heading", name="Totals per account")).to_be_visible()
    expect(page.locator("section.preview-order").filter(has_text="PV-BROWSER-1")).to_contain_text("Receipt")
    expect(page.get_by_text("PV-BROWSER-BAD").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    number = re.search(r"RT-\d{6}-\d{5}", page.locator("section.preview-order").first.inner_text()).group()

    page.get_by_role("button", name="Post").first.click()
    page.wait_for_url(re.compile("/import/post"))
    expect(page.get_by_text("The file was posted as previewed.")).to_be_visible()
    page.goto(f"/documents/{number}?lang=en")
    expect(page.locator("main")).to_contain_text("PV-BROWSER-1")
