"""Shipping and COD: orders to ship, packing slips and labels, COD by courier and age, a payout
statement row by row; who may."""
from __future__ import annotations

import lxml.html
import pytest
from fastapi.testclient import TestClient

from shopledger.services import company, order_changes as oc
from tests.api.conftest import form, sign_in, take
from tests.api.test_i18n_pages import problems
from tests.builders import make_order_dict

pytestmark = pytest.mark.db


@pytest.fixture
def shop(engine):
    take(engine, make_order_dict(external_id="S-1"))
    take(engine, make_order_dict(external_id="C-1", payment_method="cod", payment_status="unpaid", paid_at=None))
    oc.change_order(engine, "import", "C-1", oc.ship("kerry", "KEX1"), "test")
    oc.change_order(engine, "import", "C-1", oc.deliver(), "test")
    return engine


def test_the_page_slips_and_a_statement_in_both_languages(client, shop):
    for lang in ("th", "en"):
        page = client.get(f"/shipping?lang={lang}")
        assert page.status_code == 200 and "S-1" in page.text and 'id="cod-statement"' in page.text
        assert not problems(page.text, lang), problems(page.text, lang)
        for size in ("a4", "label", "sheet"):
            slips = client.post("/shipping/slips", data=form(client, pick="import:S-1", size=size))
            assert slips.status_code == 200 and f"slip-{size}" in slips.text
            assert not problems(slips.text, lang), problems(slips.text, lang)
    statement = "tracking,cod,fee\nKEX1,850.00,20.00\nNOPE1,100.00,5.00\n"
    answer = client.post("/shipping/cod-statement", data=form(client, carrier="kerry"),
                         files={"statement": ("kerry.csv", statement.encode(), "text/csv")})
    assert answer.status_code == 200 and 'class="mismatch"' in answer.text
    assert not problems(answer.text, "en"), problems(answer.text, "en")


def test_a_packing_slip_has_a_tick_box_a_line_and_a_label_its_sender_phone_cod_and_tracking(client, engine, shop):
    """web.md: packing slips (lines, quantities, a tick box each) and address labels (sender,
    recipient, phone, COD amount, tracking number) on A4 sheets and 100x150 mm."""
    company.update_settings(engine, company={"name": "ร้านชาดี", "address": "1 ถนนสีลม กรุงเทพฯ 10500"})
    take(engine, make_order_dict(external_id="L-1", payment_method="cod", payment_status="unpaid", paid_at=None))
    oc.change_order(engine, "import", "L-1", oc.ship("kerry", "KEX777"), "test")
    slip = lxml.html.document_fromstring(client.post("/shipping/slips?lang=en", data=form(
        client, pick="import:L-1", size="a4")).text)
    rows = slip.xpath("//article[contains(@class, 'slip-a4')]//tbody/tr")
    assert len(rows) == len(make_order_dict()["lines"]) and all(row.xpath(".//td[@class='tick']/span[@class='tickbox']") for row in rows)
    assert slip.xpath("//th[@class='tick']/text()") == ["Packed"]
    for size in ("label", "sheet"):
        page = client.post("/shipping/slips?lang=en", data=form(client, pick=["import:L-1", "import:S-1"], size=size))
        root = lxml.html.document_fromstring(page.text)
        labels = root.xpath(f"//div[@class='label-{size}']/article[contains(@class, 'slip-{size}')]")
        assert len(labels) == 2, page.text[-2000:]
        shipped = labels[0].text_content()
        assert "From: ร้านชาดี" in shipped and "1 ถนนสีลม" in shipped
        assert "Phone 0812345678" in shipped and "COD ฿" in shipped, shipped
        assert "Tracking number: KEX777 · Kerry Express" in shipped, shipped
        assert "Tracking number: ____" in labels[1].text_content()  # not shipped yet: room to write it
        assert not problems(page.text, "en"), problems(page.text, "en")


def test_who_may(app, engine, shop):
    with TestClient(app, raise_server_exceptions=False) as reader:
        sign_in(reader, engine, "reader")
        assert reader.get("/shipping").status_code == 403
    with TestClient(app, raise_server_exceptions=False) as accountant:
        sign_in(accountant, engine, "accountant")
        page = accountant.get("/shipping").text
        assert 'id="cod"' in page and 'id="cod-statement"' not in page
        assert accountant.post("/shipping/cod-statement", data=form(accountant, carrier="kerry"),
                               files={"statement": ("k.csv", b"tracking,cod\n", "text/csv")}).status_code == 403
