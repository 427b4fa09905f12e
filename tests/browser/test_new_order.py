"""A clerk keys in a LINE order with two lines and a discount, picking each product from the
search, watches the total change as they type, saves, and opens its receipt/tax invoice; the form
fits a phone."""
from __future__ import annotations

import re

from playwright.sync_api import expect

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def pick(page, row: int, typed: str, sku: str) -> None:
    """Types into line `row`'s product search and picks `sku` from what it suggests."""
    line = page.locator(f"#line-{row}")
    line.get_by_label("Find a product (SKU or name)").fill(typed)
    line.get_by_role("button", name=re.compile(sku)).click()
    expect(page.locator(f"#line-{row}").get_by_label("SKU", exact=True)).to_have_value(sku)


def test_a_clerk_keys_in_a_line_order_and_sees_its_receipt_tax_invoice(as_role):
    page = as_role("clerk")
    page.get_by_role("link", name="New order").first.click()
    page.wait_for_url(re.compile("/orders/new"))
    page.get_by_label("Customer name").fill("คุณมาลี ทดสอบ")
    page.get_by_label("Phone").fill("0891234567")
    page.get_by_label("Address").fill("99 ถนนนิมมานเหมินท์ เชียงใหม่ 50200")
    page.get_by_label("Channel", exact=True).select_option(label="LINE")
    page.get_by_label("Payment method").select_option(label="Bank transfer")
    page.get_by_label("Paid?").select_option(label="Paid")

    total = page.locator("#order-total")
    pick(page, 0, "honey", "HONEY-1L")
    page.locator("#line-0").get_by_label("Quantity").fill("2")
    expect(total).to_have_text("฿700.00")  # 2 x 350.00, worked out by the server as one types
    # "Add a line" posts the whole form and comes back with one more line; the new page's search
    # only answers once htmx has read it, which is done by the page's load event.
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Add a line").click()
    pick(page, 1, "soap", "SOAP-HERB")
    expect(total).to_have_text("฿789.00")  # + 89.00
    page.get_by_label("Discount on the order (฿)").fill("20")
    expect(total).to_have_text("฿769.00")
    expect(page.locator('[data-total="vat"]')).to_have_text("฿50.31")  # 769.00 x 7 / 107

    page.get_by_role("button", name="Save the order").click()
    page.wait_for_url(re.compile(r"/orders/manual/MO-"))
    expect(page.get_by_role("status")).to_contain_text("The order was saved.")
    documents = page.locator("table.list").filter(has_text="Receipt")
    receipt = documents.get_by_role("link", name=re.compile(r"^RT-"))
    expect(receipt).to_have_count(1)
    number = receipt.inner_text()
    receipt.click()
    page.wait_for_url(re.compile(f"/documents/{number}"))
    expect(page.get_by_text("คุณมาลี ทดสอบ").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("769.00")
    expect(page.locator("main")).to_contain_text("50.31")


def test_the_new_order_form_fits_a_phone(as_role):
    page = as_role("clerk", **PHONE)
    page.goto("/orders/new?lang=en")
    pick(page, 0, "honey", "HONEY-1L")
    page.locator("#line-0").get_by_label("Find a product (SKU or name)").fill("e")  # a long list of picks
    expect(page.locator("#line-0-found button").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Save the order").click()  # no customer: the problems shown
    expect(page.get_by_text("Give the customer's name.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
