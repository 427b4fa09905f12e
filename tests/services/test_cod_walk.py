"""One COD order from import to remittance, and a refused COD parcel back into stock."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select

from shopledger.adapters.db import reads, tables as t
from shopledger.adapters.db.engine import reading, writing
from shopledger.adapters.db.stock_repo import save_product
from shopledger.services import order_changes as oc
from shopledger.services.intake import Incoming, take_orders
from tests.builders import make_order_dict

pytestmark = pytest.mark.db
T0 = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)


def _cod_order(**kw):
    return make_order_dict(external_id="COD-1", payment_method="cod", payment_status="unpaid", paid_at=None,
                           customer={"name": "คุณสมชาย", "address": "เชียงใหม่"}, **kw)


def _setup_stock(engine):
    from shopledger.domain.stock.movements import plan_receipt
    with writing(engine) as conn:
        save_product(conn, "HONEY-1L", "น้ำผึ้งป่า 1 ลิตร", Decimal("350.00"), Decimal("180.00"), 5, T0)
        save_product(conn, "COMB-200", "รวงผึ้ง 200 กรัม", Decimal("120.00"), Decimal("60.00"), 2, T0)
        conn.execute(t.products.update().where(t.products.c.sku == "HONEY-1L").values(on_hand=10, value_satang=180000))
        conn.execute(t.products.update().where(t.products.c.sku == "COMB-200").values(on_hand=4, value_satang=24000))


def _product(engine, sku):
    with reading(engine) as conn:
        return conn.execute(select(t.products).where(t.products.c.sku == sku)).one()


def _balances(engine):
    with reading(engine) as conn:
        return {a["code"]: Decimal(a["balance"]) for a in reads.trial_balance(conn)["accounts"]}


def test_cod_order_import_ship_deliver(engine):
    _setup_stock(engine)
    take_orders(engine, [Incoming("1", "COD-1", _cod_order())], source="import", actor="test")
    honey = _product(engine, "HONEY-1L")
    assert (honey.on_hand, honey.reserved) == (10, 2)
    oc.change_order(engine, "import", "COD-1", oc.ship("Kerry Express", "KEX123"), "clerk", now=T0.replace(day=21))
    honey = _product(engine, "HONEY-1L")
    assert (honey.on_hand, honey.reserved, honey.value_satang) == (8, 0, 144000)
    balances = _balances(engine)
    assert balances["511101"] == Decimal("420.00")  # 2 x 180 + 1 x 60
    oc.change_order(engine, "import", "COD-1", oc.deliver(), "clerk", now=T0.replace(day=22))
    balances = _balances(engine)
    assert balances["113201"] == Decimal("850.00") and balances["113101"] == 0
    with reading(engine) as conn:
        kinds = [d["kind"] for d in reads.documents(conn)]
        ship = conn.execute(select(t.shipments)).one()
    assert kinds == ["invoice", "receipt_tax_invoice"]
    assert ship.carrier == "kerry" and ship.tracking_url and ship.delivered_at is not None


def test_refused_cod_parcel_comes_back_into_stock(engine):
    _setup_stock(engine)
    take_orders(engine, [Incoming("1", "COD-1", _cod_order())], source="import", actor="test")
    oc.change_order(engine, "import", "COD-1", oc.ship("flash", "TH0001"), "clerk", now=T0.replace(day=21))
    oc.change_order(engine, "import", "COD-1", oc.give_back(), "clerk", now=T0.replace(day=25))
    honey = _product(engine, "HONEY-1L")
    assert (honey.on_hand, honey.reserved, honey.value_satang) == (10, 0, 180000)
    balances = _balances(engine)
    assert balances.get("511101", 0) == 0 and balances.get("113101", 0) == 0 and balances.get("411101", 0) == 0
    with reading(engine) as conn:
        docs = reads.documents(conn)
    assert [(d["kind"], d["status"]) for d in docs] == [("invoice", "void")]
