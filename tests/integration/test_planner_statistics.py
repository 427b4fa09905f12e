"""PostgreSQL that stays fast as tables grow: the import's lookups probe the unique index on
(source, external_id) whatever the statistics say, and an import keeps the statistics current."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import text

from shopledger.adapters.db import orders_repo, statistics
from shopledger.adapters.db.engine import reading
from shopledger.demo.orders import bench_orders
from shopledger.services import intake
from shopledger.services.intake import Incoming, KeptStatistics, take_orders

pytestmark = pytest.mark.db


def _take(engine, n: int, seed: int, source: str = "import"):
    records = [Incoming(f"line {i}", o["external_id"], o) for i, o in enumerate(bench_orders(n, seed), 1)]
    return take_orders(engine, records, source=source, actor="test", batch_size=500)


def test_the_lookups_find_what_is_stored_and_nothing_else(engine):
    _take(engine, 40, seed=3)
    _take(engine, 5, seed=3, source="other")
    wanted = [f"BENCH-3-{i:08d}" for i in (1, 17, 40)] + ["BENCH-3-00000099", "it's; DROP TABLE orders"]
    with reading(engine) as conn:
        hashes = orders_repo.received_hashes(conn, "import", wanted)
        heads = orders_repo.heads_by_key(conn, [("import", w) for w in wanted] + [("other", "BENCH-3-00000001")])
    assert sorted(hashes) == wanted[:3] and all(hashes.values())
    assert sorted(heads) == sorted([("import", w) for w in wanted[:3]] + [("other", "BENCH-3-00000001")])
    assert heads[("import", "BENCH-3-00000017")].external_id == "BENCH-3-00000017"


@pytest.mark.pg
def test_on_postgresql_each_id_is_one_probe_of_the_unique_index(pg_engine):
    engine = pg_engine
    _take(engine, 300, seed=4)
    with reading(engine) as conn:
        # As after a bulk load: statistics from a table much smaller than the one now planned.
        conn.execute(text("UPDATE pg_class SET reltuples = -1 WHERE relname = 'orders'"))
        ids = [f"BENCH-4-{i:08d}" for i in range(1, 301, 3)]
        sql, params = orders_repo.received_hashes_sql(conn, "import", ids)
        cursor = conn.connection.driver_connection.cursor()
        cursor.execute("EXPLAIN (COSTS OFF) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.close()
        conn.rollback()
    assert "Index Scan using uq_orders_source_external_id" in plan, plan
    assert "external_id)::text = wanted.id" in plan and "Filter" not in plan and "Seq Scan" not in plan, plan


def test_a_table_grown_to_twice_its_size_is_analysed_again(engine):
    _take(engine, 120, seed=5)
    analysed = _refreshed(engine, min_rows=100, expect="orders")
    assert {"orders", "order_events"} <= set(analysed)
    assert "orders" not in statistics.refresh(engine, min_rows=100)  # nothing grew since
    _take(engine, 40, seed=6)  # 160 < twice 120
    assert "orders" not in statistics.refresh(engine, min_rows=100)
    _take(engine, 100, seed=7)  # 260 >= twice 120
    assert "orders" in _refreshed(engine, min_rows=100, expect="orders")
    with reading(engine) as conn:
        if engine.dialect.name == "postgresql":
            assert conn.execute(text("SELECT reltuples FROM pg_class WHERE relname = 'orders'")).scalar() == 260
        else:
            stat = conn.execute(text("SELECT stat FROM sqlite_stat1 WHERE tbl = 'orders'")).scalars().first()
            assert stat.split()[0] == "260"


def _refreshed(engine, min_rows: int, expect: str) -> list[str]:
    """PostgreSQL's backends report what they wrote within about a second: ask until it shows."""
    deadline = time.monotonic() + 30  # returns as soon as it shows; a busy machine reports late
    while True:
        analysed = statistics.refresh(engine, min_rows=min_rows)
        if expect in analysed or time.monotonic() > deadline:
            return analysed
        time.sleep(0.2)


def test_an_import_keeps_the_statistics_current_as_it_writes(engine, monkeypatch):
    checks = []
    monkeypatch.setattr(intake.statistics, "refresh", lambda e: checks.append(e) or [])
    monkeypatch.setattr(KeptStatistics, "CHECK_EVERY", 100)
    monkeypatch.setattr(KeptStatistics, "END_CHECK_AT", 30)
    _take(engine, 50, seed=8)  # one batch, 50 written: checked at the end
    assert len(checks) == 1
    _take(engine, 20, seed=9)  # a small import does not check
    assert len(checks) == 1
    records = [Incoming(f"line {i}", o["external_id"], o) for i, o in enumerate(bench_orders(250, 10), 1)]
    take_orders(engine, records, source="import", actor="test", batch_size=60)
    assert len(checks) == 3  # after 120 and 240 written; the last 10 are under END_CHECK_AT


def test_statistics_that_cannot_be_kept_never_fail_an_import(engine, monkeypatch):
    def broken(_engine):
        raise RuntimeError("no ANALYZE today")

    monkeypatch.setattr(intake.statistics, "refresh", broken)
    monkeypatch.setattr(KeptStatistics, "END_CHECK_AT", 1)
    report = _take(engine, 5, seed=11)
    assert (report.created, report.failed) == (5, [])
