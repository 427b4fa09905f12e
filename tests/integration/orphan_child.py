"""A parent of worker processes, for a test to SIGKILL:
`python orphan_child.py import DB_URL` (a big parallel import) or `pull SHOP_URL` (pages pulled on a process)."""
from __future__ import annotations

import sys

from shopledger.demo.orders import bench_orders
from shopledger.services.intake import Incoming
from shopledger.services.page_puller import pulled_on_process
from shopledger.services.parallel_intake import take_orders_in_parallel


def main() -> None:
    mode, url = sys.argv[1], sys.argv[2]
    if mode == "import":
        records = (Incoming(f"line {i}", o["external_id"], o) for i, o in enumerate(bench_orders(10**6, seed=3), 1))
        take_orders_in_parallel(url, records, source="bench", actor="test", workers=2, batch_size=100)
    else:
        for _page in pulled_on_process("shop-api", {"base_url": url, "token": "t"}, None):
            pass


if __name__ == "__main__":  # the spawned workers import this module again: only the parent runs main
    main()
