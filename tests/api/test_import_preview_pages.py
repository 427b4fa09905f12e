"""The Import Data page's two steps: an order file previewed (what posting would make, in the
person's language, nothing written), then posted as previewed; books that changed in between are
said and previewed again instead of posted; a big file shows its first orders and a count; a
reader may not, nor may anyone post another person's preview."""
from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from shopledger.services.intake import Incoming, take_orders
from shopledger.web.ui import import_pages
from tests.api.conftest import form, sign_in
from tests.builders import make_order_dict
from tests.services.test_preview import everything

pytestmark = pytest.mark.db

FILE = json.dumps([make_order_dict(external_id="PG-1"), make_order_dict(external_id="PG-BAD", total="1.00"),
                   make_order_dict(external_id="PG-2", payment_status="unpaid", paid_at=None)]).encode()


def _books(engine) -> dict:
    """Every table but the signed-in sessions (a page request may touch its session)."""
    return {name: rows for name, rows in everything(engine).items() if name not in ("sessions", "users")}


def _preview(client, body: bytes = FILE, lang: str = "en"):
    return client.post(f"/import/preview?lang={lang}", data=form(client),
                       files={"file": ("orders.json", body, "application/json")})


def _post_fields(page: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(token|books)" value="([^"]*)"', page))


def _documents(engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        rows = sorted(conn.exec_driver_sql("SELECT number, kind FROM documents"))
        conn.rollback()
    return [tuple(r) for r in rows]


@pytest.mark.parametrize("lang", ["th", "en"])
def test_a_file_previewed_then_posted_makes_what_was_shown(client, engine, lang):
    before = _books(engine)
    page = _preview(client, lang=lang)
    assert page.status_code == 200, page.text
    assert _books(engine) == before  # the preview wrote nothing
    assert "RT-202611-00001" in page.text and "IV-202611-00001" in page.text and "PG-BAD" in page.text
    if lang == "en":
        assert "Totals per account" in page.text and "Nothing has been written yet" in page.text
        assert "Output VAT" in page.text and "Receipt" in page.text
    else:
        assert "ภาษีขาย" in page.text and "Totals per account" not in page.text
    fields = _post_fields(page.text)
    assert set(fields) == {"token", "books"}

    posted = client.post(f"/import/post?lang={lang}", data=form(client, **fields))
    assert posted.status_code == 200 and "orders.json" in posted.text
    assert _documents(engine) == [("IV-202611-00001", "invoice"), ("RT-202611-00001", "receipt_tax_invoice")]
    again = client.post("/import/post?lang=en", data=form(client, **fields))  # the file is gone once posted
    assert "no longer kept" in again.text
    assert len(_documents(engine)) == 2


def test_books_that_changed_since_the_preview_are_said_and_previewed_again(client, engine):
    fields = _post_fields(_preview(client).text)
    take_orders(engine, [Incoming("x", "OTHER-1", make_order_dict(external_id="OTHER-1"))], source="shop", actor="t")
    before = _books(engine)
    page = client.post("/import/post?lang=en", data=form(client, **fields))
    assert "The books changed since the preview" in page.text
    assert _books(engine) == before  # not posted
    assert "RT-202611-00002" in page.text  # previewed again on the books as they are now
    again = _post_fields(page.text)
    assert again["token"] == fields["token"] and again["books"] != fields["books"]
    client.post("/import/post?lang=en", data=form(client, **again))
    assert ("RT-202611-00002", "receipt_tax_invoice") in _documents(engine)


def test_a_big_file_shows_its_first_orders_and_how_many(client, engine, monkeypatch):
    monkeypatch.setattr(import_pages, "PREVIEW_ORDERS", 2)
    body = json.dumps([make_order_dict(external_id=f"BIG-{n}") for n in range(5)]).encode()
    page = _preview(client, body).text
    assert "The first 2 of 5 orders" in page
    assert "BIG-0" in page and "BIG-1" in page and "BIG-4" not in page


def test_a_reader_may_not_and_a_preview_is_its_owners(app, engine, client):
    fields = _post_fields(_preview(client).text)
    with TestClient(app, raise_server_exceptions=False) as other:
        sign_in(other, engine, "reader")
        assert other.post("/import/preview", data=form(other), files={"file": ("o.json", FILE, "application/json")}).status_code == 403
        assert other.post("/import/post", data=form(other, **fields)).status_code == 403
    with TestClient(app, raise_server_exceptions=False) as clerk:
        sign_in(clerk, engine, "clerk")
        assert "no longer kept" in clerk.post("/import/post?lang=en", data=form(clerk, **fields)).text
    assert _documents(engine) == []
    assert client.post("/import/post", data={"token": fields["token"], "books": fields["books"]}).status_code == 403


@pytest.mark.parametrize("lang", ["th", "en"])
def test_a_preview_speaks_one_language_and_shows_no_code(client, engine, lang):
    from tests.api.test_i18n_pages import problems

    from shopledger.services import products

    products.add_product(engine, "HONEY-1L", "น้ำผึ้ง", "350.00", "180.00")
    products.receive_stock(engine, "HONEY-1L", 10, "180.00", ref="opening")
    take_orders(engine, [Incoming("x", "L-1", make_order_dict(external_id="L-1", payment_status="unpaid", paid_at=None)),
                         Incoming("y", "L-3", make_order_dict(external_id="L-3"))], source="import", actor="t")
    shipped = {"carrier": "kerry", "tracking_number": "KEX1", "shipped_at": "2026-11-21T10:00:00+07:00"}
    body = json.dumps([
        make_order_dict(external_id="L-1", payment_status="unpaid", paid_at=None,
                        cancelled_at="2026-11-22T09:00:00+07:00", updated_at="2026-11-22T09:00:00+07:00"),
        make_order_dict(external_id="L-2", fulfillment_status="shipped", shipment=shipped),
        make_order_dict(external_id="L-3", payment_status="refunded", updated_at="2026-11-22T09:00:00+07:00", refunds=[
            {"external_id": "R1", "amount": "850.00", "created_at": "2026-11-21T10:00:00+07:00", "restock": True}]),
        make_order_dict(external_id="L-4", payment_status="refunded", refunds=[  # never receipted: an alert
            {"external_id": "R1", "amount": "850.00", "created_at": "2026-11-21T10:00:00+07:00"}]),
        make_order_dict(external_id="L-BAD", total="1.00")]).encode()
    client.get(f"/?lang={lang}")
    page = _preview(client, body, lang=lang)
    assert page.status_code == 200 and f'<html lang="{lang}">' in page.text
    assert "CN-202611-00001" in page.text  # a credit note, and the void of L-1's invoice
    assert problems(page.text, lang) == []
    fields = _post_fields(page.text)
    take_orders(engine, [Incoming("x", "L-9", make_order_dict(external_id="L-9"))], source="import", actor="t")
    changed = client.post(f"/import/post?lang={lang}", data=form(client, **fields))
    assert problems(changed.text, lang) == []
    posted = client.post(f"/import/post?lang={lang}", data=form(client, **_post_fields(changed.text)))
    assert problems(posted.text, lang) == []
    assert problems(client.post(f"/import/post?lang={lang}", data=form(client, **fields)).text, lang) == []
