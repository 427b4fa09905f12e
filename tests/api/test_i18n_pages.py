"""Pages in Thai first, English by a switch (issue 9 point 3; docs/i18n.md).

The catalogue's completeness: every page, drawn from the demo shop plus what the demo does not
hold (each kind of COD statement mismatch, a books conflict, an unknown product, a failed and a
good Import Data run), is read as a person reads it (its text, its captions and labels; the
person's own data, marked `data-user` or with a `lang` of its own, left out), in both
languages. It fails when an internal code shows, when a Thai page shows an English word that
is not on the short list below, or when an English page shows Thai.
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import lxml.html
import pytest

from shopledger.demo_shop.mounted import DEMO_TOKEN
from shopledger.domain.accounting.documents import DocumentKind, DocumentStatus
from shopledger.domain.orders.model import Channel, FulfillmentStatus, PaymentMethod, PaymentStatus
from shopledger.domain.orders.status import DisplayStatus
from shopledger.domain.orders.stuck import SETTING_OF
from shopledger.domain.stock.alerts import StockAlertKind
from shopledger.domain.stock.movements import MovementKind
from shopledger.services import alerts, cod, listing, order_changes as oc, order_views, sources
from shopledger.services.demo import load_demo
from shopledger.services.intake import Incoming, take_orders
from shopledger.services.sync import run_source_sync
from shopledger.web import i18n
from shopledger.web.ui import words
from tests.builders import make_order_dict

pytestmark = pytest.mark.db

# Every code the pages could leak: the enums' values and the other codes of the product.
CODES = ({str(value) for enum in (DisplayStatus, PaymentStatus, FulfillmentStatus, Channel, PaymentMethod,
                                  DocumentKind, DocumentStatus, MovementKind, StockAlertKind) for value in enum}
         | set(alerts._ORDER) | set(SETTING_OF) | set(words.ENTRY_EVENT) | set(words.CREDIT_REASON)
         | set(words.SYNC_STATUS) | set(words.SYNC_TRIGGER) | set(words.SOURCE_KIND) | set(words.ROLE)
         | {"unknown_tracking", "already_remitted", "amount_differs", "duplicate_row", "unreadable_row",
            "not_collected", "receipted_order_unpaid", "receipted_amount_changed", "paid_after_cancellation",
            "refund_without_receipt", "unfulfilled", "verifying"})
# English a Thai page may show: the product's name, and what Thai merchants write in Latin letters.
ALLOWED_IN_THAI = {"shopledger", "COD", "API", "XML"}
SHOWN_ATTRIBUTES = ("data-label", "title", "aria-label", "placeholder", "alt")
THAI = re.compile(r"[\u0E00-\u0E3E\u0E40-\u0E7F]+")  # ฿ (U+0E3F) is money, not Thai
T1 = datetime(2026, 11, 21, 3, 0, tzinfo=timezone.utc)
T2 = datetime(2026, 11, 22, 3, 0, tzinfo=timezone.utc)
T3 = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)


def shown_text(html: str) -> str:
    """What a person reads: text and the attributes shown on screen, without their own data. The
    <title> (which cannot mark data inside it) repeats the page's heading, which is read."""
    root = lxml.html.document_fromstring(html)
    for element in root.xpath("//script | //style | //title | //*[@data-user] | //*[@lang][not(self::html)]"):
        element.drop_tree()
    texts = list(root.itertext())
    texts += [value for element in root.iter() if isinstance(element.tag, str)
              for name in SHOWN_ATTRIBUTES if (value := element.get(name))]
    return "\n".join(texts)


def problems(html: str, lang: str) -> list[str]:
    text = shown_text(html)
    found = [f"code {token!r}" for token in re.findall(r"[A-Za-z][\w\-]*", text)
             if token in CODES and ("_" in token or "-" in token)]
    found += [f"code {line.strip()!r}" for line in text.splitlines() if line.strip() in CODES]
    if lang == "th":
        for token in text.split():
            if not re.search(r"\d", token):
                found += [f"English {word!r} in {token!r}" for word in re.findall(r"[A-Za-z]{2,}", token)
                          if word not in ALLOWED_IN_THAI]
    else:
        found += [f"Thai {m.group()!r} in {text[max(m.start() - 30, 0):m.end() + 30]!r}" for m in THAI.finditer(text)]
    return found


