"""Benchmark Import Data: a local fake shop with N orders, pulled through the real CLI.

    .venv/bin/python bench/sync_orders.py --orders 100000

Prints orders/s for (1) importing the same orders from an NDJSON file, (2) the first full
sync run, (3) a second run with nothing changed (from the cursor, as the daily run does),
(4) a full re-read of every unchanged order (cursor cleared). A script, not a test.
"""
from __future__ import annotations

import argparse
import bisect
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shopledger.adapters.connectors.shop_orders import map_shop_order
from shopledger.demo_shop.seed import demo_orders
from shopledger.demo_shop.server import serve_in_thread
from shopledger.domain.clock import parse_instant

ROOT = Path(__file__).resolve().parents[1]
CLI = str(ROOT / ".venv" / "bin" / "shopledger")
TOKEN = "bench-token"


def fast_shop(orders: list[dict]) -> Starlette:
    """The shop API over a pre-sorted list: paging by bisect, no per-request copying."""
    orders = sorted(orders, key=lambda o: (parse_instant(o["updated_at"]), int(o["order_id"])))
    stamps = [parse_instant(o["updated_at"]) for o in orders]
    bodies = [json.dumps(o, ensure_ascii=False) for o in orders]

    def list_orders(request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return Response('{"error":"unauthorized"}', 401, media_type="application/json")
        q = request.query_params
        start = bisect.bisect_left(stamps, parse_instant(q["updated_from"])) if q.get("updated_from") else 0
        page, limit = int(q.get("page", 1)), min(int(q.get("limit", 100)), 100)
        total = len(orders) - start
        lo = start + (page - 1) * limit
        data = ",".join(bodies[lo:min(lo + limit, len(orders))])
        meta = {"page": page, "limit": limit, "total": total, "last_page": max(1, -(-total // limit))}
        return Response(f'{{"data":[{data}],"meta":{json.dumps(meta)}}}', media_type="application/json")

    return Starlette(routes=[Route("/api/v1/orders", list_orders)])


def run(args: list[str], db: Path) -> tuple[float, str]:
    env = os.environ | {"SHOPLEDGER_DATABASE_URL": f"sqlite:///{db}"}
    started = time.perf_counter()
    done = subprocess.run([CLI, *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=100_000)
    n = parser.parse_args().orders
    now = datetime.now(timezone.utc)
    print(f"shopledger sync benchmark: {n} orders, Python {sys.version.split()[0]}, {now:%Y-%m-%d %H:%M} UTC")
    orders = demo_orders(n, now, seed=3)
    with tempfile.TemporaryDirectory() as tmp, serve_in_thread(fast_shop(orders)) as url:
        tmp = Path(tmp)
        ndjson = tmp / "orders.ndjson"
        with ndjson.open("w", encoding="utf-8") as out:
            for order in orders:
                out.write(json.dumps(map_shop_order(order), ensure_ascii=False) + "\n")
        file_db, sync_db = tmp / "file.db", tmp / "sync.db"
        for db in (file_db, sync_db):
            run(["init"], db)
        file_s, _ = run(["import", str(ndjson), "--source", "bench", "--json"], file_db)
        run(["source", "add", "bench", "--kind", "shop-api", "--url", url, "--token", TOKEN], sync_db)
        first_s, first_out = run(["sync", "bench", "--json"], sync_db)
        again_s, again_out = run(["sync", "bench", "--json"], sync_db)
        import sqlite3
        with sqlite3.connect(sync_db) as conn:
            conn.execute("UPDATE sources SET cursor = NULL")
        full_s, full_out = run(["sync", "bench", "--json"], sync_db)
    first, again, full = json.loads(first_out), json.loads(again_out), json.loads(full_out)
    print(f"file import          {n / file_s:9.0f} orders/s  ({file_s:.1f} s)")
    print(f"first sync run       {n / first_s:9.0f} orders/s  ({first_s:.1f} s, {first['pages']} pages, "
          f"created {first['created']}, failed {len(first['failed'])})  = {first_s / file_s:.2f}x the file import")
    print(f"second run, cursor   {again['unchanged'] + again['updated']:9d} orders read in {again_s:.2f} s "
          f"(only the overlap before the cursor; unchanged {again['unchanged']})")
    print(f"full re-read         {n / full_s:9.0f} orders/s  ({full_s:.1f} s, unchanged {full['unchanged']})")


if __name__ == "__main__":
    main()
