"""No lost update on stock: real OS processes at once import orders, ship them, cancel them
and receive goods of the same SKUs; afterwards every product's on_hand, reserved and value
equal the sums of its movements and what the orders and receipts imply, and 114101 agrees."""
from __future__ import annotations

import multiprocessing
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.engine import make_engine, reading
from shopledger.services import order_changes as oc, products
from shopledger.services.intake import Incoming, take_orders
from shopledger.services.order_views import list_orders

pytestmark = [pytest.mark.db, pytest.mark.slow]
T0 = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)
SKUS = ("HONEY-1L", "COMB-200")
RECEIPTS = [(sku, 5, f"{170 + 3 * i}.00") for i in range(6) for sku in SKUS]   # (sku, qty, unit cost)


def _lines(i: int) -> list[dict]:
    """1-3 of HONEY-1L, and a COMB-200 on every other order: both SKUs are contended."""
    lines = [{"sku": "HONEY-1L", "name": "น้ำผึ้ง", "quantity": 1 + i % 3, "unit_price": "350.00"}]
    if i % 2:
        lines.append({"sku": "COMB-200", "name": "รวงผึ้ง", "quantity": 1, "unit_price": "120.00"})
    return lines


def _order(ext: str, i: int, *, cancelled: bool = False, version: int = 0) -> dict:
    lines = _lines(i)
    total = sum(int(line["unit_price"][:-3]) * line["quantity"] for line in lines)
    moment = (T0 + timedelta(minutes=version)).isoformat()
    return {"external_id": ext, "channel": "website", "placed_at": T0.isoformat(), "updated_at": moment,
            "payment_status": "paid", "fulfillment_status": "unfulfilled", "payment_method": "bank_transfer",
            "paid_at": T0.isoformat(), "currency": "THB", "customer": {"name": f"buyer {ext}"}, "lines": lines,
            "shipping_fee": "0.00", "total": f"{total}.00", "cancelled_at": moment if cancelled else None}


# -- what each process does (top level, so a spawned child can import it) ------------------

def _importer(url: str, start, spans, prefix: str, count: int, cancel: list[int]) -> None:
    engine = make_engine(url)
    began = _begin(start)
    for i in range(count):
        take_orders(engine, [Incoming(str(i), f"{prefix}-{i}", _order(f"{prefix}-{i}", i))], source="web",
                    actor=f"import {prefix}")
        if cancel:
            j = cancel.pop()
            take_orders(engine, [Incoming("c", f"P-{j}", _order(f"P-{j}", j, cancelled=True, version=1))],
                        source="web", actor=f"import {prefix}")
        _midway(start, i)
    spans.put((began, time.monotonic()))
    engine.dispose()


def _shipper(url: str, start, spans, numbers: list[int]) -> None:
    engine = make_engine(url)
    began = _begin(start)
    for n, i in enumerate(numbers):
        oc.change_order(engine, "web", f"P-{i}", oc.ship("kerry", f"KEX{i}"), f"clerk {numbers[0]}")
        _midway(start, n)
    spans.put((began, time.monotonic()))
    engine.dispose()


def _receiver(url: str, start, spans) -> None:
    engine = make_engine(url)
    began = _begin(start)
    for n, (sku, qty, cost) in enumerate(RECEIPTS):
        products.receive_stock(engine, sku, qty, cost, ref="PO")
        _midway(start, n)
    spans.put((began, time.monotonic()))
    engine.dispose()


def _begin(start) -> float:
    """Every process waits here until all have started up (imports and engine done)."""
    start.wait(120)
    return time.monotonic()


def _midway(start, done_before: int) -> None:
    """After its first step each process waits for the others' first step, so all five are at
    work at one moment however the machine schedules them (a busy CI box once let the receiver
    finish before a shipper had begun)."""
    if done_before == 0:
        start.wait(120)


# -- the test ------------------------------------------------------------------------------

def _prepare(engine) -> None:
    for sku in SKUS:
        products.add_product(engine, sku, sku, "100.00", "150.00", 5, now=T0)
        products.receive_stock(engine, sku, 20, "150.00", now=T0)
    records = [Incoming(str(i), f"P-{i}", _order(f"P-{i}", i)) for i in range(24)]
    assert not take_orders(engine, records, source="web", actor="setup", now=lambda: T0).failed


def _run_all(db_url: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    start, spans = ctx.Barrier(5), ctx.Queue()
    jobs = [ctx.Process(target=_importer, args=(db_url, start, spans, "A", 12, [])),
            ctx.Process(target=_importer, args=(db_url, start, spans, "B", 8, [16, 17, 18, 19, 20, 21])),
            ctx.Process(target=_shipper, args=(db_url, start, spans, list(range(0, 8)))),
            ctx.Process(target=_shipper, args=(db_url, start, spans, list(range(8, 16)))),
            ctx.Process(target=_receiver, args=(db_url, start, spans))]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join(300)
    assert [job.exitcode for job in jobs] == [0] * len(jobs)
    began, ended = zip(*(spans.get(timeout=5) for _ in jobs))
    assert max(began) < min(ended)   # there was a moment when all five were at work


def _implied() -> tuple[Counter, Counter]:
    """(on hand, reserved) per SKU from the orders and receipts alone."""
    on_hand, reserved = Counter({sku: 20 for sku in SKUS}), Counter()
    for sku, qty, _ in RECEIPTS:
        on_hand[sku] += qty
    orders = [(f"P-{i}", i) for i in range(24)] + [(f"A-{i}", i) for i in range(12)] + [(f"B-{i}", i) for i in range(8)]
    for ext, i in orders:
        number = int(ext[2:]) if ext.startswith("P-") else None
        for line in _lines(i):
            if number is not None and number < 16:        # shipped
                on_hand[line["sku"]] -= line["quantity"]
            elif number is None or number > 21:           # still waiting to ship
                reserved[line["sku"]] += line["quantity"]
    return on_hand, reserved


def test_concurrent_imports_shipping_and_receipts_lose_no_update(engine, db_url):
    _prepare(engine)
    _run_all(db_url)
    m = t.stock_movements
    on_hand, reserved = _implied()
    with reading(engine) as conn:
        sums = {r.sku: r for r in conn.execute(select(
            m.c.sku, func.sum(m.c.on_hand_delta).label("on_hand"), func.sum(m.c.reserved_delta).label("reserved"),
            func.sum(m.c.value_delta_satang).label("value")).group_by(m.c.sku))}
        stored = {r.sku: r for r in conn.execute(select(t.products))}
        debit, credit = conn.execute(select(func.sum(t.journal_lines.c.debit), func.sum(t.journal_lines.c.credit))
                                     .where(t.journal_lines.c.account == "114101")).one()
        receipts = conn.execute(select(func.count()).select_from(m).where(m.c.kind == "receive")).scalar_one()
    for sku in SKUS:
        row, total = stored[sku], sums[sku]
        assert (row.on_hand, row.reserved, row.value_satang) == (total.on_hand, total.reserved, total.value), sku
        assert (row.on_hand, row.reserved) == (on_hand[sku], reserved[sku]), sku
        assert row.on_hand > 0 and 150_00 * row.on_hand <= row.value_satang <= 185_00 * row.on_hand
    assert receipts == len(SKUS) + len(RECEIPTS)
    assert (debit - credit) * 100 == sum(row.value_satang for row in stored.values())
    shown = Counter(o["display_status"] for o in list_orders(engine))
    assert shown == Counter({"shipped": 16, "cancelled": 6, "to_ship": 2 + 12 + 8})