def _statement_rows():
    row = lambda tracking, amount="850.00", fee="15.00": {  # noqa: E731
        "เลขพัสดุ": tracking, "ยอดเก็บเงิน": amount, "ค่าธรรมเนียม": fee, "วันที่โอน": "24/11/2569"}
    return [row("KEX1"), row("KEX2", "800.00"), row("KEX9", "100.00"), row("KEX1"), row("KEX3"), row("KEX7", "abc")]


@pytest.fixture
def everything(engine, client):
    """The demo shop, and what it does not hold: every kind of COD mismatch and books conflict
    the pages word, an unknown product, a failed and a good Import Data run."""
    load_demo(engine)
    shipped = {"C-1": "KEX1", "C-2": "KEX2", "C-3": "KEX3"}
    take_orders(engine, [Incoming(ext, ext, make_order_dict(external_id=ext, payment_method="cod",
                                                            payment_status="unpaid", paid_at=None))
                         for ext in shipped], source="shop", actor="test", now=lambda: T1)
    for ext, tracking in shipped.items():
        oc.change_order(engine, "shop", ext, oc.ship("kerry", tracking), "clerk", now=T1)
    for ext in ("C-1", "C-2"):
        oc.change_order(engine, "shop", ext, oc.deliver(), "courier", now=T2)
    cod.remit_rows(engine, _statement_rows(), "Kerry", "kerry-w47.csv", "clerk", now=T3)
    cod.remit_rows(engine, _statement_rows()[:1], "Kerry", "kerry-w48.csv", "clerk", now=T3)  # already remitted
    take_orders(engine, [Incoming("P-1", "P-1", make_order_dict(external_id="P-1"))], source="shop", actor="test")
    take_orders(engine, [Incoming("P-1", "P-1", make_order_dict(external_id="P-1", payment_status="unpaid", paid_at=None,
                                                                updated_at="2026-11-23T10:00:00+07:00"))],
                source="shop", actor="test")
    sources.add_source(engine, "good", kind="shop-api", base_url="http://testserver/demo-shop", token=DEMO_TOKEN)
    sources.add_source(engine, "broken", kind="shop-api", base_url="http://testserver/demo-shop", token="wrong")
    run_source_sync(engine, "good", extra_settings={"http_client": client})
    assert run_source_sync(engine, "broken", extra_settings={"http_client": client}).status == "failed"
    kinds = {a["kind"] for a in alerts.open_alerts(engine)}
    assert {"cod_mismatch", "books_conflict", "stuck_order", "sync_failed", "unknown_sku"} <= kinds, kinds
    return engine


def _paths(engine) -> list[str]:
    documents = listing.documents(engine, 1000, 0).items
    one_of_each = {(d["kind"], d["status"]): d["number"] for d in documents}
    orders = order_views.orders_page(engine, limit=1000).items
    return (["/", "/documents", "/?offset=50", "/journal", "/journal?offset=50", "/trial-balance", "/trial-balance?as_of=soon",
             "/orders", "/orders?stuck=true", "/orders?status=lost", "/orders?rule=lost", "/orders?search=nobody",
             "/stock", "/alerts", "/sources", "/sync-runs", "/sync-runs?queued=1", "/people", "/no/such/page",
             "/documents/NOPE", "/orders/shop/NOPE", "/orders/new"]
            + ["/accounting", "/accounting/profit-and-loss", "/accounting/balance-sheet", "/accounting/ledger",
               "/accounting/ledger?account=113201", "/accounting/vat", "/accounting/pp30", "/accounting/aging",
               "/accounting/stock-valuation", "/accounting/sales", "/accounting/sales?by=product",
               "/accounting/balance-sheet?as_of=soon", "/accounting/close", "/accounting/close?done=paid",
               "/accounting/close?problem=month_not_over", "/accounting/exports"]
            + ["/documents", "/documents?kind=credit_note&status=issued&month=2026-11", "/documents?search=nobody",
               "/documents?kind=lost", "/documents/pdf", "/documents/pdf?month=2001-01"]
            + ["/stock?search=honey", "/stock?search=nothing-like-it", "/stock/product", "/stock/product?sku=TEA-GREEN",
               "/stock/product?sku=TEA-GREEN&done=received", "/stock/product?problem=invalid_product"]
            + ["/settings", "/settings?done=company", "/settings?problem=invalid_tax_id", "/settings/tokens",
               "/settings?problem=invalid_image", "/settings/payments", "/settings/payments?done=added",
               "/settings/stuck", "/settings/stuck?done=stuck", "/settings/low-stock", "/sources?edit=good"]
            + ["/import", "/import/run?id=1", "/import/run?id=2", "/import/run?id=999"]
            + [f"/orders?stuck=true&rule={code}" for code in SETTING_OF]
            + [f"/orders?status={status}" for status in DisplayStatus]
            + [f"/documents/{number}" for number in one_of_each.values()]
            + [f"/orders/{o['source']}/{o['external_id']}" for o in orders]
            + ["/shipping", "/help", "/import/run/progress?id=1", "/import/run/progress?id=2",
               "/orders/shop/P-1?done=paid", "/orders/shop/P-1?failed=order_locked&action=ship&tracking=KEX5",
               "/orders/shop/C-1?failed=other&action=cancel", "/people?problem=email_exists"])

