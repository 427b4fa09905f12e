"""Since when a product is oversold or low is noted as movements are recorded, and always says
what replaying every movement would (the alert's `since` no longer replays them per read)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from shopledger.adapters.db import shop_reads, stock_repo, tables as t
from shopledger.adapters.db.engine import reading, writing
from shopledger.services import alerts, products
from shopledger.services.products import iso
from shopledger.services.intake import Incoming, take_orders
from tests.builders import make_order_dict

pytestmark = pytest.mark.db
T0 = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)
HOUR = timedelta(hours=1)


def _sell(engine, ext: str, sku: str, quantity: int, at: datetime) -> None:
    line = {"sku": sku, "name": sku, "quantity": quantity, "unit_price": "10.00"}
    order = make_order_dict(external_id=ext, lines=[line], shipping_fee="0.00", total=f"{10 * quantity}.00",
                            placed_at=at.isoformat(), updated_at=at.isoformat(), paid_at=at.isoformat())
    report = take_orders(engine, [Incoming(ext, ext, order)], source="web", actor="test", now=lambda: at)
    assert not report.failed, report.failed


def _times(engine, sku: str) -> tuple:
    """(noted oversold, replayed oversold, noted low, replayed low)."""
    with reading(engine) as conn:
        row = conn.execute(select(t.products).where(t.products.c.sku == sku)).one()
        available = row.on_hand - row.reserved

        def replay(level):
            if level is None or available > level:
                return None
            return shop_reads.available_fell_at(conn, sku, available, level, row.created_at)

        return row.oversold_since, replay(-1), row.low_since, replay(row.low_stock_at)


def _agree(engine, sku: str) -> tuple:
    oversold, replayed_oversold, low, replayed_low = _times(engine, sku)
    assert (oversold, low) == (replayed_oversold, replayed_low)
    return oversold, low


def test_noted_times_follow_every_change_as_a_replay_would(engine):
    products.add_product(engine, "H", "Honey", "10.00", "5.00", 3, now=T0)
    assert _agree(engine, "H") == (None, T0)                           # nothing in yet: low from the start
    products.receive_stock(engine, "H", 5, "5.00", now=T0 + HOUR)
    assert _agree(engine, "H") == (None, None)
    _sell(engine, "A", "H", 2, T0 + 2 * HOUR)                           # 3 left: at the level
    assert _agree(engine, "H") == (None, T0 + 2 * HOUR)
    _sell(engine, "B", "H", 1, T0 + 3 * HOUR)                           # lower still: the first moment stays
    assert _agree(engine, "H") == (None, T0 + 2 * HOUR)
    _sell(engine, "C", "H", 4, T0 + 4 * HOUR)                           # -2: oversold
    assert _agree(engine, "H") == (T0 + 4 * HOUR, T0 + 2 * HOUR)
    products.receive_stock(engine, "H", 10, "5.00", now=T0 + 5 * HOUR)  # 8: fine again
    assert _agree(engine, "H") == (None, None)
    products.add_product(engine, "H", "Honey", "10.00", None, 20, now=T0 + 6 * HOUR)   # a new level: replayed
    assert _agree(engine, "H")[1] is not None
    [low] = [a for a in alerts.open_alerts(engine, T0 + 6 * HOUR) if a["kind"] == "low_stock"]
    assert low["since"] == iso(_times(engine, "H")[2])


def test_an_unknown_sku_is_oversold_from_its_first_sale_and_older_rows_are_filled_in(engine):
    _sell(engine, "A", "NEW", 1, T0)
    _sell(engine, "B", "NEW", 1, T0 + HOUR)
    assert _agree(engine, "NEW") == (T0, None)
    with writing(engine) as conn:   # as a database from before these columns holds them
        conn.execute(update(t.products).values(oversold_since=None, low_since=None))
        assert stock_repo.fill_in_alert_times(conn) == 1
    assert _agree(engine, "NEW") == (T0, None)
    [oversell] = [a for a in alerts.open_alerts(engine, T0 + HOUR) if a["kind"] == "oversell"]
    assert oversell["since"] == "2026-11-20T10:00:00+07:00"
