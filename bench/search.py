"""Order search benchmark: `orders --search` at 100,000 orders (a number, part of a Thai name,
a phone typed with dashes, a tracking number, nothing found, and with a status filter).

    .venv/bin/python bench/search.py [--orders 100000] [--rebuild] [--repeat 7]
        [--pg postgresql+psycopg://postgres@127.0.0.1:5432/shopledger_bench_search]

The database is built once with the real CLI (`shopledger init`, then `shopledger import` of
shopledger.demo.orders.bench_orders, each order given a customer of its own: one of 2,500 Thai
names and a phone number of its own) and kept in var/bench/ (with --pg: in that PostgreSQL
database, then VACUUM ANALYZE); reruns reuse it. Then it prints, for each search, the median
of `--repeat` runs of what the REST list and the orders page ask for (services/order_views
.orders_page: the first page of 50 and the count of every match), in-process. Not a test.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from _common import cli, import_bench_orders, server_version  # noqa: E402

FIRST = ("สมชาย", "สุนิสา", "วิชัย", "นภัสสร", "ปิยะพงษ์", "กมล", "อรุณี", "ธนพล", "พรทิพย์", "ศักดิ์ชัย",
         "มาลี", "ประเสริฐ", "จันทร์เพ็ญ", "วีระ", "สุดารัตน์", "อนุชา", "กาญจนา", "ชัยวัฒน์", "ปราณี", "ณัฐพล",
         "รัตนา", "สมศักดิ์", "วันเพ็ญ", "บุญชัย", "ศิริพร", "เกียรติ", "อัญชลี", "ธีรพงษ์", "ลำดวน", "ภานุ",
         "นิตยา", "สุรชัย", "ดวงใจ", "ไพโรจน์", "เยาวลักษณ์", "ปกรณ์", "สายสุนีย์", "อำนาจ", "ทิพวรรณ", "ชาญ",
         "ปัทมา", "วรวุฒิ", "อุไรวรรณ", "สมพงษ์", "จิราพร", "ธวัชชัย", "พิมพ์ใจ", "เอกชัย", "รุ่งนภา", "ยุทธนา")
LAST = ("ใจดี", "แก้วมณี", "ศรีสุข", "ทองดี", "บุญมา", "สุขสวัสดิ์", "มั่นคง", "รักไทย", "พึ่งบุญ", "เจริญผล",
        "ศรีวงศ์", "ทองคำ", "สมบูรณ์", "วงศ์ใหญ่", "แสงทอง", "ชัยมงคล", "นาคสวัสดิ์", "บุญเรือง", "พรหมมา", "อินทร์แก้ว",
        "ปัญญาดี", "มีสุข", "ศรีสมบัติ", "คงเจริญ", "สุวรรณ", "เพชรรัตน์", "จันทร์หอม", "ทรัพย์มาก", "ดีประเสริฐ", "ศักดิ์ดี",
        "ยิ่งยง", "รุ่งเรือง", "กิตติวงศ์", "พานิช", "วัฒนา", "สิทธิชัย", "อ่อนศรี", "บัวแก้ว", "ทองประเสริฐ", "มณีรัตน์",
        "ชูชีพ", "นิลสุวรรณ", "โพธิ์ทอง", "ศรีประเสริฐ", "แก้วใส", "วงศ์สวัสดิ์", "ปานทอง", "เรืองศรี", "ภักดี", "สายบุญ")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--rebuild", action="store_true", help="build the database again even if it is kept")
    parser.add_argument("--repeat", type=int, default=7, help="runs per figure; the median is shown")
    parser.add_argument("--pg", help="a PostgreSQL database URL to build in and measure instead of SQLite")
    args = parser.parse_args()

    db = ROOT / "var" / "bench" / f"search-{args.orders}.db"
    url = args.pg or f"sqlite:///{db}"
    env = os.environ | {"SHOPLEDGER_DATABASE_URL": url}
    print(f"shopledger search benchmark, {time.strftime('%Y-%m-%dT%H:%M:%S%z')}")
    print(f"python {platform.python_version()}, {server_version(url)}, {os.cpu_count()} cpu(s); first page of 50 "
          f"and the count; median of {args.repeat}")
    _build(url, db, args.orders, env, args.rebuild)
    os.environ["SHOPLEDGER_DATABASE_URL"] = url
    return _measure(url, args.orders, args.repeat)


def customer(index: int) -> dict:
    """The customer of order `index`: a name of FIRST x LAST, a phone number of its own."""
    first, last = FIRST[index % len(FIRST)], LAST[(index // len(FIRST)) % len(LAST)]
    return {"name": f"{first} {last}", "email": "", "phone": f"08{(index * 7919) % 100_000_000:08d}",
            "address": "12/3 ถนนนิมมานเหมินท์ ตำบลสุเทพ อำเภอเมืองเชียงใหม่ เชียงใหม่ 50200", "tax_id": "", "branch": ""}


def _build(url: str, db: Path, n: int, env: dict, rebuild: bool) -> None:
    from sqlalchemy import create_engine, text

    if url.startswith("sqlite"):
        if rebuild:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
        if not db.exists():
            db.parent.mkdir(parents=True, exist_ok=True)
            _import(n, env, str(db))
        cli(["init"], env)
        return
    name = url.rsplit("/", 1)[1]
    admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if rebuild or not exists:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    if rebuild or not exists:
        _import(n, env, name)
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("VACUUM ANALYZE"))
        engine.dispose()
    cli(["init"], env)


def _import(n: int, env: dict, where: str) -> None:
    def with_its_customer(index: int, order: dict) -> None:
        order["customer"] = customer(index)

    seconds = import_bench_orders(n, 1, env, prefix="shopledger-search-", reshape=with_its_customer)
    print(f"built      {n:,} orders imported in {seconds:.0f} s, kept in {where}")


def _measure(url: str, n: int, repeat: int) -> int:
    from sqlalchemy import select

    from shopledger.adapters.db import tables as t
    from shopledger.adapters.db.engine import make_engine, reading
    from shopledger.services import order_views

    engine = make_engine(url)
    middle = n // 2
    with reading(engine) as conn:
        tracking = conn.execute(select(t.shipments.c.tracking_number).order_by(t.shipments.c.id)
                                .offset(len(FIRST)).limit(1)).scalar_one()
    phone = customer(middle)["phone"]
    searches = [
        ("an order number", f"BENCH-1-{middle + 1:08d}", None),
        ("part of an order number", f"{middle + 1:08d}"[:-1], None),
        ("a Thai name (1 in 2,500)", customer(middle)["name"], None),
        ("part of a Thai surname", LAST[7], None),
        ("a phone typed with dashes", f"{phone[:3]}-{phone[3:6]}-{phone[6:]}", None),
        ("a tracking number", tracking.lower(), None),
        ("nothing found", "ไม่มีใครชื่อนี้", None),
        ("a Thai name, status to_ship", customer(middle)["name"], "to_ship"),
        ("a frequent word, awaiting payment", "สม", "awaiting_payment"),
    ]
    worst = 0.0
    print(f"\n  {'search':<34} {'typed':<26} {'found':>7} {'ms':>8}")
    for what, typed, status in searches:
        run = lambda: order_views.orders_page(engine, limit=50, search=typed, status=status)  # noqa: E731
        page = run()
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
        median = statistics.median(times)
        worst = max(worst, median)
        print(f"  {what:<34} {typed:<26} {page.total:>7,} {median:8.1f}")
    engine.dispose()
    print(f"\nslowest search {worst:.1f} ms at {n:,} orders ({'under' if worst < 100 else 'OVER'} 100 ms)")
    return 0 if worst < 100 else 1


if __name__ == "__main__":
    raise SystemExit(main())
