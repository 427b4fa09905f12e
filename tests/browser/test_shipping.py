"""A clerk ships three orders at once from the orders page: ticked, a tracking number each, one
carrier."""
from __future__ import annotations

import re

from playwright.sync_api import expect

ORDERS = ("HG-10014", "HG-10013", "HG-10012")  # paid, not yet shipped in the demo


def test_a_clerk_ships_three_orders_at_once(as_role, worker_id):
    page = as_role("clerk")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Orders").click()
    page.wait_for_url(re.compile("/orders"))
    page.get_by_role("link", name=re.compile(r"^To ship")).first.click()
    page.wait_for_url(re.compile("status=to_ship"))
    rows = page.locator("table.list tbody tr")
    for n, number in enumerate(ORDERS):
        row = rows.filter(has_text=number)
        row.get_by_role("checkbox", name="Tick").check()
        row.get_by_label("Tracking number").fill(f"KEX9{n}{number[-5:]}")
    page.get_by_label("Carrier", exact=True).select_option(label="Kerry Express")
    page.get_by_role("button", name="Mark the ticked orders shipped").click()
    expect(page.get_by_role("status")).to_contain_text("3 shipped, 0 already so, 0 not shipped")
    for number in ORDERS:
        expect(page.get_by_role("link", name=re.compile(number))).to_be_visible()
    for n, number in enumerate(ORDERS):
        page.goto(f"/orders?lang=en&search={number}")
        row = page.locator("table.list tbody tr").filter(has_text=number)
        expect(row).to_contain_text(f"KEX9{n}{number[-5:]}")
        expect(row).to_contain_text("Shipped")
