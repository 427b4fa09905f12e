"""List benchmark: every list's first page and page 5,000 at 300,000 orders, and the memory of
`--json` listing everything.

    .venv/bin/python bench/lists.py [--orders 300000] [--seed 1] [--rebuild] [--repeat 5]
        [--pg postgresql+psycopg://postgres@127.0.0.1:5432/shopledger_bench_lists]

The database is built once with the real CLI (`shopledger init`, then `shopledger import` of
shopledger.demo.orders.bench_orders: 30% unpaid, 30% paid and not shipped, 30% shipped, 10%
cancelled, placed over 2025, so most are stuck) and kept in var/bench/ (with --pg: in that
PostgreSQL database, created when missing, then VACUUM ANALYZE); reruns reuse it (`shopledger
init` first, which migrates it and fills in what a migration added).

Then it prints, for pages of 50 (page 5,000 = offset 249,950), the median of `--repeat` runs:
- the CLI listing commands with --limit/--offset, run in-process (Typer's CliRunner: no
  interpreter start-up, which is the same ~0.5 s for every command);
- the REST lists through FastAPI's TestClient, and the merchant's pages (and the size of the
  alerts page);
then `documents`, `entries`, `orders` and `alerts` with `--json` (everything) as child
processes: when the first bytes came out, when the last did, how many bytes, and the child's
peak memory (ru_maxrss from wait4, in a small parent of its own: Linux starts a child's
ru_maxrss at its spawner's high-water mark, and this process has read a lot by then). Not a
test: run it by hand. `--only-json` measures the last part alone.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from _common import cli, import_bench_orders, server_version, signed_in  # noqa: E402

PAGE = 50
DEEP = 4_999 * PAGE  # page 5,000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="build the database again even if it is kept")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure; the median is shown")
    parser.add_argument("--pg", help="a PostgreSQL database URL to build in and measure instead of SQLite")
    parser.add_argument("--only-json", action="store_true", help="measure only `--json` of everything")
    args = parser.parse_args()

    db = ROOT / "var" / "bench" / f"lists-{args.orders}-seed{args.seed}.db"
    url = args.pg or f"sqlite:///{db}"
    env = os.environ | {"SHOPLEDGER_DATABASE_URL": url}
    print(f"shopledger list benchmark, {datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"python {platform.python_version()}, {server_version(url)}, {os.cpu_count()} cpu(s); "
          f"pages of {PAGE}, page 5,000 = offset {DEEP:,}; median of {args.repeat}")
    if args.pg:
        _build_pg(args.pg, args.orders, args.seed, env, args.rebuild)
    else:
        _build(db, args.orders, args.seed, env, args.rebuild)
    os.environ["SHOPLEDGER_DATABASE_URL"] = url  # before shopledger reads its settings
    _describe(url)
    if not args.only_json:
        _cli_pages(args.repeat)
        _rest_and_pages(url, args.repeat)
    _streams(env)
    return 0


def _build(db: Path, n: int, seed: int, env: dict, rebuild: bool) -> None:
    if rebuild:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    if not db.exists():
        db.parent.mkdir(parents=True, exist_ok=True)
        _import(n, seed, env, str(db))
    _init(env)


def _build_pg(url: str, n: int, seed: int, env: dict, rebuild: bool) -> None:
    from sqlalchemy import create_engine, text

    name = url.rsplit("/", 1)[1]
    admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if exists and not rebuild:
            engine = create_engine(url)
            try:
                with engine.connect() as db:
                    exists = db.execute(text("SELECT count(*) FROM orders")).scalar() == n
            except Exception:
                exists = False
            engine.dispose()
        if not exists:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    if not exists:
        _import(n, seed, env, name)
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as db:
            db.execute(text("VACUUM ANALYZE"))  # what autovacuum does after a load, done now
        engine.dispose()
    _init(env)


def _import(n: int, seed: int, env: dict, where: str) -> None:
    seconds = import_bench_orders(n, seed, env, prefix="shopledger-lists-")
    print(f"built           {n:,} orders imported in {seconds:.0f} s ({n / seconds:,.0f} orders/s), kept in {where}")


def _init(env: dict) -> None:
    started = time.perf_counter()
    cli(["init"], env)
    print(f"init            {time.perf_counter() - started:.1f} s (migrate, fill in what is missing)")


def _describe(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                  for t in ("orders", "documents", "journal_entries", "journal_lines", "stock_movements")}
        statuses = conn.execute(text("SELECT display_status, count(*) FROM orders GROUP BY 1 ORDER BY 2 DESC")).all()
        size = (Path(url.split("///", 1)[1]).stat().st_size if url.startswith("sqlite")
                else conn.execute(text("SELECT pg_database_size(current_database())")).scalar())
    engine.dispose()
    print(f"database        {size / 2**20:,.0f} MB; " + ", ".join(f"{t} {c:,}" for t, c in counts.items()))
    print("statuses        " + ", ".join(f"{s} {c:,}" for s, c in statuses))


def _median_ms(run: Callable[[], object], repeat: int) -> float:
    run()  # warm: the first read of a page brings it into the cache
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _row(what: str, first: float, deep: float | None, note: str = "") -> None:
    deep_text = f"{deep:8.1f} ms" if deep is not None else "       -   "
    print(f"  {what:<44} {first:8.1f} ms  {deep_text}  {note}")


CLI_LISTS = [("documents", []), ("entries", []), ("orders", []), ("orders --status to_ship", ["--status", "to_ship"]),
             ("orders --stuck", ["--stuck"]), ("orders --stuck --rule unpaid", ["--stuck", "--rule", "unpaid"]),
             ("alerts", []), ("stock", []), ("sync-runs", [])]


def _cli_pages(repeat: int) -> None:
    from typer.testing import CliRunner

    from shopledger.cli.main import app

    runner = CliRunner()

    def invoke(args: list[str]) -> Callable[[], object]:
        def run():
            result = runner.invoke(app, args)
            assert result.exit_code == 0, (args, result.output[-500:], result.exception)
        return run

    print(f"\nCLI, in-process ({'first page':>10}, {'page 5,000':>10})")
    for name, extra in CLI_LISTS:
        command = name.split()[0]
        first = _median_ms(invoke([command, *extra, "--limit", str(PAGE)]), repeat)
        deep = _median_ms(invoke([command, *extra, "--limit", str(PAGE), "--offset", str(DEEP)]), repeat)
        _row(f"{name} --limit {PAGE} [--offset {DEEP:,}]", first, deep)
    _row("alerts (grouped, the default table)", _median_ms(invoke(["alerts"]), repeat), None)
    _row("documents (no options: newest 100 + count)", _median_ms(invoke(["documents"]), repeat), None)


REST_LISTS = ["/api/v1/documents", "/api/v1/journal-entries", "/api/v1/orders", "/api/v1/orders?status=to_ship",
              "/api/v1/orders?stuck=true", "/api/v1/orders?stuck=true&rule=unpaid", "/api/v1/alerts",
              "/api/v1/stock", "/api/v1/products", "/api/v1/sync-runs", "/api/v1/stock/HNY-1L/movements"]
PAGES = ["/documents", "/journal", "/orders", "/orders?status=to_ship", "/orders?stuck=true",
         "/orders?stuck=true&rule=unshipped", "/stock", "/sync-runs"]


def _rest_and_pages(url: str, repeat: int) -> None:
    from fastapi.testclient import TestClient

    from shopledger.adapters.db.engine import make_engine
    from shopledger.services.tokens import create_token
    from shopledger.web.app import create_app
    from shopledger.web.sessions import SESSION_COOKIE

    engine = make_engine(url)
    headers = {"Authorization": f"Bearer {create_token(engine, f'bench-{time.time_ns()}', 'admin')}"}
    # The pages as an admin signed in (the session cookie the sign-in page gives a browser); a
    # redirect (to /signin) is a failure, never a page measured.
    session = signed_in(engine, "admin")
    with TestClient(create_app(engine, enqueue_sync=lambda run_id: None, demo_shop=False,
                               extra_hosts=("testserver",))) as client:
        client.cookies.set(SESSION_COOKIE, session)  # the pages read it; the REST lists the token

        def get(path: str, with_headers: bool = True) -> Callable[[], object]:
            def run():
                response = client.get(path, headers=headers if with_headers else None, follow_redirects=False)
                assert response.status_code == 200, (path, response.status_code, response.text[:500])
                return response
            return run

        sku = client.get("/api/v1/stock?limit=1", headers=headers).json()[0]["sku"]
        print(f"\nREST, TestClient ({'first page':>10}, {'page 5,000':>10})  X-Total-Count")
        for path in REST_LISTS:
            path = path.replace("HNY-1L", sku)
            joiner = "&" if "?" in path else "?"
            total = get(f"{path}{joiner}limit={PAGE}")().headers["X-Total-Count"]
            first = _median_ms(get(f"{path}{joiner}limit={PAGE}"), repeat)
            deep = _median_ms(get(f"{path}{joiner}limit={PAGE}&offset={DEEP}"), repeat)
            _row(path, first, deep, f"{int(total):,}")
        print(f"\nPages ({'first page':>10}, {'page 5,000':>10})")
        for path in PAGES:
            joiner = "&" if "?" in path else "?"
            _row(path, _median_ms(get(path, False), repeat), _median_ms(get(f"{path}{joiner}offset={DEEP}", False), repeat))
        size = len(get("/alerts", False)().content)
        _row("/alerts (grouped)", _median_ms(get("/alerts", False), repeat), None, f"{size / 1024:.1f} KB")
    engine.dispose()


# A small parent that runs the command with our stdout and tells its peak memory on stderr.
_MEASURE = ("import os, subprocess, sys\n"
            "child = subprocess.Popen(sys.argv[1:])\n"
            "_, status, usage = os.wait4(child.pid, 0)\n"
            "print(os.waitstatus_to_exitcode(status), usage.ru_maxrss, file=sys.stderr)\n")


def _streams(env: dict) -> None:
    print("\n--json of everything, as a child process: first bytes, last bytes, output, peak memory (ru_maxrss)")
    for name in ("documents", "entries", "orders", "alerts"):
        command = [sys.executable, "-c", _MEASURE, str(ROOT / ".venv" / "bin" / "shopledger"), name, "--json"]
        started = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        first_at, size = None, 0
        while chunk := child.stdout.read1(1 << 16):
            first_at = first_at or time.perf_counter() - started
            size += len(chunk)
        code, peak_kb = (int(x) for x in child.stderr.read().split()[-2:])
        child.wait()
        took = time.perf_counter() - started
        print(f"  {name + ' --json':<18} first bytes {first_at or 0:5.2f} s, done {took:6.1f} s, "
              f"{size / 2**20:7.1f} MB out, peak {peak_kb / 1024:5.0f} MB, exit {code}")


if __name__ == "__main__":
    raise SystemExit(main())
