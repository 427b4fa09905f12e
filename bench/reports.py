"""Statements at any size: trial balance, profit and loss and balance sheet over 1M and 10M
journal lines, read from the balances kept per account and day, beside a plain GROUP BY over the
same lines.

    .venv/bin/python bench/reports.py                      # SQLite, 1M and 10M lines
    .venv/bin/python bench/reports.py --lines 1000000      # one size
    .venv/bin/python bench/reports.py --pg postgresql+psycopg://postgres@127.0.0.1:5432/test

The lines are made directly with bulk SQL (no import): entries spread over three years, five
lines each (a sale with VAT and its cost of goods), then the kept balances are worked out once
with balances.rebuild (what migration 0008 does for existing books). Each timing is the best
of three runs of the service the CLI and REST call.
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import create_engine, text  # noqa: E402

from shopledger.adapters.db import balances  # noqa: E402
from shopledger.adapters.db.engine import make_engine, reading, writing  # noqa: E402
from shopledger.services.reports import statements  # noqa: E402
from shopledger.services.setup import init_database  # noqa: E402

LINES_PER_ENTRY = 5
DAYS = 1095  # 2024-01-01 .. 2026-12-30
FIRST = date(2024, 1, 1)
AS_OF = date(2026, 6, 30)
PERIOD = (date(2026, 1, 1), date(2026, 6, 30))

# (account, debit expression, credit expression) of entry i: a sale of a satang and its cost.
_AMOUNT = "(10700 + (i % 997) * 100)"
_VAT = f"(({_AMOUNT} * 7 + 53) / 107)"
_COST = f"({_AMOUNT} / 2)"
LINES = [("111201", _AMOUNT, "0"), ("411101", "0", f"({_AMOUNT} - {_VAT})"), ("213101", "0", _VAT),
         ("511101", _COST, "0"), ("114101", "0", _COST)]


def _add_sqlite(path: Path, start: int, count: int) -> None:
    """Entries start+1 .. start+count and their lines, straight through sqlite3 (indexes dropped
    while inserting, made again after)."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("DROP INDEX IF EXISTS ix_journal_lines_entry_id")
    db.execute("DROP INDEX IF EXISTS ix_journal_lines_account")
    db.execute(f"""WITH RECURSIVE n(i) AS (SELECT {start + 1} UNION ALL SELECT i + 1 FROM n WHERE i < {start + count})
        INSERT INTO journal_entries (id, date, memo, event, posted_at)
        SELECT i, date('{FIRST.isoformat()}', '+' || (i % {DAYS}) || ' days'), 'bench sale', 'receipt',
               '2026-01-01 00:00:00.000000' FROM n""")
    for account, debit, credit in LINES:
        db.execute(f"""WITH RECURSIVE n(i) AS (SELECT {start + 1} UNION ALL SELECT i + 1 FROM n WHERE i < {start + count})
            INSERT INTO journal_lines (entry_id, account, debit, credit) SELECT i, '{account}', {debit}, {credit} FROM n""")
    db.commit()
    db.execute("CREATE INDEX ix_journal_lines_entry_id ON journal_lines (entry_id)")
    db.execute("CREATE INDEX ix_journal_lines_account ON journal_lines (account)")
    db.commit()
    db.close()


def _add_pg(url: str, start: int, count: int) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"""INSERT INTO journal_entries (id, date, memo, event, posted_at)
            SELECT i, DATE '{FIRST.isoformat()}' + (i % {DAYS}), 'bench sale', 'receipt', now()
            FROM generate_series({start + 1}, {start + count}) AS i"""))
        for account, debit, credit in LINES:
            conn.execute(text(f"""INSERT INTO journal_lines (entry_id, account, debit, credit)
                SELECT i, '{account}', {debit}, {credit} FROM generate_series({start + 1}, {start + count}) AS i"""))
        conn.execute(text("SELECT setval(pg_get_serial_sequence('journal_entries', 'id'), :n)"), {"n": start + count})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE journal_lines"))
        conn.execute(text("VACUUM ANALYZE journal_entries"))
    engine.dispose()