# Downloads, images and signing out are not pages to read; the help pages are the docs, in
# English on purpose (tests/api/test_api_help.py).
NOT_A_PAGE = re.compile(r"(\.(pdf|csv|xlsx|xml|beancount|zip)|/pdf|/xml|/signout|/images/.*)(\?|$)|^/help/")


def linked_paths(client, paths: list[str], most: int = 400) -> list[str]:
    """The pages and, once each, every page of ours they link to (settings' sections, a product,
    a run, the help pages...), so a page added later is drawn without being listed here."""
    found = list(dict.fromkeys(paths))
    for path in list(found):
        answer = client.get(path)
        if answer.status_code != 200 or "text/html" not in answer.headers.get("content-type", ""):
            continue
        for href in lxml.html.document_fromstring(answer.text).xpath("//main//a/@href"):
            href = href.split("#")[0]
            if href.startswith("/") and not href.startswith("//") and not NOT_A_PAGE.search(href) \
                    and "lang=" not in href and href not in found and len(found) < most:
                found.append(href)
    return found


def test_every_page_speaks_one_language_and_shows_no_code(everything, client):
    found = {}
    paths = linked_paths(client, _paths(everything))
    for lang in ("th", "en"):
        client.get(f"/?lang={lang}")
        for path in paths:
            answer = client.get(path)
            assert answer.status_code in (200, 404), (path, answer.status_code)
            assert f'<html lang="{lang}">' in answer.text or "<html" not in answer.text, (path, lang)  # or a fragment
            if wrong := problems(answer.text, lang):
                found[f"{lang} {path}"] = sorted(set(wrong))
    assert not found, "\n".join(f"{page}: {wrong}" for page, wrong in found.items())


def test_the_checker_sees_a_code_english_on_a_thai_page_and_thai_on_an_english_one():
    page = '<html lang="th"><body><p data-label="สถานะ">รอจัดส่ง</p><td>{}</td><bdi data-user>Somchai</bdi></body></html>'
    assert problems(page.format("ชำระแล้ว"), "th") == []
    assert problems(page.format("awaiting_payment"), "th")
    assert problems(page.format("Paid"), "th") == ["English 'Paid' in 'Paid'"]
    assert problems('<html lang="en"><p>Paid</p><p title="ยกเลิก">x</p></html>', "en")
    assert problems('<html lang="en"><p>unpaid</p></html>', "en") == ["code 'unpaid'"]
    assert problems('<html lang="en"><p>Order <bdi data-user>สมชาย</bdi> <span lang="th">ไทย</span></p></html>',
                    "en") == []


# -- the switch ---------------------------------------------------------------------------------

def test_thai_by_default_english_by_the_switch_and_the_choice_remembered(client):
    first = client.get("/orders")
    assert '<html lang="th">' in first.text and first.headers["content-language"] == "th"
    assert "คำสั่งซื้อ" in first.text and 'href="/orders?lang=en"' in first.text
    english = client.get("/orders?lang=en")
    assert '<html lang="en">' in english.text and english.headers["content-language"] == "en"
    assert f"{i18n.COOKIE}=en" in english.headers["set-cookie"] and "Max-Age" in english.headers["set-cookie"]
    later = client.get("/stock")  # no ?lang: the cookie remembers
    assert '<html lang="en">' in later.text and i18n.COOKIE not in later.headers.get("set-cookie", "")
    assert '<html lang="th">' in client.get("/stock?lang=th").text
    assert '<html lang="th">' in client.get("/alerts").text


def test_a_language_we_do_not_have_changes_nothing(client):
    client.get("/?lang=en")
    answer = client.get("/?lang=xx")
    assert '<html lang="en">' in answer.text and i18n.COOKIE not in answer.headers.get("set-cookie", "")


