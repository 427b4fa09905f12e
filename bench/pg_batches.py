"""PostgreSQL as it grows: 3 batches of 50,000 orders (distinct ids) into one fresh database.

    .venv/bin/python bench/pg_batches.py [--batches 3] [--orders 50000] [--workers N] [--keep]
        [--pg postgresql+psycopg://postgres@127.0.0.1:5432/shopledger_bench_batches]

Creates the database (dropped first if it exists), runs `shopledger init`, then for each batch
writes shopledger.demo.orders.bench_orders(N, seed=batch) to an NDJSON file (not timed; the seed
is in every external id, so no batch repeats another's orders) and runs the real CLI on it as a
child process: `shopledger import FILE --json`, timed from start to exit. Prints each batch's
orders/s, then the spread (slowest/fastest), the plan PostgreSQL picks for the import's lookup
by source and a thousand external ids, and when each large table was last analyzed. The
database is dropped at the end unless --keep. Not a test: run it by hand.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import create_engine, text  # noqa: E402

from shopledger.demo.orders import bench_orders  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/shopledger_bench_batches"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", default=DEFAULT_URL, help=f"the database to create (default {DEFAULT_URL})")
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--orders", type=int, default=50_000, help="orders per batch (default 50000)")
    parser.add_argument("--workers", type=int, help="SHOPLEDGER_IMPORT_WORKERS for the import (default: its own)")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()

    name = args.pg.rsplit("/", 1)[1]
    admin = create_engine(args.pg.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        version = conn.execute(text("SHOW server_version")).scalar()
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    env = os.environ | {"SHOPLEDGER_DATABASE_URL": args.pg}
    if args.workers:
        env["SHOPLEDGER_IMPORT_WORKERS"] = str(args.workers)
    print(f"shopledger PostgreSQL batches, {datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"python {platform.python_version()}, postgresql {version}, {os.cpu_count()} cpu(s); "
          f"{args.batches} batches of {args.orders:,} orders into {name}; "
          f"workers {env.get('SHOPLEDGER_IMPORT_WORKERS', 'default')}")
    rates = []
    try:
        _cli(["init"], env)
        with tempfile.TemporaryDirectory(prefix="shopledger-pg-batches-") as tmp:
            for batch in range(1, args.batches + 1):
                path = Path(tmp) / f"batch-{batch}.ndjson"
                with path.open("w", encoding="utf-8") as handle:
                    for order in bench_orders(args.orders, seed=batch):
                        handle.write(json.dumps(order, ensure_ascii=False, separators=(",", ":")) + "\n")
                before = _orders(args.pg)
                started = time.perf_counter()
                result, cpu = _timed_cli(["import", str(path), "--json"], env)
                seconds = time.perf_counter() - started
                rates.append(args.orders / seconds)
                report = json.loads(result)
                print(f"batch {batch}         {before:,} orders stored before: {seconds:.1f} s = {rates[-1]:,.0f} orders/s; "
                      f"CPU {cpu:.1f} s in the import's processes, {args.orders / cpu:,.0f} orders per CPU second "
                      f"(created {report['created']}, failed {len(report['failed'])})")
                path.unlink()
        spread = min(rates) / max(rates)
        print(f"spread          slowest/fastest = {spread:.2f} ({'within' if spread >= 0.8 else 'NOT within'} 20%)")
        _explain(args.pg)
        return 0 if spread >= 0.8 else 1
    finally:
        if not args.keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _cli(args: list[str], env: dict) -> str:
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "shopledger"), *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"shopledger {' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def _timed_cli(args: list[str], env: dict) -> tuple[str, float]:
    """Its output and the CPU seconds of the CLI and its workers (wait4 counts the children it
    waited for): a figure a shared machine's load disturbs less than the wall time."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen([str(ROOT / ".venv" / "bin" / "shopledger"), *args], env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        out.seek(0), err.seek(0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"shopledger {' '.join(args)} failed: {err.read().decode()[-2000:]}")
        return out.read().decode(), usage.ru_utime + usage.ru_stime


def _orders(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM orders")).scalar()
    engine.dispose()
    return count


def _explain(url: str) -> None:
    """The plan of the import's lookup (orders_repo.received_hashes) for a thousand stored ids."""
    from shopledger.adapters.db import orders_repo

    engine = create_engine(url)
    with engine.connect() as conn:
        ids = list(conn.execute(text("SELECT external_id FROM orders ORDER BY random() LIMIT 1000")).scalars())
        sql, params = orders_repo.received_hashes_sql(conn, "import", ids)
        cursor = conn.connection.driver_connection.cursor()
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql, params)
        print("lookup plan     " + "\n                ".join(row[0][:110] for row in cursor.fetchall()))
        cursor.close()
        print("last analyzed   " + ", ".join(
            f"{r.relname} {r.last_analyze:%H:%M:%S} ({r.n_live_tup:,} rows)" if r.last_analyze else f"{r.relname} never"
            for r in conn.execute(text(
                "SELECT relname, greatest(last_analyze, last_autoanalyze) AS last_analyze, n_live_tup "
                "FROM pg_stat_user_tables ORDER BY n_live_tup DESC LIMIT 6"))))
    engine.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
