"""Versions of one order that share an `updated_at` resolve to the same one on every import,
whichever order they come in and however many times the file is imported (issue 7, point 1)."""
from __future__ import annotations

import itertools

import pytest

from shopledger.adapters.db import reads
from shopledger.adapters.db.engine import reading
from shopledger.services.intake import Incoming, take_orders

pytestmark = pytest.mark.db

_BASE = {"external_id": "X", "channel": "website", "placed_at": "2026-11-20T10:00:00+07:00",
         "updated_at": "2026-11-21T09:05:00+07:00", "payment_status": "paid",
         "fulfillment_status": "unfulfilled", "cancelled_at": None, "payment_method": "bank_transfer",
         "paid_at": "2026-11-21T09:00:00+07:00", "currency": "THB", "prices_include_vat": True,
         "customer": {"name": "ลูกค้า"}, "lines": [{"sku": "A", "name": "a", "quantity": 1, "unit_price": "107.00"}],
         "shipping_fee": "0.00", "discount": "0.00", "total": "107.00", "refunds": []}
PAID = dict(_BASE)
PAID_CANCELLED = dict(_BASE, cancelled_at="2026-11-21T09:05:00+07:00")


def _import(engine, *orders, batch_size=1000):
    records = [Incoming(f"item {i}", o["external_id"], o) for i, o in enumerate(orders, 1)]
    return take_orders(engine, records, source="import", actor="test", batch_size=batch_size)


def _books(engine):
    with reading(engine) as conn:
        return ([(d["number"], d["kind"], d["status"]) for d in reads.documents(conn)],
                len(reads.entries(conn)))


@pytest.mark.parametrize("file", [(PAID, PAID_CANCELLED), (PAID_CANCELLED, PAID)], ids=["paid-first", "cancel-first"])
def test_reimporting_a_file_with_two_versions_at_one_time_changes_nothing(engine, file):
    first = _import(engine, *file)
    after_first = _books(engine)
    # the cancelled version wins the tie: a cancelled order with no documents is recorded only
    assert after_first == ([], 0)
    for _ in range(3):
        again = _import(engine, *file)
        assert (again.created, again.updated, again.failed) == (0, 0, [])
        assert _books(engine) == after_first
    assert first.created == 1


def test_the_same_versions_in_separate_batches_end_the_same(engine):
    """One version per batch (as two workers or two files would see them): the one further
    along its life wins over an equal time and stays."""
    _import(engine, PAID_CANCELLED, PAID, batch_size=1)
    books = _books(engine)
    _import(engine, PAID, batch_size=1)
    _import(engine, PAID_CANCELLED, PAID, batch_size=1)
    assert _books(engine) == books
    assert books == ([], 0)


def test_equal_times_resolve_by_content_not_by_arrival():
    """Pure: for every arrival order of three versions at one time, the same one wins."""
    from shopledger.domain.orders.interchange import parse_order
    from shopledger.domain.orders.versions import newest

    unpaid = dict(_BASE, payment_status="unpaid", paid_at=None)
    versions = [parse_order(v, "import") for v in (unpaid, PAID, PAID_CANCELLED)]
    winners = {newest(list(p)).cancelled_at is not None for p in itertools.permutations(versions)}
    assert winners == {True}
