"""Import benchmark: N orders through the real CLI into a fresh SQLite database.

    .venv/bin/python bench/import_orders.py --orders 100000 [--seed 1] [--keep]

Writes N generated orders (shopledger.demo.orders.bench_orders: 60% paid, 30% unpaid, 10%
cancelled, 2.5 lines each on average) to an NDJSON file in a temp dir, then, each as a
child process with SHOPLEDGER_DATABASE_URL pointing at a new database there:

1. `shopledger init`
2. `shopledger import FILE --json`         timed; the child's peak memory (ru_maxrss)
3. `shopledger import FILE --json` again   the unchanged file: every order must be unchanged

then times the physical ceiling: stdlib sqlite3 inserting N x 9 rows (what an order costs the
books, roughly) in one transaction with the same pragmas, and prints orders/s, the ratio
import/ceiling and what the import wrote. Not a test: run it by hand (or `make bench`).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from shopledger.demo.orders import bench_orders  # noqa: E402

ROWS_PER_ORDER = 9


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000, help="how many orders (default 100000)")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (the file and the database)")
    args = parser.parse_args()
    n = args.orders

    workdir = Path(tempfile.mkdtemp(prefix="shopledger-bench-"))
    try:
        _header(n, workdir)
        orders_file = workdir / "orders.ndjson"
        started = time.perf_counter()
        _write_orders(orders_file, n, args.seed)
        print(f"orders file     {orders_file.name}: {n} orders, {orders_file.stat().st_size / 2**20:.1f} MB, "
              f"written in {time.perf_counter() - started:.1f} s (not counted)")

        db = workdir / "bench.db"
        env = os.environ | {"SHOPLEDGER_DATABASE_URL": f"sqlite:///{db}"}
        init = _run([_cli(), "init"], env, workdir)
        _check(init, "init")
        before = _row_counts(db)

        first = _run([_cli(), "import", str(orders_file), "--json"], env, workdir)
        _check(first, "import")
        _report_run("import", n, first)
        after = _row_counts(db)

        again = _run([_cli(), "import", str(orders_file), "--json"], env, workdir)
        _check(again, "re-import")
        _report_run("re-import", n, again)
        if _row_counts(db) != after:
            print("WARNING re-import wrote rows: the import is not idempotent")

        ceiling_seconds = _raw_ceiling(workdir / "ceiling.db", n)
        ceiling_rate = n / ceiling_seconds
        print(f"raw ceiling     sqlite3 {n * ROWS_PER_ORDER} rows ({ROWS_PER_ORDER}/order), one transaction: "
              f"{ceiling_seconds:.2f} s = {ceiling_rate:,.0f} orders/s")
        print(f"ratio           import/ceiling = {n / first['seconds'] / ceiling_rate:.3f}   "
              f"re-import/ceiling = {n / again['seconds'] / ceiling_rate:.3f}")
        _report_books(db, before, after, n)
        if args.keep:
            print(f"kept            {workdir}")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def _header(n: int, workdir: Path) -> None:
    print(f"shopledger import benchmark, {datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"python          {platform.python_version()} ({platform.python_implementation()}), "
          f"sqlite {sqlite3.sqlite_version}, {platform.machine()}, {os.cpu_count()} cpu(s)")
    print(f"orders          {n}   temp dir {workdir}")


def _write_orders(path: Path, n: int, seed: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for order in bench_orders(n, seed):
            handle.write(json.dumps(order, ensure_ascii=False, separators=(",", ":")))
            handle.write("\n")


def _cli() -> str:
    beside = Path(sys.executable).parent / "shopledger"
    return str(beside if beside.exists() else ROOT / ".venv" / "bin" / "shopledger")


def _run(command: list[str], env: dict, cwd: Path) -> dict:
    """Run a child to its end; its wall time, exit code, output and peak memory: the largest
    single process (ru_maxrss) and the whole process tree (the import's workers included),
    as proportional set size sampled every 0.1 s, so shared library pages count once."""
    out_path, err_path = cwd / "child.out", cwd / "child.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=err)
        tree = _TreeMemory(child.pid)
        tree.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        tree.stop()
        child.returncode = os.waitstatus_to_exitcode(status)
    return {"command": command, "seconds": seconds, "code": child.returncode, "peak_mb": usage.ru_maxrss / 1024,
            "tree_mb": tree.peak_kb / 1024,
            "stdout": out_path.read_text(encoding="utf-8"), "stderr": err_path.read_text(encoding="utf-8")}


class _TreeMemory(threading.Thread):
    """Samples the summed PSS of a process and all its descendants (Linux /proc)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self._done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.1):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in _descendants(self.pid)))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo += [int(c) for c in children]
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _check(run: dict, what: str) -> None:
    if run["code"] not in (0, 1):
        print(f"{what} failed with exit code {run['code']}:\n{run['stderr'][-3000:]}", file=sys.stderr)
        raise SystemExit(1)


def _report_run(what: str, n: int, run: dict) -> None:
    try:
        result = json.loads(run["stdout"])
    except ValueError:
        result = {}
    failed = result.get("failed", [])
    print(f"{what:<15} {run['seconds']:.2f} s = {n / run['seconds']:,.0f} orders/s, "
          f"peak {run['tree_mb']:.0f} MB all processes ({run['peak_mb']:.0f} MB the largest), "
          f"exit {run['code']}: created {result.get('created')}, updated {result.get('updated')}, "
          f"unchanged {result.get('unchanged')}, failed {len(failed)}")
    for failure in failed[:5]:
        print(f"                failed {failure}")


def _row_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _report_books(db: Path, before: dict[str, int], after: dict[str, int], n: int) -> None:
    with sqlite3.connect(db) as conn:
        kinds = conn.execute("SELECT kind, status, count(*) FROM documents GROUP BY kind, status ORDER BY kind, status")
        documents = ", ".join(f"{kind}/{status} {count}" for kind, status, count in kinds)
        debit, credit = conn.execute("SELECT sum(debit), sum(credit) FROM journal_lines").fetchone()
    print(f"documents       {after.get('documents', 0)}: {documents}")
    print(f"journal         {after.get('journal_entries', 0)} entries, {after.get('journal_lines', 0)} lines, "
          f"debit {debit} = credit {credit} (satang): {'balanced' if debit == credit else 'NOT BALANCED'}")
    written = {t: after[t] - before.get(t, 0) for t in after if after[t] != before.get(t, 0)}
    total = sum(written.values())
    print(f"rows written    {total} = {total / n:.1f} per order: "
          + ", ".join(f"{t} {c}" for t, c in sorted(written.items(), key=lambda kv: -kv[1])))


def _raw_ceiling(path: Path, n: int) -> float:
    """stdlib sqlite3, the same pragmas as the app, n x 9 rows in one transaction."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, account TEXT NOT NULL,"
                 " debit INTEGER NOT NULL, credit INTEGER NOT NULL, memo TEXT NOT NULL)")
    rows = ((i // ROWS_PER_ORDER, "411101", i % 100_000, 0, f"order {i // ROWS_PER_ORDER}")
            for i in range(n * ROWS_PER_ORDER))
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO rows (order_id, account, debit, credit, memo) VALUES (?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


if __name__ == "__main__":
    raise SystemExit(main())
