"""Document pages: prices before VAT are labelled as such; a credit note shows its values
before VAT against the tax invoice it corrects (Revenue Code 86/10)."""
from __future__ import annotations

import pytest

from tests.api.conftest import take
from tests.builders import make_order_dict, priced_order_dict

pytestmark = pytest.mark.db

ONE_LINE = [{"sku": "A", "name": "a", "quantity": 1, "unit_price": "100.00"}]


def _page(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.text


def test_a_document_priced_before_vat_says_so(client, engine):
    take(engine, priced_order_dict(ONE_LINE, shipping_fee="50.00", prices_include_vat=False))
    html = _page(client, "/documents/RT-202611-00001")
    assert "ราคาไม่รวมภาษีมูลค่าเพิ่ม" in html and "Prices include VAT" not in html
    assert "150.00" in html and "10.50" in html and "160.50" in html


def test_a_credit_note_page_shows_its_values_before_vat(client, engine):
    take(engine, make_order_dict(lines=[{"sku": "A", "name": "a", "quantity": 1, "unit_price": "107.00"}],
                                 shipping_fee="0.00", total="107.00"))
    refund = {"external_id": "R1", "amount": "50.00", "created_at": "2026-11-22T10:00:00+07:00"}
    take(engine, make_order_dict(lines=[{"sku": "A", "name": "a", "quantity": 1, "unit_price": "107.00"}],
                                 shipping_fee="0.00", total="107.00", refunds=[refund],
                                 updated_at="2026-11-22T10:00:00+07:00"))
    html = _page(client, "/documents/CN-202611-00001")
    for shown in ("ไม่รวมภาษีมูลค่าเพิ่ม", "100.00", "53.27", "46.73", "3.27", "50.00"):
        assert shown in html, shown
    assert "107.00" not in html and "57.00" not in html  # the values with VAT in them
