"""The busiest lists answer without validating each item against their response_model on the
way out (web/api/paging.paged_as); what they answer is byte for byte what validating it would
have given: the model's fields in order, its defaults filled in, then the extras."""
from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from shopledger.services import alerts, listing, order_views, products
from shopledger.web.api.schemas import Alert, Document, OrderView
from tests.api.conftest import CANCELLED, UNPAID, take
from tests.api.test_api_paging import frozen_clock  # noqa: F401 - a fixture: one moment for every utc_now
from tests.builders import make_order_dict

pytestmark = pytest.mark.db


@pytest.fixture
def varied(engine, books):
    """Stuck and not, shipped, cancelled, a product low on stock: every optional field
    both given and left out somewhere."""
    take(engine, make_order_dict(external_id="S-1", fulfillment_status="shipped",
                                 shipment={"carrier": "kerry", "tracking_number": "KER123"}),
         make_order_dict(external_id="C-2", **UNPAID, **CANCELLED))
    products.add_product(engine, "LOW", "low", "10.00", "5.00", 5)
    products.receive_stock(engine, "LOW", 1, "5.00")


def _validated(shape, items) -> bytes:
    adapter = TypeAdapter(list[shape])
    return adapter.dump_json(adapter.validate_python(items))


@pytest.mark.parametrize(("path", "shape", "items"), [
    ("/api/v1/orders", OrderView, lambda e: order_views.orders_page(e, limit=1000).items),
    ("/api/v1/orders?stuck=true", OrderView, lambda e: order_views.orders_page(e, stuck=True, limit=1000).items),
    ("/api/v1/alerts", Alert, lambda e: alerts.alerts_page(e, limit=1000).items),
    ("/api/v1/documents", Document, lambda e: listing.documents(e, 1000, 0).items),
])
def test_a_busy_list_answers_what_its_model_would(client, admin, engine, varied, frozen_clock, path, shape, items):
    response = client.get(path + ("&" if "?" in path else "?") + "limit=1000", headers=admin)
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    listed = items(engine)
    assert len(listed) >= 2
    assert response.content == _validated(shape, listed)
