"""Gapless numbers and whole books when two OS processes import at the same time.

Two spawned processes import 300 orders each into the same database, 150 of them shared (half
identical in both, half an older unpaid version in one and a newer paid one in the other), in
small chunks so their transactions interleave, over two months. Afterwards: every order holds
each of its documents exactly once, the numbers of each prefix and month are exactly 1..N,
every entry balances and the trial balance is zero.
"""
from __future__ import annotations

import multiprocessing
import random
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.engine import make_engine, reading
from shopledger.services.intake import Incoming, take_orders

pytestmark = [pytest.mark.db, pytest.mark.slow]

T0 = datetime(2026, 11, 29, 3, 0, tzinfo=timezone.utc)  # 10:00 in Bangkok; +2 days is December
PER_PROCESS, SHARED = 300, 150
CHUNK = 20


def _when(i: int, minutes: int = 0) -> str:
    """Orders are spread over 29 Nov .. 2 Dec (Bangkok): two months of numbers."""
    return (T0 + timedelta(days=i % 4, minutes=minutes)).isoformat()


def _order(ext: str, i: int, status: str, *, version: int = 0, **extra) -> dict:
    quantity = 1 + i % 3
    total = quantity * 350 + 50
    paid = status in ("paid", "refunded")
    return {"external_id": ext, "channel": "website", "placed_at": _when(i), "updated_at": _when(i, 5 + version),
            "payment_status": status, "fulfillment_status": "unfulfilled", "payment_method": "bank_transfer",
            "paid_at": _when(i, 1) if paid else None, "currency": "THB", "customer": {"name": f"buyer {ext}"},
            "lines": [{"sku": "HONEY-1L", "name": "น้ำผึ้ง", "quantity": quantity, "unit_price": "350.00"}],
            "shipping_fee": "50.00", "total": f"{total}.00", **extra}


def _plan() -> tuple[list[dict], list[dict], dict[str, set[tuple[str, ...]]]]:
    """What each process imports, and the documents (kinds, in order) each order may end with."""
    a, b, expected = [], [], {}
    for i in range(SHARED):
        ext = f"S-{i}"
        if i % 2:  # the same paid order from both sides
            a.append(_order(ext, i, "paid"))
            b.append(_order(ext, i, "paid"))
            expected[ext] = {("receipt_tax_invoice",)}
        else:  # one side saw it unpaid, the other already paid: which lands first decides
            a.append(_order(ext, i, "unpaid"))
            b.append(_order(ext, i, "paid", version=1))
            expected[ext] = {("invoice", "receipt_tax_invoice"), ("receipt_tax_invoice",)}
    cancel_later = []
    for i in range(PER_PROCESS - SHARED):
        ext = f"A-{i}"
        if i % 3 == 0:
            a.append(_order(ext, i, "unpaid"))
            expected[ext] = {("invoice",)}
        else:
            a.append(_order(ext, i, "paid"))
            expected[ext] = {("receipt_tax_invoice",)}
            if i % 3 == 2:
                cancel_later.append(_order(ext, i, "refunded", version=60, cancelled_at=_when(i, 65)))
                expected[ext] = {("receipt_tax_invoice", "credit_note")}
        ext = f"B-{i}"
        if i % 2:
            b.append(_order(ext, i, "unpaid"))
            expected[ext] = {("invoice",)}
        else:
            refund = {"external_id": f"RF-{i}", "amount": "100.00", "created_at": _when(i, 3)}
            b.append(_order(ext, i, "paid", refunds=[refund]))
            expected[ext] = {("receipt_tax_invoice", "credit_note")}
    random.Random(1).shuffle(a)
    random.Random(2).shuffle(b)
    return a + cancel_later, b, expected


# -- what each process does (top level, so a spawned child can import it) ------------------


def _importer(url: str, start, results, name: str, orders: list[dict]) -> None:
    engine = make_engine(url)
    start.wait(120)
    began, failed, taken = time.monotonic(), [], 0
    for at in range(0, len(orders), CHUNK):
        records = [Incoming(f"{name} {at + n}", o["external_id"], o) for n, o in enumerate(orders[at:at + CHUNK])]
        report = take_orders(engine, records, source="shop", actor=f"import {name}")
        failed += [f.as_dict() for f in report.failed]
        taken += report.created + report.updated + report.unchanged
        if at == 0:
            start.wait(120)  # both at work at one moment, however a busy machine schedules them
    results.put((name, began, time.monotonic(), taken, failed))
    engine.dispose()


