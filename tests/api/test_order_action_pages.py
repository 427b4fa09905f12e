"""An order's buttons: mark checking/paid, ship, deliver, return, cancel; back to the order with a
notice, or why not in words with what was typed; only for roles with orders.change."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import form, sign_in, take
from tests.api.test_i18n_pages import problems
from tests.builders import make_order_dict

pytestmark = pytest.mark.db
KEY = {"source": "import", "external_id": "B-1"}


@pytest.fixture
def unpaid(engine):
    take(engine, make_order_dict(external_id="B-1", payment_status="unpaid", paid_at=None))
    return engine


def _act(client, action, **fields):
    return client.post("/order-actions", data=form(client, action=action, **KEY, **fields), follow_redirects=False)


def test_an_order_goes_through_its_buttons(client, unpaid):
    page = client.get("/orders/import/B-1")
    assert 'data-action="paid"' in page.text and 'data-action="deliver"' not in page.text
    for lang in ("th", "en"):
        assert not problems(client.get(f"/orders/import/B-1?lang={lang}").text, lang)
    answer = _act(client, "paid", paid_on="2026-11-20")
    assert answer.status_code == 303 and answer.headers["location"] == "/orders/import/B-1?done=paid"
    failed = _act(client, "ship", carrier="kerry", tracking="")
    assert "failed=invalid_shipment" in failed.headers["location"]
    page = client.get(failed.headers["location"] + "&lang=en").text
    assert "It needs a carrier and a tracking number." in page
    assert _act(client, "ship", carrier="kerry", tracking="KEX9").headers["location"].endswith("done=ship")
    assert _act(client, "deliver").headers["location"].endswith("done=deliver")
    assert "failed=already_delivered" in _act(client, "ship", carrier="kerry", tracking="KEX10").headers["location"]
    assert _act(client, "return").headers["location"].endswith("done=return")
    page = client.get("/orders/import/B-1?done=return&lang=th").text
    assert not problems(page, "th"), problems(page, "th")
    assert _act(client, "cancel").headers["location"].endswith("done=cancel")
    assert "failed=already_cancelled" in _act(client, "cancel").headers["location"]


def test_a_bad_paid_day_is_said_in_words(client, unpaid):
    assert "failed=invalid_date" in _act(client, "paid", paid_on="soon").headers["location"]


@pytest.mark.parametrize("role", ["reader", "accountant"])
def test_roles_that_change_no_orders_are_refused(app, engine, unpaid, role):
    with TestClient(app, raise_server_exceptions=False) as person:
        sign_in(person, engine, role)
        assert 'id="order-actions"' not in person.get("/orders/import/B-1").text
        assert _act(person, "cancel").status_code == 403
