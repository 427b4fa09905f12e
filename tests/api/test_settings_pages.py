"""Settings pages (web/ui/settings_pages.py, settings_shop.py, settings_sources.py): each form saves
through the service the CLI and the API use (read back through that service here), refuses bad
input with a reason in the person's language and keeps what was typed, and is refused (403) to the
roles web.md does not give it: an admin changes settings, an accountant reads them, a clerk and a
reader do neither."""
from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from shopledger.domain.limits import MAX_DOCUMENT_IMAGE
from shopledger.services import company, document_images, payment_accounts, products, sources, stock_levels, tokens
from shopledger.services.reports import statements
from tests.api.conftest import form, sign_in, take
from tests.builders import make_order_dict

pytestmark = pytest.mark.db


def _png(width: int = 60, height: int = 30, kind: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 30)).save(out, kind)
    return out.getvalue()


@pytest.mark.parametrize("lang", ["th", "en"])
def test_an_admin_sets_the_company_and_a_vat_rate(client, engine, lang):
    answer = client.post("/settings/company", data=form(client, name="ร้านชาดี จำกัด", address="1 ถนนสุขุมวิท กรุงเทพฯ",
                                                        tax_id="0105556012341", branch="00000", vat_registered="yes"),
                         follow_redirects=False)
    assert answer.headers["location"] == "/settings?done=company"
    assert company.show_settings(engine)["company"]["name"] == "ร้านชาดี จำกัด"
    bad = client.post(f"/settings/company?lang={lang}", data=form(client, name="ร้านใหม่", tax_id="1234567890123"))
    assert bad.status_code == 422 and 'value="1234567890123"' in bad.text and 'value="ร้านใหม่"' in bad.text
    assert ("The tax ID fails its check digit." in bad.text) == (lang == "en")
    assert company.show_settings(engine)["company"]["name"] == "ร้านชาดี จำกัด"  # nothing of it was saved
    client.post("/settings/vat-rate", data=form(client, rate="7", starts_on="2027-01-01"))
    refused = client.post(f"/settings/vat-rate?lang={lang}", data=form(client, rate="abc", starts_on="2027-02-01"))
    assert refused.status_code == 422 and 'value="abc"' in refused.text and 'value="2027-02-01"' in refused.text
    assert ("from 0 to below 100" in refused.text) == (lang == "en")
    assert {"rate": "7", "starts_on": "2027-01-01"} in company.show_settings(engine)["vat_rates"]
    page = client.get(f"/settings?done=rate&lang={lang}")
    assert page.status_code == 200 and "ร้านชาดี จำกัด" in page.text and f'<html lang="{lang}">' in page.text


def test_the_address_is_picked_in_parts_and_kept_with_its_codes(client, engine):
    # Bangkok (10) -> Bang Rak (1004) -> Si Lom (100402): the pickers offer each level's choices.
    parts = client.get("/settings/address?province=10&lang=en").text
    assert 'value="1004"' in parts and "Bang Rak" in parts and 'value="100402"' not in parts
    parts = client.get("/settings/address?province=10&district=1004&subdistrict=100402&lang=en").text
    assert 'value="100402" selected' in parts and '<option value="10500"' in parts
    stale = client.get("/settings/address?province=50&district=1004&lang=en").text  # a district of another province
    assert 'value="1004"' not in stale and "Mueang Chiang Mai" in stale
    answer = client.post("/settings/company", data=form(client, name="ร้านชาดี", building_number="99/1",
                                                        address_line="ถนนสีลม", province="10", district="1004",
                                                        subdistrict="100402", postcode="10500", address=""),
                         follow_redirects=False)
    assert answer.status_code == 303
    held = company.show_settings(engine)["company"]
    assert (held["subdistrict_code"], held["district_code"], held["province_code"], held["postcode"]) == (
        "100402", "1004", "10", "10500")
    assert held["address"].startswith("99/1 ถนนสีลม แขวงสีลม") and "etax" in company.show_settings(engine)
    page = client.get("/settings?lang=en").text
    assert 'value="100402" selected' in page and 'value="99/1"' in page
    # A postcode not the subdistrict's: refused, the choices kept as typed.
    bad = client.post("/settings/company?lang=en", data=form(client, building_number="12", province="10",
                                                             district="1004", subdistrict="100402", postcode="10110"))
    assert bad.status_code == 422 and "The address parts do not go together" in bad.text and 'value="12"' in bad.text
    assert company.show_settings(engine)["company"]["building_number"] == "99/1"


