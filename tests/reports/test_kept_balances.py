"""The balances kept per account and day always equal the journal lines summed per account and
day: after imports, later versions (payments, voids, credit notes, refunds), a closed period,
goods in, VAT settled, a year closed, and a crash mid-import (the child killed with SIGKILL)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from shopledger.adapters.db import balances, tables as t
from shopledger.adapters.db.engine import make_engine, reading
from shopledger.services import company, products
from shopledger.services.reports import statements, vat
from tests.reports.conftest import three_month_orders, take

pytestmark = pytest.mark.db
ROOT = str(Path(__file__).resolve().parents[2])
CHILD = str(Path(__file__).with_name("import_child.py"))


def assert_kept_equal_lines(engine) -> None:
    with reading(engine) as conn:
        kept = balances.per_account_and_day(conn)
        assert kept == balances.lines_per_account_and_day(conn)
        assert sum(d for d, _ in kept.values()) == sum(c for _, c in kept.values())


ORDERS, LATER = three_month_orders(count=120, seed=11)
OPERATIONS = st.lists(st.sampled_from(["import", "later", "close", "goods", "settle", "year", "rebuild"]),
                      min_size=2, max_size=7)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS, cut=st.integers(10, 110), seed=st.integers(0, 3))
def test_kept_balances_equal_the_lines_whatever_happens(sqlite_template, tmp_path_factory, operations, cut, seed):
    path = tmp_path_factory.mktemp("kept") / "books.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        imported = 0
        later = [o for o in LATER if o["external_id"] in {x["external_id"] for x in ORDERS[:cut]}]
        for step, operation in enumerate(operations):
            if operation == "import":
                take(engine, ORDERS[imported:imported + cut])
                imported = min(len(ORDERS), imported + cut)
            elif operation == "later":
                done = {x["external_id"] for x in ORDERS[:imported]}
                take(engine, [o for o in later if o["external_id"] in done])
            elif operation == "close":
                company.update_settings(engine, closed_through=date(2026, 8, 15) + timedelta(days=15 * seed))
            elif operation == "goods":
                sku = f"SKU-{seed}-{step}"
                at = datetime(2026, 9, 1, 3, tzinfo=timezone.utc)
                products.add_product(engine, sku, "ของ", "100.00", "40.00", None, now=at)
                products.receive_stock(engine, sku, 5 + seed, "40.00", ref="test", actor="test", now=at)
            elif operation == "settle":
                vat.settle(engine, "2026-08", now=datetime(2026, 12, 1, 3, tzinfo=timezone.utc))
            elif operation == "year":
                statements.close_year(engine, 2026, now=datetime(2027, 1, 2, 3, tzinfo=timezone.utc))
            elif operation == "rebuild":
                from shopledger.adapters.db.engine import writing

                with writing(engine) as conn:
                    balances.rebuild(conn)
            assert_kept_equal_lines(engine)
    finally:
        engine.dispose()


@pytest.mark.slow
def test_a_crash_mid_import_leaves_kept_balances_equal_to_the_lines(engine, db_url):
    env = os.environ | {"PYTHONPATH": ROOT}
    child = subprocess.Popen([sys.executable, CHILD, db_url, "3000", "50"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            with reading(engine) as conn:
                if conn.execute(select(func.count()).select_from(t.orders)).scalar_one() >= 300:
                    break
            if child.poll() is not None:
                pytest.fail(f"the import ended before it could be killed: {child.communicate()}")
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    with reading(engine) as conn:
        stored = conn.execute(select(func.count()).select_from(t.orders)).scalar_one()
    assert 300 <= stored < 3000
    assert_kept_equal_lines(engine)
    # The same file again completes the books; the balances still follow the lines.
    rerun = subprocess.run([sys.executable, CHILD, db_url, "3000", "500"], env=env, capture_output=True, text=True,
                           timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert_kept_equal_lines(engine)
    tb = statements.trial_balance(engine)
    assert tb["total_debit"] == tb["total_credit"]
