"""A reader ticks orders on the orders page and prints their documents: one PDF, through the
page session (the PDF opens in a new tab, which headless Chromium hands over as a download; the
answer is read where it arrives)."""
from __future__ import annotations

import re


def test_a_reader_prints_the_ticked_orders_documents(as_role):
    page = as_role("reader")
    page.goto("/orders?lang=en&status=completed")
    rows = page.locator("table.list tbody tr").filter(has=page.get_by_role("checkbox", name="Tick"))
    assert rows.count() >= 2
    for n in range(2):
        rows.nth(n).get_by_role("checkbox", name="Tick").check()
    assert page.get_by_text(re.compile(r"at most 200 at a time")).is_visible()
    with page.context.expect_event("response", lambda r: r.url.endswith("/orders/print")) as printed:
        page.get_by_role("button", name="Print documents").click()
    answer = printed.value
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    assert int(answer.headers["x-document-count"]) >= 2  # a receipt/tax invoice at least for each
    assert answer.body()[:5] == b"%PDF-"
