"""A clerk runs Import Data from the sources page and watches the run come in (the run's page
follows it without being reloaded)."""
from __future__ import annotations

import re

from playwright.sync_api import expect


def test_a_clerk_runs_import_data_and_sees_progress_then_counts(as_role):
    page = as_role("clerk")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Sources").click()
    page.wait_for_url(re.compile("/sources"))
    row = page.locator("table.list tbody tr").filter(has_text="demo-shop")
    row.get_by_role("button", name="Import Data").click()
    # the run's own page: its progress while it is under way, then its counts
    page.wait_for_url(re.compile(r"/import/run\?id=\d+"))
    status = page.locator("#run-progress .badge")
    expect(status).to_have_text(re.compile("Queued|Running|Succeeded"))  # where it is now
    expect(status).to_have_text("Succeeded", timeout=60_000)              # and where it ends, without a reload
    counts = dict(zip(page.locator("#run-progress table.list th").all_inner_texts(),
                      page.locator("#run-progress table.list td").all_inner_texts()))
    assert int(counts["New orders"].replace(",", "")) > 0, counts
    assert int(counts["Failed orders"]) == 0, counts