def _run_both(db_url: str, a: list[dict], b: list[dict]) -> dict:
    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Barrier(2), ctx.Queue()
    jobs = [ctx.Process(target=_importer, args=(db_url, start, results, "A", a)),
            ctx.Process(target=_importer, args=(db_url, start, results, "B", b))]
    for job in jobs:
        job.start()
    outcome = {}
    for _ in jobs:
        name, began, ended, taken, failed = results.get(timeout=300)
        outcome[name] = (began, ended, taken, failed)
    for job in jobs:
        job.join(60)
    assert [job.exitcode for job in jobs] == [0, 0]
    return outcome


# -- the test ------------------------------------------------------------------------------


def test_two_processes_importing_at_once_number_every_document_once_and_without_gaps(engine, db_url):
    a, b, expected = _plan()
    outcome = _run_both(db_url, a, b)
    assert {name: failed for name, (_, _, _, failed) in outcome.items()} == {"A": [], "B": []}
    assert {name: taken for name, (_, _, taken, _) in outcome.items()} == {"A": len(a), "B": len(b)}
    assert max(o[0] for o in outcome.values()) < min(o[1] for o in outcome.values()), "the two never overlapped"

    d, o, e, l = t.documents, t.orders, t.journal_entries, t.journal_lines
    with reading(engine) as conn:
        docs = list(conn.execute(select(d.c.number, d.c.kind, d.c.cause, d.c.date, d.c.refers_to, o.c.external_id)
                                 .join(o, o.c.id == d.c.order_id).order_by(d.c.id)))
        orders = conn.execute(select(func.count()).select_from(o)).scalar_one()
        sequences = {(r.prefix, r.period): r.next_no for r in conn.execute(select(t.document_sequences))}
        entries = list(conn.execute(select(e.c.id, func.sum(l.c.debit).label("debit"), func.sum(l.c.credit).label("credit"))
                                    .join(l, l.c.entry_id == e.c.id).group_by(e.c.id)))
        total_debit, total_credit = conn.execute(select(func.sum(l.c.debit), func.sum(l.c.credit))).one()
        entry_causes = list(conn.execute(select(e.c.order_id, e.c.cause, func.count()).group_by(e.c.order_id, e.c.cause)
                                         .having(func.count() > 1)))

    assert orders == len(expected) == SHARED + 2 * (PER_PROCESS - SHARED)
    # each order has exactly its documents, each once
    held: dict[str, list] = defaultdict(list)
    for doc in docs:
        held[doc.external_id].append(doc)
    assert set(held) == set(expected)
    for ext, kinds in expected.items():
        assert tuple(doc.kind for doc in held[ext]) in kinds, (ext, [(x.number, x.kind) for x in held[ext]])
        assert len({(doc.kind, doc.cause) for doc in held[ext]}) == len(held[ext])
        receipts = [doc for doc in held[ext] if doc.kind == "receipt_tax_invoice"]
        invoices = [doc.number for doc in held[ext] if doc.kind == "invoice"]
        if receipts and invoices:
            assert receipts[0].refers_to == invoices[0]
    assert entry_causes == []
    # numbers: per prefix and month exactly 1..N, and the counter right after N
    by_sequence: dict[tuple[str, str], list[int]] = defaultdict(list)
    for doc in docs:
        prefix, period, number = doc.number.split("-")
        assert period == f"{doc.date:%Y%m}"
        by_sequence[prefix, period].append(int(number))
    assert len(docs) == len({doc.number for doc in docs})
    for key, numbers in by_sequence.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), key
        assert sequences[key] == len(numbers) + 1, key
    assert {key for key, next_no in sequences.items() if next_no > 1} == set(by_sequence)
    assert {p for p, _ in by_sequence} == {"IV", "RT", "CN"} and {m for _, m in by_sequence} == {"202611", "202612"}
    # every entry balances; the trial balance is zero
    assert entries and all(entry.debit == entry.credit for entry in entries)
    assert total_debit == total_credit
    assert Counter(doc.kind for doc in docs)["credit_note"] == sum(
        1 for kinds in expected.values() if ("receipt_tax_invoice", "credit_note") in kinds)