def test_a_logo_is_uploaded_checked_shown_and_removed(client, engine):
    logo = _png()
    answer = client.post("/settings/images/logo", data=form(client), files={"file": ("shop.png", logo, "image/png")},
                         follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/settings?done=logo")
    assert document_images.images_shown(engine)["logo"]["filename"] == "shop.png"
    assert document_images.image_of(engine, "logo") == ("image/png", logo)
    page = client.get("/settings?lang=en").text
    assert '<img src="/settings/images/logo?v=' in page and "The logo was" not in page
    preview = client.get("/settings/images/logo")
    assert preview.status_code == 200 and preview.content == logo and preview.headers["content-type"] == "image/png"
    assert client.get("/settings/images/signature").status_code == 404
    jpeg = _png(kind="JPEG")
    assert client.post("/settings/images/signature", data=form(client),
                       files={"file": ("sign.jpg", jpeg, "image/jpeg")}).status_code == 200
    assert document_images.images_shown(engine)["signature"]["media_type"] == "image/jpeg"
    # Not an image, an image cut off, a renamed SVG, one too large: refused with the reason, nothing kept.
    for name, data in (("notes.png", b"hello"), ("cut.png", logo[: len(logo) // 2]),
                       ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
                       ("big.png", logo + b"\0" * (MAX_DOCUMENT_IMAGE + 1 - len(logo)))):
        refused = client.post("/settings/images/logo?lang=en", data=form(client), files={"file": (name, data, "image/png")})
        assert refused.status_code == 422 and "not a PNG or JPEG image that opens" in refused.text, name
        assert document_images.image_of(engine, "logo") == ("image/png", logo)
    assert client.post("/settings/images/logo/remove", data=form(client)).status_code == 200
    assert document_images.images_shown(engine)["logo"] is None and stock_levels.default_level(engine) is None


def test_payment_accounts_added_changed_disabled_and_chosen(client, engine):
    answer = client.post("/settings/payments/banks", data=form(client, bank="กสิกรไทย", number="123-4-56789-0",
                                                               holder="บริษัท ชาดี จำกัด"), follow_redirects=False)
    assert answer.headers["location"] == "/settings/payments?done=added"
    added = next(a for a in payment_accounts.receiving_accounts(engine)["accounts"] if a["added"])
    assert (added["code"], added["bank"], added["number"]) == ("111202", "กสิกรไทย", "123-4-56789-0")
    bad = client.post("/settings/payments/banks?lang=en", data=form(client, bank="SCB", number="12"))
    assert bad.status_code == 422 and "6 to 20 digits" in bad.text and 'value="SCB"' in bad.text
    client.post("/settings/payments/banks/111202", data=form(client, bank="KBank", number="1234567890"))
    changed = next(a for a in payment_accounts.receiving_accounts(engine)["accounts"] if a["code"] == "111202")
    assert (changed["bank"], changed["number"], changed["holder"]) == ("KBank", "1234567890", "")
    # Where the money of a payment method lands: through company.update_settings, as the CLI does.
    client.post("/settings/payments/methods", data=form(client, method_promptpay="111202"))
    assert company.show_settings(engine)["payment_accounts"]["promptpay"] == "111202"
    in_use = client.post("/settings/payments/banks/111202/disable?lang=en", data=form(client))
    assert in_use.status_code == 422 and "choose another account for them first" in in_use.text
    client.post("/settings/payments/methods", data=form(client, method_promptpay="111201"))
    client.post("/settings/payments/banks/111202/disable", data=form(client))
    assert next(a for a in payment_accounts.receiving_accounts(engine)["accounts"] if a["code"] == "111202")["disabled"]
    refused = client.post("/settings/payments/methods?lang=en", data=form(client, method_promptpay="111202"))
    assert refused.status_code == 422 and "That account is disabled" in refused.text
    assert company.show_settings(engine)["payment_accounts"]["promptpay"] == "111201"
    assert client.get("/settings/payments?lang=th").status_code == 200


def test_money_of_a_method_pointed_at_an_added_bank_account_is_booked_there(client, engine):
    client.post("/settings/payments/banks", data=form(client, bank="SCB", number="987-6-54321-0"))
    client.post("/settings/payments/methods", data=form(client, method_promptpay="111202"))
    take(engine, make_order_dict(external_id="PP-1", payment_method="promptpay"))
    banks = {a["code"]: a for a in statements.trial_balance(engine)["accounts"] if a["code"].startswith("1112")}
    assert set(banks) == {"111202"} and banks["111202"]["debit"] == "850.00"
    assert "SCB" in client.get("/trial-balance?lang=en").text


def test_stuck_rules_saved_and_a_wait_that_does_not_read_refused(client, engine):
    answer = client.post("/settings/stuck", data=form(client, wait_unshipped_after="36", unit_unshipped_after="h",
                                                      wait_unpaid_after="5", unit_unpaid_after="d",
                                                      unit_undelivered_after="off"), follow_redirects=False)
    assert answer.headers["location"] == "/settings/stuck?done=stuck"
    rules = company.show_settings(engine)["stuck_rules"]
    assert rules["unshipped_after"] == "1d12h" and rules["unpaid_after"] == "5d" and rules["undelivered_after"] == "off"
    page = client.get("/settings/stuck?lang=en").text
    assert 'name="wait_unshipped_after" value="36"' in page
    bad = client.post("/settings/stuck?lang=en", data=form(client, wait_unpaid_after="two", unit_unpaid_after="d"))
    assert bad.status_code == 422 and "The wait for “Not paid” is not a whole number" in bad.text
    assert 'value="two"' in bad.text and company.show_settings(engine)["stuck_rules"]["unpaid_after"] == "5d"


def test_low_stock_levels_per_product_and_for_those_without(client, engine):
    products.add_product(engine, "TEA-1", "ชาเขียว", "100")
    products.add_product(engine, "TEA-2", "ชาดำ", "100", low_stock_at=3)
    products.add_product(engine, "TEA-3", "ชาขาว", "100")
    client.post("/settings/low-stock/product", data=form(client, sku="TEA-1", level="5"))
    levels = {p["sku"]: p["low_stock_at"] for p in products.stock_levels(engine)}
    assert levels == {"TEA-1": 5, "TEA-2": 3, "TEA-3": None}
    answer = client.post("/settings/low-stock/fill", data=form(client, level="2"), follow_redirects=False)
    assert answer.headers["location"] == "/settings/low-stock?done=filled"
    levels = {p["sku"]: p["low_stock_at"] for p in products.stock_levels(engine)}
    assert levels == {"TEA-1": 5, "TEA-2": 3, "TEA-3": 2}
    bad = client.post("/settings/low-stock/product?lang=en", data=form(client, sku="TEA-2", level="-1"))
    assert bad.status_code == 422 and "a whole number, 0 or more" in bad.text and 'value="-1"' in bad.text
    client.post("/settings/low-stock/product", data=form(client, sku="TEA-2", level=""))
    assert {p["sku"]: p["low_stock_at"] for p in products.stock_levels(engine)}["TEA-2"] is None
    assert client.post("/settings/low-stock/product", data=form(client, sku="NOPE", level="1")).status_code == 404


def test_a_default_low_stock_level_is_given_to_products_created_later(client, engine):
    """Set on /settings/low-stock; a product added on its page, by the service the CLI and API use,
    or created by an imported order naming an unknown SKU gets it; products already there keep
    theirs, a level typed on the product wins, and an empty default gives none again."""
    products.add_product(engine, "OLD-1", "เก่า", "100")
    answer = client.post("/settings/low-stock/default", data=form(client, level="4"), follow_redirects=False)
    assert answer.headers["location"] == "/settings/low-stock?done=default"
    assert stock_levels.default_level(engine) == 4
    page = client.get("/settings/low-stock?done=default&lang=en").text
    assert 'id="default-level-input" name="level" value="4"' in page and "New products will get this level." in page
    assert 'value="4"' in client.get("/stock/product?lang=en").text  # the new-product form shows it
    client.post("/stock/product", data=form(client, sku="NEW-1", name="ใหม่", price="50"))
    client.post("/stock/product", data=form(client, sku="NEW-2", name="ใหม่ 2", price="50", low_stock_at="9"))
    products.add_product(engine, "NEW-3", "ใหม่ 3", "50")
    take(engine, make_order_dict(external_id="U-1"))  # HONEY-1L and COMB-200 are not products yet
    levels = {p["sku"]: p["low_stock_at"] for p in products.stock_levels(engine)}
    assert levels == {"OLD-1": None, "NEW-1": 4, "NEW-2": 9, "NEW-3": 4, "HONEY-1L": 4, "COMB-200": 4}, levels
    client.post("/stock/product", data=form(client, sku="NEW-2", name="ใหม่ 2", price="60"))  # an edit keeps 9
    assert {p["sku"]: p["low_stock_at"] for p in products.stock_levels(engine)}["NEW-2"] == 9
    bad = client.post("/settings/low-stock/default?lang=en", data=form(client, level="a few"))
    assert bad.status_code == 422 and "a whole number, 0 or more" in bad.text and 'value="a few"' in bad.text
    assert stock_levels.default_level(engine) == 4
    client.post("/settings/low-stock/default", data=form(client, level=""))
    assert stock_levels.default_level(engine) is None
    products.add_product(engine, "NEW-4", "ใหม่ 4", "50")
    assert {p["sku"]: p["low_stock_at"] for p in products.stock_levels(engine)}["NEW-4"] is None


def test_a_source_added_changed_and_its_import_button_goes_to_the_live_run(client, engine, queued_runs):
    answer = client.post("/sources?lang=en", data=form(client, name="line-shop", kind="shop-api",
                                                       base_url="https://shop.example/api", token="s3cret",
                                                       daily_at="06:30"))
    assert answer.status_code == 200 and "The source <bdi data-user>line-shop</bdi> was saved." in answer.text  # its push secret, once
    held = sources.get_source(engine, "line-shop")
    assert (held.base_url, held.token, held.daily_at) == ("https://shop.example/api", "s3cret", "06:30")
    form_page = client.get("/sources?edit=line-shop&lang=en").text
    assert 'value="https://shop.example/api"' in form_page and "s3cret" not in form_page
    client.post("/sources", data=form(client, name="line-shop", kind="shop-api", base_url="https://shop.example/v2",
                                      token="", daily_at="", editing="yes"))
    held = sources.get_source(engine, "line-shop")
    assert (held.base_url, held.token, held.daily_at) == ("https://shop.example/v2", "s3cret", None)
    bad = client.post("/sources?lang=en", data=form(client, name="x", kind="shop-api", base_url="ftp://nope",
                                                    token="t", daily_at="25:00"))
    assert bad.status_code == 422 and "http://" in bad.text and 'value="ftp://nope"' in bad.text
    ran = client.post("/sources/line-shop/sync", data=form(client), follow_redirects=False)
    assert ran.status_code == 303 and ran.headers["location"] == f"/import/run?id={queued_runs[-1]}"
    assert client.get(ran.headers["location"]).status_code == 200


def test_tokens_created_shown_once_and_revoked(client, engine):
    made = client.post("/settings/tokens", data=form(client, name="shop-bot", role="clerk"))
    assert made.status_code == 200 and "slp_" in made.text
    assert "slp_" not in client.get("/settings/tokens").text
    assert "A token has that name already." in client.post("/settings/tokens?lang=en", data=form(client, name="shop-bot")).text
    answer = client.post("/settings/tokens/revoke", data=form(client, name="shop-bot"), follow_redirects=False)
    assert answer.headers["location"] == "/settings/tokens?done=revoked"
    assert not tokens.list_tokens(engine)


READ_PAGES = ("/settings", "/settings/payments", "/settings/stuck", "/settings/low-stock", "/settings/address?province=10")
FORMS = {"/settings/company": {"name": "x"}, "/settings/vat-rate": {"rate": "7", "starts_on": "2027-01-01"},
         "/settings/payments/banks": {"bank": "SCB", "number": "1234567890"},
         "/settings/payments/banks/111201": {"bank": "SCB", "number": "1234567890"},
         "/settings/payments/banks/111201/disable": {}, "/settings/payments/methods": {"method_cash": "111201"},
         "/settings/stuck": {"wait_unpaid_after": "1", "unit_unpaid_after": "d"},
         "/settings/low-stock/product": {"sku": "TEA-1", "level": "1"}, "/settings/low-stock/fill": {"level": "1"},
         "/settings/low-stock/default": {"level": "1"},
         "/settings/images/logo/remove": {}, "/settings/tokens": {"name": "x"},
         "/sources": {"name": "x", "kind": "shop-api", "base_url": "https://x.example", "token": "t"}}


@pytest.mark.parametrize("role", ["accountant", "clerk", "reader"])
def test_others_read_or_are_refused(app, engine, role):
    products.add_product(engine, "TEA-1", "ชา", "1")
    with TestClient(app, raise_server_exceptions=False) as c:
        sign_in(c, engine, role)
        for path in READ_PAGES:
            assert c.get(path).status_code == (200 if role == "accountant" else 403), path
        page = c.get("/settings?lang=en").text
        if role == "accountant":  # reads, but is offered no button that changes a setting
            assert "Save the company" not in page and "Upload the logo" not in page
        for path, fields in FORMS.items():
            assert c.post(path, data=form(c, **fields)).status_code == 403, path
        assert c.post("/settings/images/logo", data=form(c), files={"file": ("a.png", _png(), "image/png")}).status_code == 403
        assert c.get("/settings/tokens").status_code == 403
    assert company.show_settings(engine)["company"]["name"] != "x" and not sources.list_sources(engine)
    assert document_images.images_shown(engine)["logo"] is None
