"""Each alert group's action on the alerts page: a stuck order opens the order, low stock opens
goods in for its SKU, a COD mismatch goes to its Resolve button (web/templates/alerts.html)."""
from __future__ import annotations

import pytest

from shopledger.services.demo import load_demo

pytestmark = pytest.mark.db


@pytest.mark.parametrize("lang", ["th", "en"])
def test_each_group_has_its_action(client, engine, lang):
    load_demo(engine)
    page = client.get(f"/alerts?lang={lang}")
    assert page.status_code == 200
    assert '/stock/product?sku=TEA-GREEN#goods-in' in page.text
    assert 'href="/orders/demo-import/HG-10005"' in page.text
    assert 'href="#stored"' in page.text and "/resolve" in page.text
    assert client.get("/stock/product?sku=TEA-GREEN").status_code == 200


def test_an_unknown_product_has_a_button_that_opens_its_form(client, engine):
    """An order sold a SKU that was not a product: the button opens that product's form (name,
    price, cost), for those who may change stock; an accountant sees no button."""
    from tests.api.conftest import sign_in, take
    from tests.builders import make_order_dict

    take(engine, make_order_dict(external_id="U-1"))  # HONEY-1L and COMB-200 are not products yet
    page = client.get("/alerts?lang=en").text
    assert '<a class="button" href="/stock/product?sku=HONEY-1L">Set up <bdi data-user>HONEY-1L</bdi></a>' in page
    form = client.get("/stock/product?sku=HONEY-1L&lang=en")
    assert form.status_code == 200 and 'action="/stock/product"' in form.text and 'id="price"' in form.text
    sign_in(client, engine, "accountant")  # reads the alerts, changes no stock
    assert "Set up <bdi" not in client.get("/alerts?lang=en").text
