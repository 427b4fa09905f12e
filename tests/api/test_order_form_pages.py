"""The new-order form (/orders/new): live totals and VAT from the domain, to the satang; saving
through the intake road (documents, a balanced entry, stock reserved); what was typed kept with
each problem in words; a product search that fills a line; the form without a script; editing an
unpaid order; refunding a paid one in part and in full; roles that change no orders refused."""
from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from shopledger.domain.clock import business_date, utc_now
from shopledger.services import company, order_views, products
from tests.api.conftest import form, sign_in
from tests.api.test_i18n_pages import problems

pytestmark = pytest.mark.db
TODAY = business_date(utc_now())


@pytest.fixture
def shop(engine):
    products.add_product(engine, "HONEY-1L", "น้ำผึ้งป่า 1 ลิตร", "350.00", "200.00")
    products.add_product(engine, "SOAP-HERB", "สบู่สมุนไพร", "89.50", "30.00")
    products.add_product(engine, "TEA-GREEN", "ชาเขียว 100 กรัม", "150.00", "80.00")
    products.receive_stock(engine, "HONEY-1L", 20, "200.00")
    products.receive_stock(engine, "SOAP-HERB", 50, "30.00")
    return engine


def order_fields(client, *, paid=True, **overrides) -> dict:
    """Two lines and a discount: 2 x 350.00 + (1 x 89.50 - 10.00) + 50.00 shipping - 25.25 = 804.25."""
    fields = form(client, customer_name="คุณสมหญิง ใจดี", phone="0812345678", address="เชียงใหม่ 50200",
                  channel="line", payment_method="bank_transfer", paid="yes" if paid else "no",
                  paid_on=TODAY.isoformat(), prices="include", shipping_fee="50", discount="25.25",
                  sku=["HONEY-1L", "SOAP-HERB"], item=["น้ำผึ้งป่า 1 ลิตร", "สบู่สมุนไพร"], quantity=["2", "1"],
                  unit_price=["350.00", "89.50"], line_discount=["", "10"])
    fields.update(overrides)
    return fields


