"""The home page `/`: sales today and this month, orders waiting per status, stuck orders,
stock, COD a courier holds, Import Data; each part to the roles that may see it."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import sign_in, take
from tests.api.test_i18n_pages import problems
from tests.builders import make_order_dict

pytestmark = pytest.mark.db


@pytest.fixture
def shop(engine):
    take(engine, make_order_dict(external_id="P-1"))
    take(engine, make_order_dict(external_id="U-1", payment_status="unpaid", paid_at=None))
    return engine


def test_the_home_page_shows_the_day_in_both_languages(client, shop):
    for lang in ("th", "en"):
        page = client.get(f"/?lang={lang}")
        assert page.status_code == 200 and 'id="sales"' in page.text and 'id="waiting"' in page.text
        assert 'href="/orders?status=to_ship"' in page.text and 'id="stuck"' in page.text and 'id="cod"' in page.text
        assert not problems(page.text, lang), problems(page.text, lang)
    english = client.get("/?lang=en").text
    assert "Orders waiting" in english and "Awaiting payment" in english


def test_each_role_sees_only_its_parts(app, engine, shop):
    for role, sales, alerts in (("clerk", True, True), ("accountant", True, True), ("reader", False, False)):
        with TestClient(app, raise_server_exceptions=False) as person:
            sign_in(person, engine, role)
            page = person.get("/?lang=en")
            assert page.status_code == 200
            assert ('id="sales"' in page.text) == sales and ('id="stuck"' in page.text) == alerts
            assert 'id="waiting"' in page.text
            # the day's sales to a clerk, no other report (web.md: "not reports beyond the day's sales")
            assert ("This month" in page.text) == (role == "accountant")


def test_the_document_list_moved_to_documents_and_old_links_follow(client, shop):
    assert client.get("/documents").status_code == 200
    moved = client.get("/?offset=0", follow_redirects=False)
    assert moved.status_code == 307 and moved.headers["location"] == "/documents?offset=0"


def test_signed_out_goes_to_sign_in(anon_client):
    assert anon_client.get("/", follow_redirects=False).status_code == 303
