"""A clerk uploads a courier's COD payout statement with one row that matches no parcel and sees
the statement row by row."""
from __future__ import annotations

import re

from playwright.sync_api import expect

STATEMENT = (b"Tracking No,COD Amount,COD Fee,Date Paid\n"
             b"KEX0000010051,645.00,19.35,2026-11-29\n"     # the demo's parcel awaiting its COD
             b"KEX0000099999,300.00,9.00,2026-11-29\n")     # a parcel never sent


def test_a_clerk_uploads_a_cod_statement_with_one_mismatch(as_role):
    page = as_role("clerk")
    page.goto("/shipping?lang=en")
    upload = page.get_by_role("button", name="Upload and book")
    form = page.locator("form").filter(has=upload)
    form.get_by_label("Carrier").select_option(label="Kerry Express")
    form.get_by_label("Courier's payout statement").set_input_files(
        {"name": "kerry-payout.csv", "mimeType": "text/csv", "buffer": STATEMENT})
    upload.click()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"1 rows? matched and booked, 1 not"))
    expect(page.locator("tr.matched")).to_have_count(1)
    expect(page.locator("tr.matched")).to_contain_text("KEX0000010051")
    expect(page.locator("tr.mismatch")).to_have_count(1)
    expect(page.locator("tr.mismatch")).to_contain_text("KEX0000099999")
