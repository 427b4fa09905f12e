"""An admin changes a stuck-order rule's wait and uploads the logo printed on documents, and finds
both kept when the pages are opened again; the address pickers offer a province's districts as
soon as it is chosen. The live server is shared by the browser tests, so what is changed here is
put back at the end."""
from __future__ import annotations

import io
import re

from PIL import Image
from playwright.sync_api import expect


def _logo_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (160, 60), (30, 110, 200)).save(out, "PNG")
    return out.getvalue()


def test_an_admin_changes_a_stuck_rule_and_uploads_a_logo(as_role):
    page = as_role("admin", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto("/settings?lang=en")
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Stuck-order rules").click()
    page.wait_for_url(re.compile("/settings/stuck"))
    wait, unit = page.get_by_label("Not shipped", exact=True), page.get_by_label("Unit of the wait for Not shipped")
    before = (wait.input_value(), unit.input_value())
    try:
        wait.fill("36")
        unit.select_option("h")
        page.get_by_role("button", name="Save the rules").click()
        expect(page.get_by_role("status")).to_have_text("The stuck-order rules were saved.")
        page.goto("/settings/stuck?lang=en")
        expect(page.get_by_label("Not shipped", exact=True)).to_have_value("36")
        expect(page.get_by_label("Unit of the wait for Not shipped")).to_have_value("h")
        # A wait that is not a number: refused, with the reason and what was typed
        page.get_by_label("Not shipped", exact=True).fill("soon")
        page.get_by_role("button", name="Save the rules").click()
        expect(page.get_by_role("alert")).to_contain_text("The wait for “Not shipped” is not a whole number")
        expect(page.get_by_label("Not shipped", exact=True)).to_have_value("soon")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        page.goto("/settings/stuck?lang=en")
        page.get_by_label("Not shipped", exact=True).fill(before[0])
        page.get_by_label("Unit of the wait for Not shipped").select_option(before[1])
        page.get_by_role("button", name="Save the rules").click()
        expect(page.get_by_role("status")).to_be_visible()

    page.goto("/settings?lang=en")
    try:
        page.get_by_label("Logo file").set_input_files(
            files=[{"name": "shop-logo.png", "mimeType": "image/png", "buffer": _logo_png()}])
        page.get_by_role("button", name="Upload the logo").click()
        expect(page.get_by_role("status")).to_have_text("The logo was saved.")
        page.goto("/settings?lang=en")
        preview = page.get_by_role("img", name="Logo")
        expect(preview).to_be_visible()
        assert preview.evaluate("img => img.complete && img.naturalWidth") == 160
        expect(page.get_by_text("shop-logo.png")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        page.goto("/settings?lang=en")
        if page.get_by_role("button", name="Remove the logo").count():
            page.get_by_role("button", name="Remove the logo").click()
            expect(page.get_by_role("status")).to_have_text("The logo was removed.")
            page.wait_for_load_state("load")  # the pickers below answer once htmx has read the page

    # The address pickers: choosing a province offers its districts, then a district its subdistricts.
    page.get_by_label("Province").select_option(label="Bangkok")
    expect(page.get_by_label("District", exact=True)).to_be_enabled()
    page.get_by_label("District", exact=True).select_option(label="Bang Rak")
    page.get_by_label("Subdistrict").select_option(label="Si Lom")
    expect(page.get_by_label("Postcode")).to_have_value("10500")
