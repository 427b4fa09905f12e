"""The pages as a person uses them, in Chromium: each flow signed in as the role that does it,
things found by their English labels and roles (?lang=en)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import ROLES, sign_in

CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")  # awaiting_payment, cod_awaiting_remittance, ...
THAI = re.compile(r"[\u0E00-\u0E7F]")


def no_codes(page) -> None:
    text = page.locator("body").inner_text()
    assert not CODE.findall(text), f"{page.url} shows internal codes: {sorted(set(CODE.findall(text)))}"


def menu_links(page) -> list[str]:
    return page.locator("nav.menu a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def test_a_stranger_gets_the_sign_in_page_and_the_clerk_gets_in(new_page):
    page = new_page()
    page.goto("/orders?lang=en")
    assert "/signin" in page.url
    assert page.get_by_role("button", name="Sign in").is_visible()
    page.get_by_label("E-mail").fill("clerk@demo.shop")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("The e-mail or the password is not right.")
    assert "/signin" in page.url
    page.get_by_label("E-mail").fill("clerk@demo.shop")
    page.get_by_label("Password").fill("demo-clerk")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/signin" not in url)
    page.goto("/?lang=en")  # the clerk's language may be remembered as Thai by another test
    assert page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Orders").is_visible()
    assert page.get_by_text("clerk@demo.shop").is_visible()


@pytest.mark.parametrize("words, found, not_found", [
    ("086-111-2233", "HG-10051", "HG-10049"),   # the phone as people write it
    ("KEX0000010051", "HG-10051", "HG-10003"),  # the tracking number
])
def test_a_clerk_finds_an_order_by_phone_and_tracking_number(as_role, words, found, not_found):
    page = as_role("clerk")
    page.goto("/orders?lang=en")
    page.get_by_label("Search").fill(words)
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"search="))
    rows = page.locator("table.list tbody tr")
    assert rows.filter(has_text=found).count() == 1
    assert rows.filter(has_text=not_found).count() == 0
    page.get_by_role("link", name=re.compile(found)).click()
    page.wait_for_url(re.compile(found))
    assert found in page.locator("main").inner_text()


def test_a_reader_reaches_no_form_that_changes_anything(as_role):
    page = as_role("reader")
    links = menu_links(page)
    for hidden in ("/people", "/sources", "/alerts", "/journal", "/trial-balance"):
        assert hidden not in links
    for path in links:  # every page the reader's menu offers: nothing to post but signing out
        page.goto(path)  # and the ticks of orders to print (posted: too many for an address), which change nothing
        posting = page.locator("form[method=post]:not(.signout):not(.print)")
        assert posting.count() == 0, f"{path} offers a reader {posting.count()} form(s)"
    for path in ("/people", "/sources"):
        answer = page.goto(f"{path}?lang=en")
        assert answer.status == 403
        assert page.get_by_role("heading", name="Not allowed").is_visible()
        assert page.locator("main form[method=post]").count() == 0


def test_an_accountant_opens_the_trial_balance(as_role):
    page = as_role("accountant")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Trial balance").click()
    page.wait_for_url(re.compile("/trial-balance"))
    assert page.get_by_role("heading", name="Trial balance").is_visible()
    rows = page.locator("table.list tbody tr")
    assert rows.count() > 3
    assert rows.filter(has_text="Accounts receivable").count() == 1
    page.get_by_role("button", name="Show").click()
    assert page.get_by_role("heading", name="Trial balance").is_visible()
    no_codes(page)


def test_an_accountant_opens_profit_and_loss_from_the_accounting_page(as_role):
    page = as_role("accountant")
    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("link", name="Accounting").click()
    page.wait_for_url(re.compile("/accounting"))
    page.get_by_role("navigation", name="Accounting").get_by_role("link", name="Profit and loss").click()
    page.wait_for_url(re.compile("/accounting/profit-and-loss"))
    assert page.locator("h1").first.is_visible()
    assert "฿" in page.locator("main").inner_text()
    no_codes(page)


def test_an_admin_adds_a_person(as_role, new_page, worker_id):
    page = as_role("admin")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="People").click()
    page.wait_for_url(re.compile("/people"))
    email = f"new.clerk.{worker_id}@demo.shop"
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Role", exact=True).select_option(label="Clerk")
    page.get_by_label("Initial password").fill("a-new-password")
    page.get_by_role("button", name="Add person").click()
    row = page.locator("table.list tbody tr").filter(has_text=email)
    row.wait_for()
    assert "Clerk" in row.inner_text()
    # and the new person signs in
    other = new_page()
    other.goto("/signin?lang=en")
    other.get_by_label("E-mail").fill(email)
    other.get_by_label("Password").fill("a-new-password")
    other.get_by_role("button", name="Sign in").click()
    other.wait_for_url(lambda url: "/signin" not in url)
    assert other.get_by_text(email).is_visible()


def test_the_main_flow_in_english_shows_words_not_codes(as_role):
    page = as_role("clerk")
    no_codes(page)
    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("link", name="Orders").click()
    page.wait_for_url(re.compile("/orders"))
    no_codes(page)
    page.locator("table.list tbody tr a[href^='/orders/']").first.click()
    page.wait_for_url(re.compile(r"/orders/.+"))
    no_codes(page)
    documents = page.locator("main a[href^='/documents/']")
    if documents.count():
        documents.first.click()
        page.wait_for_url(re.compile(r"/documents/.+"))
        no_codes(page)
    for name in ("Documents", "Stock", "Alerts", "Import history"):
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("navigation", name="Main menu").get_by_role("link", name=name).click()
        no_codes(page)
        assert not THAI.search(page.locator("h1").first.inner_text())


@pytest.mark.parametrize("role", ROLES)
def test_the_home_page_in_thai_shows_no_codes(new_page, role):
    page = new_page()
    sign_in(page, role, lang="th")
    page.goto("/?lang=th")
    assert page.locator("html").get_attribute("lang") == "th"
    assert THAI.search(page.locator("main").inner_text())
    no_codes(page)


DOWNLOAD = re.compile(r"[./](pdf|csv|xlsx|xml|beancount|zip)(\?|$)")


def sub_pages(page, under: str, most: int = 12, help_too: bool = False) -> list[str]:
    """The links in a menu page's own body to pages beneath it (/accounting -> /accounting/vat,
    /orders -> one order), downloads left out."""
    if under == "/" or (under == "/help" and not help_too):  # help: test_help_pages_fit_a_phone
        return []
    hrefs = page.locator("main a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    found: list[str] = []
    for href in hrefs:
        path = href.split("#")[0]
        if path.startswith(under + "/") and not DOWNLOAD.search(path) and path not in found:
            found.append(path)
    if under in ("/orders", "/documents"):  # one order, one document stand for them all; and the new-order form
        found = [path for path in found if path == "/orders/new"] + [path for path in found if path != "/orders/new"][:1]
    return found[:most]


@pytest.mark.parametrize("role", ROLES)
def test_a_phone_has_no_sideways_scroll_on_any_page_of_the_menu(as_role, role):
    page = as_role(role, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    links = menu_links(page)
    assert links
    wide, seen = {}, set()

    def check(path: str) -> None:
        seen.add(path)
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width

    for path in links:
        check(path)
        for below in sub_pages(page, path.split("?")[0].rstrip("/") or "/"):
            if below not in seen:
                check(below)
    assert not wide, f"pages wider than a 390 px phone for {role}: {wide}"


def test_help_pages_fit_a_phone(as_role):
    page = as_role("reader", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto("/help?lang=en")
    wide = {}
    for path in sub_pages(page, "/help", most=30, help_too=True):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width
    assert not wide, f"help pages wider than a 390 px phone: {wide}"


# Text boxes of different text nodes that overlap by more than 3 px each way (what is not drawn
# left out), and list cells whose caption (td::before) runs out of the cell.
_TEXT_OVER_TEXT = """() => {
  const boxes = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (!node.textContent.trim() || parent.closest('.void-stamp') || !parent.checkVisibility({visibilityProperty: true})) continue;
    const range = document.createRange(); range.selectNodeContents(node);
    for (const r of range.getClientRects()) if (r.width > 1 && r.height > 1) boxes.push([r, node]);
  }
  const found = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, na] = boxes[i], [b, nb] = boxes[j];
    const x = Math.min(a.right, b.right) - Math.max(a.left, b.left), y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (na !== nb && x > 3 && y > 3) found.push(na.textContent.trim().slice(0, 30) + ' / ' + nb.textContent.trim().slice(0, 30));
  }
  const spilled = [...document.querySelectorAll('main td[data-label]')]
    .filter(td => td.checkVisibility() && td.scrollHeight > td.clientHeight + 1).map(td => td.dataset.label);
  return found.slice(0, 5).concat(spilled.slice(0, 5).map(label => 'caption spills: ' + label));
}"""


@pytest.mark.parametrize("lang", ["th", "en"])
def test_on_a_phone_no_text_runs_over_other_text(as_role, lang):
    """The orders list (its two-line caption "Payment / fulfilment" in Thai once ran over the next
    row), an order, the dashboard and a product, at 390 px."""
    page = as_role("clerk", lang, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(f"/orders?lang={lang}")
    order = page.locator("table.list tbody tr a[href^='/orders/']").first.get_attribute("href")
    overlapping = {}
    for path in ("/orders", order, "/", "/stock/product?sku=HONEY-1L", "/shipping"):
        page.goto(f"{path}{'&' if '?' in path else '?'}lang={lang}")
        if found := page.evaluate(_TEXT_OVER_TEXT):
            overlapping[path] = found
    assert not overlapping, overlapping