def _best(fn, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def _plain_group_by(engine, start: date | None, end: date) -> None:
    where = "e.date <= :end" + (" AND e.date >= :start" if start else "")
    with reading(engine) as conn:
        conn.execute(text(f"SELECT l.account, SUM(l.debit), SUM(l.credit) FROM journal_lines l "
                          f"JOIN journal_entries e ON e.id = l.entry_id WHERE {where} GROUP BY l.account"),
                     {"start": start, "end": end}).all()


def measure(engine, lines: int, what: str) -> None:
    started = time.perf_counter()
    with writing(engine) as conn:
        balances.rebuild(conn)
        kept = conn.execute(text("SELECT COUNT(*) FROM account_day_balances")).scalar_one()
    rebuild = time.perf_counter() - started
    tb = statements.trial_balance(engine, AS_OF)
    assert tb["total_debit"] == tb["total_credit"]
    bs = statements.balance_sheet(engine, AS_OF)
    from decimal import Decimal

    assert Decimal(bs["total_assets"]) == Decimal(bs["total_liabilities"]) + Decimal(bs["total_equity"])
    timings = {
        "trial balance": _best(lambda: statements.trial_balance(engine, AS_OF)),
        "profit and loss": _best(lambda: statements.profit_and_loss(engine, *PERIOD)),
        "balance sheet": _best(lambda: statements.balance_sheet(engine, AS_OF)),
    }
    plain = {
        "trial balance": _best(lambda: _plain_group_by(engine, None, AS_OF), runs=1),
        "profit and loss": _best(lambda: _plain_group_by(engine, *PERIOD), runs=1),
        "balance sheet": _best(lambda: _plain_group_by(engine, None, AS_OF), runs=1),
    }
    print(f"{what}: {lines:,} journal lines, {kept:,} kept rows (accounts x days; rebuilt from the lines in "
          f"{rebuild:.1f} s)")
    for name in timings:
        print(f"  {name:<16} kept balances {timings[name] * 1000:8.1f} ms   plain GROUP BY over the lines "
              f"{plain[name]:8.2f} s   ({plain[name] / timings[name]:,.0f}x)")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, action="append", help="sizes (default 1,000,000 and 10,000,000)")
    parser.add_argument("--pg", help="a PostgreSQL URL: a fresh database is made beside it and dropped after")
    args = parser.parse_args()
    sizes = sorted(args.lines or [1_000_000, 10_000_000])
    print(f"shopledger reports benchmark, {time.strftime('%Y-%m-%d %H:%M')}, sqlite {sqlite3.sqlite_version}")
    made = 0
    if args.pg:
        name = f"shopledger_bench_{uuid.uuid4().hex[:6]}"
        admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = args.pg.rsplit("/", 1)[0] + "/" + name
        engine = make_engine(url)
        init_database(engine)
        try:
            for size in sizes:
                entries = size // LINES_PER_ENTRY
                started = time.perf_counter()
                _add_pg(url, made, entries - made)
                print(f"built {size:,} lines in {time.perf_counter() - started:.0f} s")
                made = entries
                measure(engine, size, "PostgreSQL")
        finally:
            engine.dispose()
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        return
    with tempfile.TemporaryDirectory(prefix="shopledger-reports-") as folder:
        path = Path(folder) / "books.db"
        engine = make_engine(f"sqlite:///{path}")
        init_database(engine)
        for size in sizes:
            entries = size // LINES_PER_ENTRY
            started = time.perf_counter()
            _add_sqlite(path, made, entries - made)
            print(f"built {size:,} lines in {time.perf_counter() - started:.0f} s")
            made = entries
            measure(engine, size, "SQLite")
        engine.dispose()


if __name__ == "__main__":
    main()
