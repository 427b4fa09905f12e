"""Migration 0008 on books that already have lines: the kept balances are backfilled from them,
and the VAT settlement accounts join a chart that lacks them. (0008's upgrade is run alone on
books put back as they were before it, so later migrations' downgrades play no part.)"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import select, text

import shopledger.migrations
from shopledger.adapters.db import balances, tables as t
from shopledger.adapters.db.engine import reading
from tests.reports.conftest import take, three_month_orders

pytestmark = pytest.mark.db
VERSIONS = Path(shopledger.migrations.__file__).parent / "versions"


def _migration_0008():
    path = next(VERSIONS.glob("0008_*.py"))
    spec = importlib.util.spec_from_file_location("migration_0008", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_backfills_balances_from_existing_lines(engine):
    first, later = three_month_orders(count=150, seed=5)
    take(engine, first)
    take(engine, later)
    migration = _migration_0008()
    with engine.begin() as conn:  # the books as they were before 0008: lines, no kept balances
        operations = Operations(MigrationContext.configure(conn))
        with Operations.context(operations.migration_context):
            migration.downgrade()
        conn.execute(text("DELETE FROM accounts WHERE code IN ('115201', '213301')"))
    with engine.begin() as conn:
        with Operations.context(MigrationContext.configure(conn)):
            migration.upgrade()
    with reading(engine) as conn:
        kept = balances.per_account_and_day(conn)
        assert kept and kept == balances.lines_per_account_and_day(conn)
        codes = set(conn.execute(select(t.accounts.c.code)).scalars())
    assert {"115201", "213301"} <= codes
