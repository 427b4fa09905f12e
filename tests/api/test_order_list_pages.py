"""The orders page: tabs with counts, filters by channel, payment method and day placed; shipping
ticked orders (a tracking number each) or from a sheet; who may."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import form, sign_in, take
from tests.api.test_i18n_pages import problems
from tests.builders import make_order_dict

pytestmark = pytest.mark.db


@pytest.fixture
def shop(engine):
    take(engine, make_order_dict(external_id="A-1", channel="line", payment_method="bank_transfer"))
    take(engine, make_order_dict(external_id="A-2", channel="facebook", payment_method="promptpay"))
    take(engine, make_order_dict(external_id="A-3", channel="facebook", payment_method="cod",
                                 payment_status="unpaid", paid_at=None))
    return engine


def test_tabs_filters_and_both_languages(client, shop):
    for lang in ("th", "en"):
        page = client.get(f"/orders?lang={lang}")
        assert page.status_code == 200 and 'id="status-tabs"' in page.text and 'id="ship-ticked"' in page.text
        assert not problems(page.text, lang), problems(page.text, lang)
    line = client.get("/orders?channel=line").text
    assert "A-1" in line and "A-2" not in line
    cod = client.get("/orders?method=cod&channel=facebook").text
    assert "A-3" in cod and "A-2" not in cod
    assert "A-1" not in client.get("/orders?placed_from=2001-01-01&placed_to=2001-01-02").text
    assert "A-1" in client.get("/orders?placed_from=2001-01-01").text


def test_ship_ticked_orders_and_a_sheet(client, shop):
    answer = client.post("/orders/ship", data=form(client, pick=["import:A-1", "import:A-3"], carrier="kerry",
                                                   **{"tracking:import:A-1": "KEX100", "tracking:import:A-3": ""}))
    assert answer.status_code == 200 and 'class="failed"' in answer.text and "KEX100" in answer.text
    order = client.get("/orders/import/A-1?lang=en").text
    assert "KEX100" in order
    sheet = "external_id,carrier,tracking\nA-2,flash,FL200\nNOPE,flash,FL201\n"
    answer = client.post("/orders/ship-file", data=form(client, source="import"),
                         files={"sheet": ("ship.csv", sheet.encode(), "text/csv")})
    assert answer.status_code == 200 and "FL200" in answer.text and 'class="failed"' in answer.text
    assert not problems(answer.text, "en"), problems(answer.text, "en")


def test_a_reader_sees_no_ship_form_and_may_not_ship(app, engine, shop):
    with TestClient(app, raise_server_exceptions=False) as reader:
        sign_in(reader, engine, "reader")
        assert 'id="ship-ticked"' not in reader.get("/orders").text
        assert reader.post("/orders/ship", data=form(reader, pick="import:A-1", carrier="kerry",
                                                     **{"tracking:import:A-1": "X1"})).status_code == 403
