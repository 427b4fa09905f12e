"""Import N bench orders in chunks in a child process (killed mid-way by a test):
`python tests/reports/import_child.py URL N BATCH`."""
from __future__ import annotations

import sys

from shopledger.adapters.db.engine import make_engine
from shopledger.demo.orders import bench_orders
from shopledger.services.intake import Incoming, take_orders


def main() -> None:
    url, count, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    records = (Incoming(f"item {i}", o["external_id"], o) for i, o in enumerate(bench_orders(count, seed=3), 1))
    report = take_orders(make_engine(url), records, source="crash", actor="child", batch_size=batch)
    print(report.created, report.updated, flush=True)


if __name__ == "__main__":
    main()
