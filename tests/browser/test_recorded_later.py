"""A clerk records, the morning after, that a COD parcel went out and was delivered last night: the
order's When fields, and the shipment and the receipt dated then."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from playwright.sync_api import expect

from shopledger.domain.clock import BANGKOK

ORDER = "/orders/demo-import/HG-10016?lang=en"  # the demo's COD order placed yesterday (by 21:00), to ship


def test_a_clerk_records_last_nights_shipment_and_delivery(as_role):
    yesterday = (datetime.now(BANGKOK) - timedelta(days=1)).date()
    shown = f"{yesterday.day} {yesterday:%b %Y}"
    page = as_role("clerk")
    page.goto(ORDER)
    ship = page.locator("form").filter(has=page.get_by_role("button", name="Mark shipped"))
    ship.get_by_label("Tracking number").fill("KEX7770016")
    ship.get_by_label("When").fill(f"{yesterday.isoformat()}T21:30")
    ship.get_by_role("button", name="Mark shipped").click()
    expect(page.get_by_role("status")).to_contain_text("Marked as shipped.")
    expect(page.get_by_role("row", name=re.compile(r"^Shipped "))).to_contain_text(f"{shown} 21:30")
    expect(page.locator("tr.entry-head").filter(has_text="Cost of goods")).to_contain_text(shown)  # its entry

    deliver = page.locator("form").filter(has=page.get_by_role("button", name="Mark delivered"))
    deliver.get_by_label("When").fill(f"{yesterday.isoformat()}T23:10")
    deliver.get_by_role("button", name="Mark delivered").click()
    expect(page.get_by_role("status")).to_contain_text("Marked as delivered.")
    expect(page.get_by_role("row", name=re.compile(r"^Delivered "))).to_contain_text(f"{shown} 23:10")
    receipt = page.locator("tr").filter(has_text="Receipt / Tax invoice").first
    expect(receipt).to_contain_text(shown)  # the money the courier collected, receipted then