def test_the_switch_keeps_the_page_and_its_query(client):
    html = client.get("/orders?status=shipped&offset=0").text
    assert 'href="/orders?status=shipped&amp;offset=0&amp;lang=en"' in html
    assert 'href="/orders?status=shipped&amp;offset=0&amp;lang=th"' in html and 'hreflang="en"' in html


def test_the_api_has_no_language(client, admin):
    answer = client.get("/api/v1/documents?lang=en", headers=admin)
    assert answer.status_code == 200 and "content-language" not in answer.headers
    assert i18n.COOKIE not in answer.headers.get("set-cookie", "")


def test_a_persons_saved_language_comes_before_the_cookie(client, monkeypatch):
    saved = []
    monkeypatch.setattr(i18n, "_person_language", lambda request: "en")
    monkeypatch.setattr(i18n, "_save_person_language", lambda request, lang: saved.append(lang))
    client.cookies.set(i18n.COOKIE, "th")
    assert '<html lang="en">' in client.get("/").text
    assert '<html lang="th">' in client.get("/?lang=th").text and saved == ["th"]


# -- pages that went wrong ------------------------------------------------------------------------

def test_a_page_that_does_not_exist_is_a_page_in_the_persons_language(client):
    thai = client.get("/no/such/page")
    assert thai.status_code == 404 and thai.headers["content-type"].startswith("text/html")
    assert "ไม่พบหน้านี้" in thai.text and '<html lang="th">' in thai.text
    english = client.get("/no/such/page?lang=en")
    assert english.status_code == 404 and "Page not found" in english.text
    assert "Page not found" in client.get("/still/nothing").text  # remembered
    assert client.get("/api/v1/nothing").headers["content-type"].startswith("application/problem+json")


def test_an_unexpected_error_on_a_page_is_a_page_without_the_details(app, client):
    def boom():
        raise RuntimeError("secret database password in a message")

    app.add_api_route("/boom", boom)
    app.add_api_route("/api/v1/boom", boom)
    thai = client.get("/boom")
    assert thai.status_code == 500 and thai.headers["content-type"].startswith("text/html")
    assert "เกิดข้อผิดพลาด" in thai.text and "secret" not in thai.text and "Traceback" not in thai.text
    english = client.get("/boom?lang=en")
    assert english.status_code == 500 and "Something went wrong" in english.text
    api = client.get("/api/v1/boom")
    assert api.status_code == 500 and api.json()["code"] == "internal_error"


def test_a_page_address_that_does_not_parse_is_a_page_too(client):
    answer = client.get("/orders?offset=-1&lang=en")
    assert answer.status_code == 422 and "Address not understood" in answer.text


def test_signing_in_and_a_page_the_role_may_not_use_speak_one_language(app, engine, request):
    from fastapi.testclient import TestClient

    from tests.api.conftest import sign_in

    with TestClient(app, raise_server_exceptions=False) as anyone:
        for lang in ("th", "en"):
            page = anyone.get(f"/signin?lang={lang}")
            assert page.status_code == 200 and f'<html lang="{lang}">' in page.text
            assert not problems(page.text, lang), problems(page.text, lang)
    with TestClient(app, raise_server_exceptions=False) as reader:
        sign_in(reader, engine, "reader")
        for lang in ("th", "en"):
            page = reader.get(f"/people?lang={lang}")
            assert page.status_code == 403 and f'<html lang="{lang}">' in page.text
            assert not problems(page.text, lang), problems(page.text, lang)


# -- what a form answers --------------------------------------------------------------------------

