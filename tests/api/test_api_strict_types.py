"""Requests are read strictly: a date is text (YYYY-MM-DD), a count a JSON integer, a yes/no a
JSON boolean, money a decimal string. Anything else is 422 naming the field, never 0 taken as
1970-01-01 or `false` as a quantity of 0."""
from __future__ import annotations

import pytest

from shopledger.services import products
from tests.builders import make_order_dict

pytestmark = pytest.mark.db

BAD = {
    "date": [0, False, True, 1.5, "0", "1700000000", "2026-11-30T00:00:00", "30/11/2026"],
    "count": [False, True, 1.5, "5"],  # 5.0 is an integer to JSON Schema, and taken as 5
    "flag": [0, 1, 1.5, "true", "yes"],
    "money": [0, False, True, 1.5, 10],
}
GOOD = {"date": "2026-11-30", "count": 3, "flag": False, "money": "10.00"}

# (method, path, the rest of a valid body, field, kind)
BODIES = [
    ("PATCH", "/api/v1/settings", {}, "closed_through", "date"),
    ("PATCH", "/api/v1/settings", {}, "vat_registered", "flag"),
    ("POST", "/api/v1/settings/vat-rates", {"rate": "7"}, "starts_on", "date"),
    ("PUT", "/api/v1/products/HONEY-1L", {"name": "น้ำผึ้ง", "price": "350.00"}, "low_stock_at", "count"),
    ("PUT", "/api/v1/products/HONEY-1L", {"name": "น้ำผึ้ง"}, "price", "money"),
    ("PUT", "/api/v1/products/HONEY-1L", {"name": "น้ำผึ้ง", "price": "350.00"}, "cost", "money"),
    ("POST", "/api/v1/stock/HONEY-1L/receive", {"unit_cost": "180.00"}, "quantity", "count"),
    ("POST", "/api/v1/stock/HONEY-1L/receive", {"quantity": 2}, "unit_cost", "money"),
    ("POST", "/api/v1/stock/HONEY-1L/count", {}, "quantity", "count"),
]
# (path, field, kind, a good value)
QUERIES = [
    ("/api/v1/reports/trial-balance", "as_of", "date", "2026-11-30"),
    ("/api/v1/orders", "stuck", "flag", "true"),
    ("/api/v1/orders", "limit", "count", "3"),
    ("/api/v1/documents", "offset", "count", "0"),
]
QUERY_BAD = {"date": ["0", "1700000000", "false", "true", "1.5", "2026-11-30T00:00:00"],
             "flag": ["0", "1", "1.5", "yes"], "count": ["false", "true", "1.5"]}


@pytest.fixture
def honey(engine):
    products.add_product(engine, "HONEY-1L", "น้ำผึ้ง", "350.00", "180.00", 5)


def _names_the_field(answer, field: str) -> None:
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["code"] == "invalid_request" and field in problem["detail"]
    assert [e["loc"][-1] for e in problem["errors"]] == [field]


@pytest.mark.parametrize("method, path, rest, field, kind", BODIES, ids=[f"{b[1]}:{b[3]}" for b in BODIES])
def test_a_body_field_of_the_wrong_type_is_422_naming_it(client, admin, honey, method, path, rest, field, kind):
    for value in BAD[kind]:
        _names_the_field(client.request(method, path, headers=admin, json=rest | {field: value}), field)
    good = client.request(method, path, headers=admin, json=rest | {field: GOOD[kind]})
    assert good.status_code == 200, good.text


@pytest.mark.parametrize("path, field, kind, good", QUERIES, ids=[f"{q[0]}:{q[1]}" for q in QUERIES])
def test_a_query_parameter_of_the_wrong_type_is_422_naming_it(client, admin, path, field, kind, good):
    for value in QUERY_BAD[kind]:
        _names_the_field(client.get(path, headers=admin, params={field: value}), field)
    assert client.get(path, headers=admin, params={field: good}).status_code == 200


@pytest.mark.parametrize("value", [False, True, 1.5, 0])
def test_a_keyed_in_order_whose_quantity_is_not_a_count_is_refused(client, admin, value):
    order = make_order_dict(external_id="Q-1")
    order["lines"][0]["quantity"] = value
    answer = client.post("/api/v1/orders", headers=admin, json=order)
    assert answer.status_code == 422 and "quantity" in answer.json()["detail"], answer.text
