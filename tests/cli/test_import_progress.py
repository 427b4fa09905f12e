"""Progress on long work: `shopledger import` on a terminal draws a moving bar (orders done of how
many, orders/s, time left) from the counts the intake reports; with --json, or when its output is
not a terminal, nothing is added. Driven through a pseudo-terminal, as a person would see it; Import
Data reports its progress through the same callback."""
from __future__ import annotations

import json
import os
import re
import select
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import httpx2
import pytest

from shopledger.bootstrap import load_connectors
from shopledger.demo.orders import bench_orders
from shopledger.demo_shop.app import shop_transport
from shopledger.demo_shop.store import ShopStore
from shopledger.services import sources
from shopledger.services.sync import run_source_sync

pytestmark = pytest.mark.db
CLI = str(Path(sys.executable).parent / "shopledger")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
BAR = "━"
ORDERS = 8000  # batches of 100 (SHOPLEDGER_IMPORT_BATCH_SIZE); long enough (a few seconds) for rich to draw 4 frames a second on a fast machine


@pytest.fixture(scope="module")
def orders_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("progress") / "orders.ndjson"
    with path.open("w", encoding="utf-8") as handle:
        for order in bench_orders(ORDERS, seed=3):
            handle.write(json.dumps(order, ensure_ascii=False, separators=(",", ":")) + "\n")
    return path


@pytest.fixture
def environment(tmp_path, sqlite_template):
    def made(name: str) -> dict[str, str]:
        """A fresh database (a copy of the migrated one) and a terminal of 120 columns."""
        shutil.copy(sqlite_template, tmp_path / name)
        env = os.environ | {"SHOPLEDGER_DATABASE_URL": f"sqlite:///{tmp_path / name}",
                            "SHOPLEDGER_IMPORT_BATCH_SIZE": "100", "COLUMNS": "120", "TERM": "xterm-256color"}
        env.pop("NO_COLOR", None)
        return env
    return made


def _on_a_terminal(args: list[str], env: dict[str, str], timeout: float = 300) -> tuple[int, str]:
    """Run with stdin, stdout and stderr on a pseudo-terminal; everything it wrote, and its exit code."""
    main, side = os.openpty()
    process = subprocess.Popen(args, stdin=side, stdout=side, stderr=side, env=env, close_fds=True)
    os.close(side)
    written, deadline = b"", time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the child closed the terminal (Linux says EIO)
                break
            if not chunk:
                break
            written += chunk
        elif process.poll() is not None:
            break
    os.close(main)
    return process.wait(timeout=30), written.decode("utf-8", "replace")


@pytest.mark.parametrize("workers", ["1", "2"])
def test_import_on_a_terminal_shows_a_moving_bar(environment, orders_file, workers):
    code, shown = _on_a_terminal([CLI, "import", str(orders_file), "--workers", workers], environment("bar.db"))
    assert code == 0, shown
    plain = ANSI.sub("", shown)
    counts = [int(done) for done, total in re.findall(r"(\d+)/(\d+) orders", plain)]
    assert len(set(counts)) >= 4, plain[-2000:]                 # it moved, step by step
    assert counts == sorted(counts) and counts[-1] == ORDERS
    assert f"/{ORDERS} orders" in plain                          # the total was counted
    assert re.search(r"\d[\d,]* orders/s", plain), plain[-2000:]
    assert re.search(r"time left \d+:\d\d:\d\d", plain)
    assert BAR in shown
    assert f"created {ORDERS}, updated 0, unchanged 0, failed 0" in plain


def test_json_and_output_that_is_not_a_terminal_get_no_bar(tmp_path, environment, orders_file):
    small = tmp_path / "small.ndjson"
    small.write_text("".join(orders_file.read_text(encoding="utf-8").splitlines(keepends=True)[:400]), encoding="utf-8")
    code, on_terminal = _on_a_terminal([CLI, "import", str(small), "--json", "--workers", "1"],
                                       environment("json-tty.db"))
    piped = subprocess.run([CLI, "import", str(small), "--json", "--workers", "1"],
                           env=environment("json-pipe.db"), capture_output=True, text=True)
    assert code == piped.returncode == 0
    assert on_terminal.replace("\r\n", "\n") == piped.stdout     # byte for byte what a script reads
    assert BAR not in on_terminal and "orders/s" not in on_terminal and "\x1b[" not in on_terminal
    assert json.loads(piped.stdout) == {"created": 400, "updated": 0, "unchanged": 0, "failed": []}
    assert piped.stderr == ""

    text = subprocess.run([CLI, "import", str(small), "--workers", "1"], env=environment("text.db"),
                          capture_output=True, text=True)
    assert text.returncode == 0
    assert text.stdout == "created 400, updated 0, unchanged 0, failed 0\n" and text.stderr == ""


def test_import_data_reports_its_progress_as_it_stores_pages(engine):
    load_connectors()
    now = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)
    store = ShopStore(clock=lambda: now)
    store.seed_demo(n=30, now=now)
    sources.add_source(engine, "web", kind="shop-api", base_url="http://shop.test", token="shop-token")
    client = httpx2.Client(transport=shop_transport(store, "shop-token"), base_url="http://shop.test")
    told = []
    outcome = run_source_sync(engine, "web", extra_settings={"http_client": client, "page_size": 7}, flush_at=7,
                              on_progress=told.append)
    assert outcome.status == "succeeded"
    assert [(p.done, p.pages) for p in told] == [(7, 1), (14, 2), (21, 3), (28, 4), (30, 5)]


def test_sync_on_a_terminal_draws_the_bar_with_its_pages(cli, monkeypatch):
    """`shopledger sync` hands its bar to the run (in-process here: the shop answers through its
    transport, and the terminal is said to be one, so rich draws the bar's last state)."""
    from shopledger import config
    from shopledger.cli import sync_commands

    load_connectors()
    now = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)
    store = ShopStore(clock=lambda: now)
    store.seed_demo(n=12, now=now)
    client = httpx2.Client(transport=shop_transport(store, "shop-token"), base_url="http://shop.test")
    monkeypatch.setenv("SHOPLEDGER_IMPORT_WORKERS", "1")
    config.get_settings.cache_clear()
    monkeypatch.setattr(sync_commands, "on_a_terminal", lambda: True)
    monkeypatch.setattr(sync_commands, "run_source_sync", lambda engine, name, workers, on_progress: run_source_sync(
        engine, name, extra_settings={"http_client": client, "page_size": 5}, flush_at=5, on_progress=on_progress))
    cli("source", "add", "web", "--url", "http://shop.test", "--token", "shop-token")
    shown = cli("sync", "web")
    assert "12/12 orders" in shown.stderr and "3 pages" in shown.stderr and "orders/s" in shown.stderr
    assert "created 12, updated 0, unchanged 0, failed 0" in shown.stdout
    as_json = cli("sync", "web", "--json")
    assert as_json.stderr == "" and json.loads(as_json.stdout)["status"] == "succeeded"  # no bar with --json


def test_the_bar_takes_the_count_the_shop_gave_as_its_total():
    from shopledger.cli.progress import OrdersBar
    from shopledger.services.intake import Progress as Done

    bar = OrdersBar(True, "sync web", pages=True)
    bar(Done(7, 1))
    assert bar._progress.tasks[0].total is None  # no count yet: orders so far and the rate only
    bar(Done(14, 2, expected=30))
    assert (bar._progress.tasks[0].completed, bar._progress.tasks[0].total) == (14, 30)