def totals_of(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-total="(\w+)"[^>]*>([^<]*)<', html))


def test_live_totals_and_vat_to_the_satang(client, shop):
    answer = client.post("/orders/totals?lang=en", data=order_fields(client))
    assert answer.status_code == 200
    # VAT inside 804.25 at 7%: 804.25 x 7 / 107 = 52.6145... -> 52.61
    assert totals_of(answer.text) == {"goods": "฿779.50", "shipping": "฿50.00", "discount": "-฿25.25",
                                      "net": "฿751.64", "vat": "฿52.61", "total": "฿804.25"}
    before_vat = client.post("/orders/totals", data=order_fields(client, prices="exclude")).text
    assert totals_of(before_vat)["vat"] == "฿56.30" and totals_of(before_vat)["total"] == "฿860.55"  # 804.25 x 7% on top


def test_the_vat_rate_is_the_setting_in_force_on_the_day(client, shop):
    company.set_vat_rate(shop, "10", TODAY - timedelta(days=3))
    now = totals_of(client.post("/orders/totals", data=order_fields(client)).text)
    assert now["vat"] == "฿73.11" and now["total"] == "฿804.25"  # 804.25 x 10 / 110
    earlier = (TODAY - timedelta(days=10)).isoformat()  # paid before the new rate: 7%
    assert totals_of(client.post("/orders/totals", data=order_fields(client, paid_on=earlier)).text)["vat"] == "฿52.61"


def test_saving_a_paid_order_issues_its_receipt_tax_invoice_with_a_balanced_entry(client, shop):
    answer = client.post("/orders/new", data=order_fields(client, tax_id="0105556012341", branch="0"),
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
    where = answer.headers["location"]
    assert re.fullmatch(r"/orders/manual/MO-\d{6}-\d{5}\?done=created", where)
    external_id = where.split("/")[3].split("?")[0]
    order = order_views.order_detail(shop, "manual", external_id)
    assert order["data"]["customer"]["tax_id"] == "0105556012341" and order["data"]["customer"]["branch"] == "00000"
    assert order["data"]["channel"] == "line" and order["total"] == "804.25" and order["payment_status"] == "paid"
    [document] = order["documents"]
    assert document["kind"] == "receipt_tax_invoice" and document["total"] == "804.25" and document["vat"] == "52.61"
    for entry in order["entries"]:
        debit = sum(Decimal(line["debit"]) for line in entry["lines"])
        assert debit == sum(Decimal(line["credit"]) for line in entry["lines"]) > 0
    assert {m["sku"]: m["reserved_delta"] for m in order["stock_movements"]} == {"HONEY-1L": 2, "SOAP-HERB": 1}
    page = client.get(where + "&lang=en").text
    assert "The order was saved." in page and document["number"] in page
    assert not problems(client.get(where + "&lang=th").text, "th")
    assert "52.61" in client.get(f"/documents/{document['number']}").text


def test_an_unpaid_order_gets_an_invoice(client, shop):
    where = client.post("/orders/new", data=order_fields(client, paid=False), follow_redirects=False).headers["location"]
    order = order_views.order_detail(shop, "manual", where.split("/")[3].split("?")[0])
    assert [d["kind"] for d in order["documents"]] == ["invoice"] and order["payment_status"] == "unpaid"


def test_what_was_typed_is_kept_and_each_problem_said(client, shop):
    bad = order_fields(client, customer_name="", tax_id="0105556012342", paid_on=(TODAY + timedelta(days=2)).isoformat(),
                       quantity=["two", "1"], unit_price=["350.00", "8x"], discount="9999")
    answer = client.post("/orders/new?lang=en", data=bad)
    assert answer.status_code == 422
    page = answer.text
    for said in ("Give the customer's name.", "A tax ID is 13 digits with a right check digit.",
                 "Give the day it was paid, not after today.", "The quantity is a whole number from 1 to 1,000,000.",
                 "Type the price in baht, for example 350 or 350.50.", "The order was not saved"):
        assert said in page, said
    assert 'value="two"' in page and 'value="8x"' in page and 'value="0105556012342"' in page and "สบู่สมุนไพร" in page
    assert order_views.orders_page(shop, limit=10).total == 0
    thai = client.post("/orders/new?lang=th", data=bad)
    assert thai.status_code == 422 and not problems(thai.text, "th"), problems(thai.text, "th")
    too_much = client.post("/orders/new?lang=en", data=order_fields(client, discount="900"))
    assert too_much.status_code == 422 and "The discount is more than the items cost." in too_much.text
    no_lines = order_fields(client, sku=[""], item=[""], quantity=["1"], unit_price=[""], line_discount=[""])
    assert "Add at least one item." in client.post("/orders/new?lang=en", data=no_lines).text


def test_the_form_in_both_languages(client, shop):
    for lang in ("th", "en"):
        page = client.get(f"/orders/new?lang={lang}")
        assert page.status_code == 200 and not problems(page.text, lang), problems(page.text, lang)
    assert 'href="/orders/new"' in client.get("/orders").text and 'href="/orders/new"' in client.get("/").text


def test_a_product_search_fills_a_line(client, shop):
    found = client.get("/orders/products?find=hon&row=1&lang=en").text
    assert "HONEY-1L" in found and "20 available" in found and "SOAP-HERB" not in found
    assert "สบู่" in client.get("/orders/products?find=สบู่&row=0").text
    assert "No product matches" in client.get("/orders/products?find=zzz&row=0&lang=en").text
    line = client.get("/orders/line?row=1&pick=HONEY-1L&quantity=3&line_discount=5")
    assert line.headers["hx-trigger-after-swap"] == "order-line-picked"
    assert 'id="line-1"' in line.text and 'value="350.00"' in line.text and 'value="3"' in line.text
    assert 'value="น้ำผึ้งป่า 1 ลิตร"' in line.text and 'value="5"' in line.text


def test_without_a_script_the_form_recalculates_adds_a_line_and_fills_a_typed_sku(client, shop):
    again = client.post("/orders/new?lang=en", data=order_fields(client, do="recalculate"))
    assert again.status_code == 200 and totals_of(again.text)["total"] == "฿804.25"
    assert order_views.orders_page(shop, limit=10).total == 0
    more = client.post("/orders/new", data=order_fields(client, do="add_line")).text
    assert 'id="line-3"' in more and 'id="line-4"' not in more  # two typed, two blank
    only_sku = order_fields(client, sku=["honey-1l"], item=[""], quantity=["1"], unit_price=[""], line_discount=[""],
                            discount="0", shipping_fee="0")
    filled = client.post("/orders/new?lang=en", data=only_sku)
    assert filled.status_code == 200 and "filled in from the product list" in filled.text
    assert 'value="HONEY-1L"' in filled.text and totals_of(filled.text)["total"] == "฿350.00"
    assert order_views.orders_page(shop, limit=10).total == 0


def test_an_unpaid_order_is_edited_as_a_new_version(client, shop):
    where = client.post("/orders/new", data=order_fields(client, paid=False), follow_redirects=False).headers["location"]
    external_id = where.split("/")[3].split("?")[0]
    page = client.get(where.split("?")[0] + "?lang=en").text
    assert f'href="/orders/edit?source=manual&amp;external_id={external_id}"' in page
    form_page = client.get(f"/orders/edit?source=manual&external_id={external_id}&lang=en")
    assert form_page.status_code == 200 and 'value="คุณสมหญิง ใจดี"' in form_page.text and 'value="25.25"' in form_page.text
    assert not problems(form_page.text, "en")
    changed = order_fields(client, paid=False, source="manual", external_id=external_id, quantity=["3", "1"])
    answer = client.post("/orders/edit", data=changed, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].endswith("?done=edited")
    order = order_views.order_detail(shop, "manual", external_id)
    assert order["total"] == "1154.25"  # one more jar of honey
    assert sorted((d["kind"], d["status"], d["total"]) for d in order["documents"]) == [
        ("invoice", "issued", "1154.25"), ("invoice", "void", "804.25")]
    assert "The order was changed." in client.get(answer.headers["location"] + "&lang=en").text
    client.post("/order-actions", data=form(client, action="paid", source="manual", external_id=external_id))
    locked = client.get(f"/orders/edit?source=manual&external_id={external_id}", follow_redirects=False)
    assert locked.status_code == 303 and "failed=order_locked" in locked.headers["location"]
    refused = client.post("/orders/edit", data=changed, follow_redirects=False)
    assert "failed=order_locked" in refused.headers["location"]


def test_a_paid_order_is_refunded_in_part_then_in_full(client, shop):
    where = client.post("/orders/new", data=order_fields(client), follow_redirects=False).headers["location"]
    external_id = where.split("/")[3].split("?")[0]
    key = {"source": "manual", "external_id": external_id}
    page = client.get(where.split("?")[0] + "?lang=en").text
    assert 'action="/orders/refund"' in page and 'value="804.25"' in page
    too_much = client.post("/orders/refund", data=form(client, **key, amount="900", reason="ชำรุด"), follow_redirects=False)
    assert "refund_failed=invalid_refund" in too_much.headers["location"] and "amount=900" in too_much.headers["location"]
    shown = client.get(too_much.headers["location"] + "&lang=en").text
    assert "no more than what is left" in shown and 'value="900"' in shown
    part = client.post("/orders/refund", data=form(client, **key, amount="100", reason="สินค้าชำรุด 1 ชิ้น"),
                       follow_redirects=False)
    assert part.headers["location"].endswith("?done=refunded")
    order = order_views.order_detail(shop, "manual", external_id)
    notes = [d for d in order["documents"] if d["kind"] == "credit_note"]
    assert [n["total"] for n in notes] == ["100.00"] and order["payment_status"] == "paid"
    assert order["data"]["note"] == "RF-1: สินค้าชำรุด 1 ชิ้น"
    page = client.get(part.headers["location"] + "&lang=th").text
    assert not problems(page, "th") and "สินค้าชำรุด 1 ชิ้น" in page
    rest = client.post("/orders/refund", data=form(client, **key, amount="704.25", reason=""), follow_redirects=False)
    assert rest.headers["location"].endswith("?done=refunded")
    order = order_views.order_detail(shop, "manual", external_id)
    notes = [d for d in order["documents"] if d["kind"] == "credit_note"]
    assert sorted(n["total"] for n in notes) == ["100.00", "704.25"] and order["payment_status"] == "refunded"
    for entry in order["entries"]:
        assert sum(Decimal(l["debit"]) for l in entry["lines"]) == sum(Decimal(l["credit"]) for l in entry["lines"])
    assert 'action="/orders/refund"' not in client.get(where.split("?")[0]).text
    again = client.post("/orders/refund", data=form(client, **key, amount="1"), follow_redirects=False)
    assert "refund_failed=not_paid" in again.headers["location"]


@pytest.mark.parametrize("role", ["reader", "accountant"])
def test_roles_that_change_no_orders_are_refused(app, engine, shop, role):
    with TestClient(app, raise_server_exceptions=False) as person:
        sign_in(person, engine, role)
        assert person.get("/orders/new").status_code == 403
        assert person.post("/orders/new", data=order_fields(person)).status_code == 403
        assert person.post("/orders/totals", data=order_fields(person)).status_code == 403
        assert person.get("/orders/products?find=hon").status_code == 403
        assert person.post("/orders/refund", data=form(person, source="manual", external_id="X", amount="1")).status_code == 403
        assert 'href="/orders/new"' not in person.get("/orders").text
    assert order_views.orders_page(engine, limit=10).total == 0


def test_a_clerk_keys_in_an_order(app, engine, shop):
    with TestClient(app, raise_server_exceptions=False) as clerk:
        sign_in(clerk, engine, "clerk")
        answer = clerk.post("/orders/new", data=order_fields(clerk), follow_redirects=False)
        assert answer.status_code == 303
        order = order_views.order_detail(engine, "manual", answer.headers["location"].split("/")[3].split("?")[0])
        assert order["events"][0]["actor"] == "clerk@shop.test"


def test_a_form_without_its_csrf_token_is_refused(client, shop):
    fields = order_fields(client)
    fields.pop("csrf_token")
    assert client.post("/orders/new", data=fields).status_code == 403
