"""A clerk runs Import Data from the sources page and watches the run come in (the history page
follows the run without being reloaded)."""
from __future__ import annotations

import re

from playwright.sync_api import expect


def test_a_clerk_runs_import_data_and_sees_progress_then_counts(as_role):
    page = as_role("clerk")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Sources").click()
    page.wait_for_url(re.compile("/sources"))
    row = page.locator("table.list tbody tr").filter(has_text="demo-shop")
    row.get_by_role("button", name="Import Data").click()
    expect(page.get_by_text(re.compile(r"Import Data queued as run #\d+"))).to_be_visible()
    run = page.locator("table.list tbody tr").filter(has_text="demo-shop").first
    expect(run).to_contain_text(re.compile("Queued|Running|Succeeded"))  # where it is now
    expect(run).to_contain_text("Succeeded", timeout=60_000)              # and where it ends
    headers = page.locator("table.list thead th").all_inner_texts()
    cells = run.locator("td").all_inner_texts()
    counts = dict(zip(headers, cells))
    assert int(counts["Created"]) > 0, counts
    assert int(counts["Failed"]) == 0, counts
