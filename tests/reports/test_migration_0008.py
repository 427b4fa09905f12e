"""Migration 0008 on books that already have lines: the kept balances are backfilled from them,
and the VAT settlement accounts join a chart that lacks them."""
from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import select, text

from shopledger.adapters.db import balances, tables as t
from shopledger.adapters.db.engine import reading
from shopledger.adapters.db.migrate import alembic_config
from tests.reports.conftest import take, three_month_orders

pytestmark = pytest.mark.db


def _alembic(engine, action: str, revision: str) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        getattr(command, action)(config, revision)


def test_the_migration_backfills_balances_from_existing_lines(engine):
    first, later = three_month_orders(count=150, seed=5)
    take(engine, first)
    take(engine, later)
    _alembic(engine, "downgrade", "0007")  # books as they were before: lines, no kept balances
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM accounts WHERE code IN ('115201', '213301')"))
    _alembic(engine, "upgrade", "head")
    with reading(engine) as conn:
        kept = balances.per_account_and_day(conn)
        assert kept and kept == balances.lines_per_account_and_day(conn)
        codes = set(conn.execute(select(t.accounts.c.code)).scalars())
    assert {"115201", "213301"} <= codes