def test_what_a_form_answers_speaks_one_language_and_shows_no_code(everything, client, app):
    """The pages a POST answers with: bulk shipping (with failures), a shipping sheet, slips and
    labels, a COD statement row by row (and one that cannot be read), printing nothing, an order
    file (and one that cannot be read), a new API token shown once, another site's form, a
    method a page does not take, an address that does not parse, and an unexpected error."""
    from tests.api.conftest import form

    def boom():
        raise RuntimeError("boom")

    app.add_api_route("/boom-page", boom)
    statement = "tracking,cod,fee\nKEX1,850.00,20.00\nNOPE1,100.00,5.00\nKEX2,1.00,5.00\n"
    sheet = "source,external_id,carrier,tracking\nshop,P-1,flash,FL1\nshop,NOPE,flash,FL2\n"
    order_file = '[{"external_id": "F-1"}, ' + __import__("json").dumps(make_order_dict(external_id="F-2")) + "]"
    posts = {
        "ship ticked": lambda: client.post("/orders/ship", data=form(
            client, pick=["shop:P-1", "shop:C-1", "shop:NOPE"], carrier="kerry",
            **{"tracking:shop:P-1": "KEX77", "tracking:shop:C-1": "", "tracking:shop:NOPE": "X"})),
        "ship sheet": lambda: client.post("/orders/ship-file", data=form(client),
                                          files={"sheet": ("ship.csv", sheet.encode(), "text/csv")}),
        "ship sheet unreadable": lambda: client.post("/orders/ship-file", data=form(client),
                                                     files={"sheet": ("ship.csv", b"\xff\xfe\x00", "text/csv")}),
        "slips": lambda: client.post("/shipping/slips", data=form(client, pick=["shop:C-3", "shop:P-1"], size="a4")),
        "labels": lambda: client.post("/shipping/slips", data=form(client, pick=["shop:C-3"], size="label")),
        "slips of nothing": lambda: client.post("/shipping/slips", data=form(client, size="a4")),
        "COD statement": lambda: client.post("/shipping/cod-statement", data=form(client, carrier="kerry"),
                                             files={"statement": ("k.csv", statement.encode(), "text/csv")}),
        "COD statement unreadable": lambda: client.post("/shipping/cod-statement", data=form(client, carrier="kerry"),
                                                        files={"statement": ("k.csv", b"\xff\x00", "text/csv")}),
        "print nothing": lambda: client.post("/orders/print", data=form(client)),
        "print no documents": lambda: client.post("/orders/print", data=form(client, pick="shop:NOPE")),
        "order file": lambda: client.post("/import/file", data=form(client),
                                          files={"file": ("orders.json", order_file.encode(), "application/json")}),
        "order file unreadable": lambda: client.post("/import/file", data=form(client),
                                                     files={"file": ("orders.json", b"{not json", "application/json")}),
        "token": lambda: client.post("/settings/tokens", data=form(client, name="till", role="clerk")),
        "another site": lambda: client.post("/orders/ship", data=form(client, pick="shop:P-1"),
                                            headers={"Origin": "https://elsewhere.example", "Sec-Fetch-Site": "cross-site"}),
        "a method the page does not take": lambda: client.delete("/orders"),
        "an address that does not parse": lambda: client.get("/orders?offset=-1"),
        "an unexpected error": lambda: client.get("/boom-page"),
    }
    found = {}
    for lang in ("th", "en"):
        client.get(f"/?lang={lang}")
        for name, post in posts.items():
            answer = post()
            assert answer.status_code < 500 or name == "an unexpected error", (name, answer.status_code, answer.text[:300])
            assert f'<html lang="{lang}">' in answer.text, (name, lang, answer.text[:300])
            if wrong := problems(answer.text, lang):
                found[f"{lang} {name}"] = sorted(set(wrong))
    assert not found, "\n".join(f"{page}: {wrong}" for page, wrong in found.items())


def test_a_bank_account_the_merchant_added_is_shown_as_their_data(engine, client):
    """Its name ("เงินฝากธนาคาร SCB …", "Bank SCB …") is what they typed, not ours: on the trial balance
    in Thai it is marked as their data, so neither the checker nor a screen reader takes "SCB" for
    an untranslated word of ours; the chart's own accounts stay words of the catalogue."""
    from shopledger.services import company, payment_accounts

    code = payment_accounts.add_bank_account(engine, "SCB", "987-6-54321-0")["added"]
    company.update_settings(engine, payment_accounts={"promptpay": code})
    take_orders(engine, [Incoming("PP-1", "PP-1", make_order_dict(external_id="PP-1", payment_method="promptpay"))],
                source="shop", actor="test")
    # the journal and the order's entries name it too (not its code twice)
    for path, lang in [(p, lang) for p in ("/trial-balance", "/journal", "/orders/shop/PP-1") for lang in ("th", "en")]:
        page = client.get(f"{path}?lang={lang}").text
        assert code in page and not problems(page, lang), (path, problems(page, lang))
        marked = lxml.html.document_fromstring(page).xpath("//bdi[@data-user]/text()")
        assert any("SCB 987-6-54321-0" in text for text in marked), (path, marked)
        assert "SCB" not in shown_text(page) and f"{code}</code> <bdi data-user>{code}<" not in page
    from tests.api.conftest import form

    preview = client.post("/import/preview?lang=th", data=form(client), files={"file": (
        "orders.json", json.dumps([make_order_dict(external_id="PP-2", payment_method="promptpay")]).encode(),
        "application/json")}).text
    assert "SCB 987-6-54321-0</bdi>" in preview and not problems(preview, "th"), problems(preview, "th")
