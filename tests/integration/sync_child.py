"""Run one Import Data in a child process: `python tests/integration/sync_child.py URL SOURCE FLUSH_AT PAGE_SIZE`."""
from __future__ import annotations

import sys

from shopledger.adapters.db.engine import make_engine
from shopledger.bootstrap import load_connectors
from shopledger.services.sync import run_source_sync


def main() -> None:
    url, source, flush_at, page_size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    load_connectors()
    outcome = run_source_sync(make_engine(url), source, flush_at=flush_at, extra_settings={"page_size": page_size})
    print(outcome.status, outcome.report.created, outcome.report.updated, outcome.error or "", flush=True)


if __name__ == "__main__":
    main()
