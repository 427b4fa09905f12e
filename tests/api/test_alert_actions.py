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
