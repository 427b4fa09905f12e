"""Books for the accountant's month: the demo shop, and a random import of 1,000 orders over three
months with later versions (paid later, cancelled, refunded) and a closed period between."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest

from shopledger.adapters.db.engine import writing
from shopledger.adapters.db.settings_repo import write_settings
from shopledger.demo.orders import bench_orders
from shopledger.domain.clock import BANGKOK
from shopledger.services import company
from shopledger.services.intake import Incoming, take_orders

SELLER = {"name": "ร้านน้ำผึ้งป่า จำกัด", "address": "1 ถนนนิมมานเหมินท์ เชียงใหม่ 50200",
          "tax_id": "0105556012341", "branch": "00000"}
START = datetime(2026, 8, 1, 9, 0, tzinfo=BANGKOK)
MONTHS = ("2026-08", "2026-09", "2026-10")
CLOSED_THROUGH = date(2026, 9, 30)
MOMENTS = ("placed_at", "updated_at", "paid_at", "cancelled_at")


def _stamp(moment: datetime) -> str:
    return moment.astimezone(BANGKOK).isoformat()


def _shifted(order: dict, delta: timedelta) -> dict:
    for key in MOMENTS:
        if order.get(key):
            order[key] = _stamp(datetime.fromisoformat(order[key]) + delta)
    if order.get("shipment") and order["shipment"].get("shipped_at"):
        order["shipment"]["shipped_at"] = _stamp(datetime.fromisoformat(order["shipment"]["shipped_at"]) + delta)
    return order


def three_month_orders(count: int = 1000, seed: int = 7) -> tuple[list[dict], list[dict]]:
    """First versions placed over Aug-Oct 2026, and later versions of some of them."""
    rng = random.Random(seed)
    span = timedelta(days=91) / count
    first = []
    for index, order in enumerate(bench_orders(count, seed=seed)):
        placed = datetime.fromisoformat(order["placed_at"])
        first.append(_shifted(order, START + index * span - placed))
    later = []
    for order in first:
        placed = datetime.fromisoformat(order["placed_at"])
        roll = rng.random()
        if order["payment_status"] == "unpaid" and not order["cancelled_at"] and order["payment_method"] != "cod":
            if roll < 0.5:  # paid later: payment on the invoice, a receipt/tax invoice
                paid = placed + timedelta(days=rng.randint(1, 12))
                later.append(order | {"payment_status": "paid", "paid_at": _stamp(paid), "updated_at": _stamp(paid)})
            elif roll < 0.65:  # given up: the invoice is voided
                gone = placed + timedelta(days=rng.randint(1, 12))
                later.append(order | {"cancelled_at": _stamp(gone), "updated_at": _stamp(gone)})
        elif order["payment_status"] == "paid" and roll < 0.15:  # cancelled and refunded: a credit note
            back = datetime.fromisoformat(order["paid_at"]) + timedelta(days=rng.randint(1, 9))
            later.append(order | {"payment_status": "refunded", "cancelled_at": _stamp(back), "updated_at": _stamp(back)})
    return first, later


def take(engine, orders: list[dict], source: str = "shop") -> None:
    records = [Incoming(f"item {i}", o["external_id"], o) for i, o in enumerate(orders, 1)]
    report = take_orders(engine, records, source=source, actor="test", batch_size=250)
    assert not report.failed, report.failed[:3]


@pytest.fixture
def three_months(engine):
    """1,000 orders over three months; September closed before the later versions came, so
    some of them land on 1 October."""
    with writing(engine) as conn:
        write_settings(conn, {"company": SELLER})
    first, later = three_month_orders()
    take(engine, first)
    company.update_settings(engine, closed_through=CLOSED_THROUGH)
    take(engine, later)
    return {"months": MONTHS, "first": first, "later": later}
