"""The pages' "When" field (default now) for actions recorded after the fact: an order's ship,
deliver and return buttons, shipping ticked orders and a sheet, goods in and a count, a courier's
payout statement. A back-dated one lands on its Bangkok day; a closed period, a time still to come
or text that is no date and time is said in the person's words and nothing moves."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from shopledger.domain.clock import BANGKOK, utc_now
from shopledger.services import company, order_views, products
from tests.api.conftest import form, take
from tests.api.test_i18n_pages import problems
from tests.builders import make_order_dict

pytestmark = pytest.mark.db


def _days_ago(days: int, hour: int = 10) -> datetime:
    return (utc_now().astimezone(BANGKOK) - timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def _field(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")  # as a datetime-local field sends it


def _order(external_id, **more):
    placed = _days_ago(6).isoformat()
    return make_order_dict(**{"external_id": external_id, "placed_at": placed, "updated_at": placed,
                              "paid_at": placed} | more)


@pytest.fixture
def shop(engine):
    for sku in ("HONEY-1L", "COMB-200"):
        products.add_product(engine, sku, sku, "100.00")
        products.receive_stock(engine, sku, 20, "50.00", at=_days_ago(7))
    take(engine, _order("P-1"), _order("C-1", payment_method="cod", payment_status="unpaid", paid_at=None),
         _order("P-2"))
    return engine


def _act(client, external_id, action, **fields):
    return client.post("/order-actions", data=form(client, action=action, source="import", external_id=external_id,
                                                   **fields), follow_redirects=False)


def test_the_order_page_records_a_shipment_and_a_delivery_on_the_day_given(client, shop):
    page = client.get("/orders/import/C-1?lang=en").text
    now_field = re.search(r'id="ship-at" type="datetime-local" name="at" value="([^"]+)"', page)
    assert now_field and abs(datetime.fromisoformat(now_field.group(1)).replace(tzinfo=BANGKOK)
                             - utc_now()) < timedelta(minutes=2)  # now, unless changed
    assert _act(client, "C-1", "ship", carrier="kerry", tracking="KEX1",
                at=_field(_days_ago(3, 15))).headers["location"].endswith("done=ship")
    page = client.get("/orders/import/C-1?lang=th").text
    assert 'id="deliver-at"' in page and 'id="return-at"' in page and not problems(page, "th"), problems(page, "th")
    assert _act(client, "C-1", "deliver", at=_field(_days_ago(2, 11))).headers["location"].endswith("done=deliver")
    view = order_views.order_detail(shop, "import", "C-1")
    assert view["shipment"]["shipped_at"].startswith(_days_ago(3).date().isoformat() + "T15:00")
    assert [d["date"] for d in view["documents"] if d["kind"] == "receipt_tax_invoice"] == [
        _days_ago(2).date().isoformat()]
    assert {e["date"] for e in view["entries"] if e["lines"][0]["account"] == "511101"} == {
        _days_ago(3).date().isoformat()}


@pytest.mark.parametrize("lang, closed, future, unreadable", [
    ("en", "That date is in a closed period of the books", "That time is still to come", "That is not a date and time."),
    ("th", "งวดบัญชีที่ปิดแล้ว", "เวลานี้ยังมาไม่ถึง", "นี่ไม่ใช่วันที่และเวลา"),
])
def test_a_closed_future_or_unreadable_time_is_said_in_words_and_nothing_moves(client, shop, lang, closed, future,
                                                                                unreadable):
    company.update_settings(shop, closed_through=_days_ago(5).date())
    times = {closed: _field(_days_ago(5, 20)), future: _field(utc_now().astimezone(BANGKOK) + timedelta(hours=3)),
             unreadable: "soon"}
    for words, at in times.items():
        answer = _act(client, "P-1", "ship", carrier="kerry", tracking="KEX7", at=at)
        assert "failed=" in answer.headers["location"], answer.headers["location"]
        page = client.get(f"{answer.headers['location']}&lang={lang}").text
        assert words in page and "KEX7" in page and at in page     # what was typed is kept
        assert not problems(page, lang), problems(page, lang)

        ticked = client.post(f"/orders/ship?lang={lang}", data=form(client, pick="import:P-2", carrier="kerry",
                                                                    **{"tracking:import:P-2": "KEX8", "at": at}))
        assert ticked.status_code == 200 and words in ticked.text
        sheet = client.post(f"/orders/ship-file?lang={lang}", data=form(client, source="import", at=at),
                            files={"sheet": ("ship.csv", b"order,carrier,tracking\nP-2,kerry,KEX9\n", "text/csv")})
        assert words in sheet.text

        goods = client.post("/stock/receive", data=form(client, sku="HONEY-1L", quantity="5", unit_cost="50", at=at),
                            follow_redirects=False)
        assert "problem=" in goods.headers["location"]
        assert words in client.get(goods.headers["location"] + f"&lang={lang}").text
        counted = client.post("/stock/count", data=form(client, sku="HONEY-1L", counted="3", at=at),
                              follow_redirects=False)
        assert words in client.get(counted.headers["location"] + f"&lang={lang}").text

        payout = client.post(f"/shipping/cod-statement?lang={lang}", data=form(client, carrier="kerry", at=at),
                             files={"statement": ("kerry.csv", b"tracking,cod,fee\nKEX1,850.00,20.00\n", "text/csv")})
        assert payout.status_code == 200 and words in payout.text
    for external_id in ("P-1", "P-2"):
        assert order_views.order_detail(shop, "import", external_id)["fulfillment_status"] == "unfulfilled"
    assert [p["on_hand"] for p in products.stock_levels(shop)] == [20, 20]


def test_goods_in_and_a_count_on_the_stock_page_are_dated_when_given(client, shop):
    page = client.get("/stock/product?sku=HONEY-1L&lang=en").text
    assert 'id="receive-at"' in page and 'id="count-at"' in page
    done = client.post("/stock/receive", data=form(client, sku="HONEY-1L", quantity="5", unit_cost="60",
                                                   at=_field(_days_ago(4, 9))), follow_redirects=False)
    assert done.headers["location"].endswith("done=received")
    moves = products.stock_moves(shop, "HONEY-1L")
    assert moves[0]["at"].startswith(_days_ago(4).date().isoformat() + "T09:00")
