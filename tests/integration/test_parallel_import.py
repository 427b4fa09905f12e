"""A big file imported by several processes ends with exactly the books of one process."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.engine import make_engine, reading
from shopledger.demo.orders import bench_orders
from shopledger.services.intake import Incoming, take_orders
from shopledger.services.parallel_intake import take_orders_in_parallel
from shopledger.services.setup import init_database
from tests.builders import make_order_dict

pytestmark = [pytest.mark.db, pytest.mark.slow]


def _records(n: int) -> list[Incoming]:
    orders = list(bench_orders(n, seed=5))
    orders.insert(7, make_order_dict(external_id="BAD-1", total="1.00"))  # one bad order among them
    return [Incoming(f"line {i}", o["external_id"], o) for i, o in enumerate(orders, 1)]


def _books(engine) -> tuple:
    with reading(engine) as conn:
        docs = sorted((r.kind, r.cause, str(r.total), str(r.vat), r.date) for r in conn.execute(select(t.documents)))
        numbers = sorted(r.number for r in conn.execute(select(t.documents.c.number)))
        moves = sorted((m.sku, m.kind, m.on_hand_delta, m.reserved_delta, m.value_delta_satang)
                       for m in conn.execute(select(t.stock_movements)))
        products = sorted((p.sku, p.on_hand, p.reserved, p.value_satang) for p in conn.execute(select(t.products)))
    return docs, numbers, moves, products


def test_two_processes_make_the_books_one_process_makes(engine, db_url, tmp_path):
    records = _records(600)
    report = take_orders_in_parallel(db_url, records, source="bench", actor="test", workers=2, batch_size=50)
    assert (report.created, [f.external_id for f in report.failed]) == (600, ["BAD-1"])
    reference = make_engine(f"sqlite:///{tmp_path / 'one.db'}")
    init_database(reference)
    take_orders(reference, records, source="bench", actor="test", batch_size=50)
    # the same documents, movements and positions; numbers gapless though handed out in another order
    ours, theirs = _books(engine), _books(reference)
    assert ours[0] == theirs[0] and ours[2] == theirs[2] and ours[3] == theirs[3]
    assert ours[1] == theirs[1]
    again = take_orders_in_parallel(db_url, records, source="bench", actor="test", workers=2, batch_size=50)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 600)
