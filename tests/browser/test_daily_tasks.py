"""The day's other tasks of web.md "Pages", clicked through by the role that does them: a clerk
edits an unpaid order, marks it paid with the keyboard alone, refunds part of it, takes back a
returned parcel and cancels an order; a clerk adds a product, records goods in and a stock count;
an accountant settles a month's VAT and closes a period. Each finds things by their English
labels and button words (?lang=en), as a person does."""
from __future__ import annotations

import re

import pytest


def _notice(page) -> str:
    return " ".join(page.locator("p.notice").all_inner_texts())


def test_a_clerk_edits_marks_paid_by_keyboard_refunds_takes_back_and_cancels(as_role):
    page = as_role("clerk")
    page.goto("/orders/demo-import/HG-10002?lang=en")  # unpaid: 3 x COFFEE-250 and a sunscreen, ฿1,260.00
    page.get_by_role("link", name="Edit the order").click()
    page.wait_for_url("**/orders/edit**")
    page.locator("#line-0-quantity").fill("2")
    page.get_by_role("button", name="Save the changes").click()
    page.wait_for_url("**/orders/demo-import/HG-10002**")
    assert "The order was changed." in _notice(page)
    assert "฿980.00" in page.locator("main").inner_text()

    # Mark paid with the keyboard alone: Tab from the top of the page reaches the button, Enter presses it.
    page.locator("body").focus()
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Mark paid":
            break
    else:
        pytest.fail("Tab never reached the Mark paid button")
    page.keyboard.press("Enter")
    page.wait_for_url("**done=paid**")
    assert "Marked as paid." in _notice(page)
    assert re.search(r"RT-\d{6}-\d{5}\s+Receipt / Tax invoice\s+Issued", page.locator("main").inner_text())

    page.get_by_label("Refund (฿)").fill("100.00")
    page.get_by_label("Reason").fill("one bag arrived torn")
    page.get_by_role("button", name="Record the refund").click()
    page.wait_for_url("**done=refunded**")
    assert "The refund was recorded" in _notice(page)
    assert page.get_by_role("heading", name="Refunds").is_visible()
    assert "Credit note" in page.locator("main").inner_text()

    page.goto("/orders/demo-import/HG-10030?lang=en")  # paid and shipped
    page.get_by_role("button", name="Parcel came back").click()
    page.wait_for_url("**done=return**")
    assert "Marked as returned." in _notice(page)

    page.goto("/orders/demo-import/HG-10004?lang=en")  # unpaid
    page.get_by_role("button", name="Cancel the order").click()
    page.wait_for_url("**done=cancel**")
    assert "The order is cancelled." in _notice(page)
    assert not page.get_by_role("button", name="Mark paid").count()  # a cancelled order offers no payment


def test_a_clerk_adds_a_product_then_records_goods_in_and_a_count(as_role):
    page = as_role("clerk")
    page.goto("/stock?lang=en")
    page.get_by_role("link", name="Add a product").click()
    page.wait_for_url("**/stock/product**")
    page.get_by_label("SKU").fill("MUG-BROWSER")
    page.get_by_label("Name").fill("แก้วกาแฟเซรามิก")
    page.get_by_label("Price").fill("150.00")
    page.get_by_label("Cost").fill("60.00")
    page.get_by_label("Low-stock level").fill("3")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**sku=MUG-BROWSER**done=saved**")
    assert "The product was saved." in _notice(page)

    page.get_by_label("Quantity").fill("10")
    page.get_by_label("Unit cost").fill("60.00")
    page.get_by_label("Supplier reference").fill("PO-77 Ceramic Co.")
    page.get_by_role("button", name="Record goods in").click()
    page.wait_for_url("**done=received**")
    assert "The goods in were recorded." in _notice(page)
    facts = page.locator("main table").first.inner_text()
    assert re.search(r"On hand\s+10", facts) and "฿600.00" in facts, facts

    page.get_by_label("Counted").fill("8")
    page.get_by_label("Reference", exact=True).fill("count 30 Nov")
    page.get_by_role("button", name="Record the count").click()
    page.wait_for_url("**done=counted**")
    assert "The stock count was recorded." in _notice(page)
    assert re.search(r"On hand\s+8", page.locator("main table").first.inner_text())
    moves = page.locator("main table").last.inner_text()
    assert "PO-77 Ceramic Co." in moves and "count 30 Nov" in moves, moves

    page.goto("/stock?search=MUG-BROWSER&lang=en")
    assert page.get_by_role("link", name="MUG-BROWSER").is_visible()


def test_an_accountant_settles_a_months_vat_and_closes_a_period(as_role):
    page = as_role("accountant")
    page.goto("/accounting?lang=en")
    page.get_by_role("link", name="Closing and VAT").click()
    page.wait_for_url("**/accounting/close**")
    # A month long before the demo's orders, so no other test's days are closed.
    page.locator("#settle-month").fill("2025-12")
    page.get_by_role("button", name="Settle VAT").click()
    page.wait_for_url("**done=settled**")
    assert "The month's VAT was settled." in _notice(page)
    page.get_by_label("Close the books through").fill("2025-12-31")
    page.get_by_role("button", name="Close the period").click()
    page.wait_for_url("**done=closed**")
    assert "The books are closed through 31 Dec 2025." in page.locator("main").inner_text()
