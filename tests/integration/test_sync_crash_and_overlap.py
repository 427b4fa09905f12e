"""Import Data is safe to overlap and to crash: real processes, a real shop on 127.0.0.1,
on SQLite and on PostgreSQL."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.engine import make_engine, reading
from shopledger.bootstrap import load_connectors
from shopledger.demo_shop.app import create_shop_app
from shopledger.demo_shop.server import serve_in_thread
from shopledger.demo_shop.store import Fault, ShopStore
from shopledger.services import sources
from shopledger.services.sync import run_source_sync

pytestmark = [pytest.mark.db, pytest.mark.slow]
CHILD = str(Path(__file__).with_name("sync_child.py"))
ROOT = str(Path(__file__).resolve().parents[2])
NOW = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)
TOKEN = "t0ken"


@pytest.fixture
def shop_url():
    store = ShopStore(clock=lambda: NOW)
    store.seed_demo(n=120, now=NOW, seed=11)
    with serve_in_thread(create_shop_app(store, TOKEN)) as url:
        yield url, store


def _child(db_url: str) -> subprocess.Popen:
    env = os.environ | {"PYTHONPATH": ROOT}
    return subprocess.Popen([sys.executable, CHILD, db_url, "web", "10", "5"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _books(engine) -> tuple[list, list, list]:
    """Documents, entries (with lines) and stock movements, in a form two databases can be compared by."""
    with reading(engine) as conn:
        docs = sorted((r.number, r.kind, r.status, str(r.total), str(r.vat), r.refers_to, r.cause)
                      for r in conn.execute(select(t.documents)))
        lines: dict[int, list] = {}
        for l in conn.execute(select(t.journal_lines).order_by(t.journal_lines.c.id)):
            lines.setdefault(l.entry_id, []).append((l.account, str(l.debit), str(l.credit)))
        entries = sorted((e.document_number or "", e.cause or "", e.event, str(e.date), tuple(lines[e.id]))
                         for e in conn.execute(select(t.journal_entries)))
        moves = sorted((m.sku, m.kind, m.on_hand_delta, m.reserved_delta, m.value_delta_satang, m.cause)
                       for m in conn.execute(select(t.stock_movements)))
    return docs, entries, moves


def _assert_gapless(docs) -> None:
    by_series: dict[str, list[int]] = {}
    for number, *_ in docs:
        prefix, period, seq = number.split("-")
        by_series.setdefault(f"{prefix}-{period}", []).append(int(seq))
    for series, seqs in by_series.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), series


def test_two_runs_of_one_source_at_once_make_each_document_once(engine, db_url, shop_url):
    url, store = shop_url
    sources.add_source(engine, "web", kind="shop-api", base_url=url, token=TOKEN)
    store.inject(*[Fault.delay(0.01)] * 30)
    first, second = _child(db_url), _child(db_url)
    outs = [p.communicate(timeout=180) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outs
    docs, entries, _ = _books(engine)
    with reading(engine) as conn:
        orders = conn.execute(select(t.orders.c.id)).all()
    assert len(orders) == 120
    causes = [(d[1], d[6], d[0]) for d in docs]
    assert len({(kind, cause, number) for kind, cause, number in causes}) == len(docs)
    _assert_gapless(docs)
    with reading(engine) as conn:
        per_order = conn.execute(select(t.documents.c.order_id, t.documents.c.kind, t.documents.c.cause)).all()
    assert len(per_order) == len(set(per_order))


def _reference_books(tmp_path, url) -> tuple:
    """The same shop imported in one uninterrupted run into a database of its own."""
    from shopledger.services.setup import init_database
    engine = make_engine(f"sqlite:///{tmp_path / 'reference.db'}")
    init_database(engine)
    sources.add_source(engine, "web", kind="shop-api", base_url=url, token=TOKEN)
    assert run_source_sync(engine, "web", flush_at=10, extra_settings={"page_size": 5}).status == "succeeded"
    books = _books(engine)
    engine.dispose()
    return books


def _wait_until_orders_stored(engine, child, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and child.poll() is None:
        with reading(engine) as conn:
            if conn.execute(select(t.orders.c.id).limit(1)).first() is not None:
                return
        time.sleep(0.02)
    raise AssertionError("the child stored no order before it ended or timed out")


@pytest.mark.parametrize("seed", [1, 2])
def test_a_run_killed_at_a_random_point_then_rerun_ends_as_an_uninterrupted_run(engine, db_url, shop_url, tmp_path, seed):
    load_connectors()
    url, store = shop_url
    expected = _reference_books(tmp_path, url)
    sources.add_source(engine, "web", kind="shop-api", base_url=url, token=TOKEN)
    store.inject(*[Fault.delay(0.05)] * 40)
    child = _child(db_url)
    _wait_until_orders_stored(engine, child)  # the run is under way: kill it at a random point after
    time.sleep(random.Random(seed).uniform(0.0, 0.6))
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    store.faults.clear()
    with reading(engine) as conn:
        half = conn.execute(select(t.orders.c.id)).all()
    assert len(half) < 120, "the kill came after the run had finished: no crash was tested"
    rerun = run_source_sync(engine, "web", flush_at=10, extra_settings={"page_size": 5})
    assert rerun.status == "succeeded"
    assert _books(engine) == expected
