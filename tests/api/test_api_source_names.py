"""Every order stays reachable by its address: an id of only dots, or a source name a web
address cannot carry, is refused where it comes in (issue 7, point 16)."""
from __future__ import annotations

import json

import pytest

from shopledger.domain.errors import InvalidOrder
from shopledger.domain.orders.interchange import parse_order
from tests.builders import make_order_dict

pytestmark = pytest.mark.db


@pytest.mark.parametrize("external_id", [".", "..", "..."])
def test_an_id_of_only_dots_is_refused_with_a_reason(external_id):
    with pytest.raises(InvalidOrder, match="only dots"):
        parse_order(make_order_dict(external_id=external_id), "import")


def test_an_id_with_dots_among_other_characters_is_taken():
    assert parse_order(make_order_dict(external_id="INV.2025/../1"), "import").external_id == "INV.2025/../1"


@pytest.mark.parametrize("source", ["a/b", "..", "ร้าน", "-x", "x" * 101])
def test_an_upload_keyed_by_a_source_name_no_address_can_carry_is_refused(client, admin, engine, source):
    body = json.dumps([make_order_dict()]).encode()
    response = client.post("/api/v1/imports", headers=admin, data={"source": source},
                           files={"file": ("orders.json", body, "application/json")})
    assert response.status_code == 422, response.text
    assert "source" in response.json()["detail"]  # named, whichever check caught it
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM orders").scalar() == 0


def test_an_upload_keyed_by_a_plain_source_name_is_taken(client, admin):
    body = json.dumps([make_order_dict()]).encode()
    response = client.post("/api/v1/imports", headers=admin, data={"source": "line-shop.2"},
                           files={"file": ("orders.json", body, "application/json")})
    assert response.status_code == 200 and response.json()["created"] == 1
