"""GET /api/v1/orders?search= and the orders page's search box, on both databases: a number,
part of a Thai name, a phone typed with dashes, a tracking number, nothing, with a status."""
from __future__ import annotations

import pytest

from shopledger.services import order_changes as oc
from shopledger.services.intake import Incoming, take_orders
from tests.builders import make_order_dict

pytestmark = pytest.mark.db
UNPAID = {"payment_status": "unpaid", "paid_at": None}


@pytest.fixture
def shop(engine):
    people = {"S-1": ("สมชาย ใจดี", "0812345678", {}), "S-2": ("สุนิสา แก้วมณี", "0898765432", UNPAID),
              "S-3": ("วิชัย ศรีสุข", "0861112233", {})}
    records = [Incoming(ext, ext, make_order_dict(external_id=ext, customer={"name": name, "phone": phone}, **kw))
               for ext, (name, phone, kw) in people.items()]
    assert not take_orders(engine, records, source="web", actor="test").failed
    oc.change_order(engine, "web", "S-3", oc.ship("kerry", "KEX998877"), "clerk")


def _ids(answer) -> list[str]:
    assert answer.status_code == 200, answer.text
    return [o["external_id"] for o in answer.json()]


def test_search_over_rest(client, admin, shop):
    get = lambda query: client.get(f"/api/v1/orders?{query}", headers=admin)  # noqa: E731
    assert _ids(get("search=S-2")) == ["S-2"]
    assert _ids(get("search=แก้วมณี")) == ["S-2"]
    assert _ids(get("search=081-234-5678")) == ["S-1"]
    assert _ids(get("search=kex998877")) == ["S-3"]
    assert _ids(get("search=nobody")) == []
    assert _ids(get("search=s-&status=awaiting_payment")) == ["S-2"]
    paged = get("search=s-&limit=1&offset=1")
    assert _ids(paged) == ["S-2"] and paged.headers["X-Total-Count"] == "3"
    assert "search=s-" in paged.headers["Link"] and "offset=2" in paged.headers["Link"]
    too_long = get("search=" + "x" * 301)
    assert (too_long.status_code, too_long.json()["code"]) == (422, "invalid_search")


def test_the_orders_page_search_box(client, shop):
    page = client.get("/orders")
    assert 'name="search"' in page.text
    found = client.get("/orders", params={"search": "081-234-5678"})
    assert found.status_code == 200 and "/orders/web/S-1" in found.text and "/orders/web/S-2" not in found.text
    assert 'value="081-234-5678"' in found.text
    thai = client.get("/orders", params={"search": "สุนิสา", "status": "awaiting_payment"})
    assert "/orders/web/S-2" in thai.text and "/orders/web/S-1" not in thai.text
    none = client.get("/orders", params={"search": "ไม่มีใคร"})
    assert none.status_code == 200 and "/orders/web/S-" not in none.text and "ไม่มีใคร" in none.text
    stuck = client.get("/orders", params={"search": "S-", "stuck": "true"})
    assert stuck.status_code == 200 and 'name="stuck"' in stuck.text
