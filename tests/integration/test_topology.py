"""The deployment for a shop that outgrew one process (docs/deployment.md), run for real by
scripts/topology.py: PostgreSQL, Redis as the job queue, two web processes without an embedded
worker and two separate `shopledger worker` processes. Import Data and a daily run go from a
web process through Redis to a worker, and the orders land in PostgreSQL."""
from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import httpx2
import pytest
import redis
from sqlalchemy import create_engine, func, select, text, update

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.engine import make_engine, reading, writing
from shopledger.demo_shop import ShopStore, create_shop_app
from shopledger.demo_shop.server import serve_in_thread
from shopledger.domain.clock import BANGKOK, utc_now
from shopledger.services import sources
from shopledger.services.tokens import create_token
from tests.conftest import PG_URL, REQUIRE_PG

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("SHOPLEDGER_TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
MUST_RUN = REQUIRE_PG or os.environ.get("CI") == "true"  # CI never skips this deployment
SHOP_TOKEN = "topology-shop-token"
WAIT_SECONDS = 90.0


def _needs(what: str, reason: str) -> None:
    if MUST_RUN:
        pytest.fail(f"{what} is required under CI: {reason}")
    pytest.skip(f"{what} not available: {reason}")


@pytest.fixture
def topology():
    if not PG_URL:
        _needs("PostgreSQL", "SHOPLEDGER_TEST_PG_URL is not set")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        _needs(f"Redis at {REDIS_URL}", str(error))
    script = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "topology.py"), "--pg-url", PG_URL,
                               "--redis-url", REDIS_URL, "--web", "2", "--workers", "2"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        started = _ready(script)
        yield started
    finally:
        script.send_signal(signal.SIGTERM)
        script.wait(timeout=60)
    assert script.returncode == 0, script.stderr.read()
    assert not _database_exists(started["database_url"].rsplit("/", 1)[1])
    assert not redis.Redis.from_url(REDIS_URL).keys(f"huey.*.{started['huey_name']}")


def _ready(script: subprocess.Popen) -> dict:
    lines: queue.Queue[str] = queue.Queue()
    def read() -> None:
        for line in script.stdout:
            lines.put(line)
        lines.put("")  # ended before it was ready: say so at once

    threading.Thread(target=read, daemon=True).start()
    try:
        return json.loads(lines.get(timeout=WAIT_SECONDS))
    except (queue.Empty, json.JSONDecodeError):
        script.kill()
        raise AssertionError(f"the topology did not start: {script.stderr.read()}") from None


@pytest.fixture
def shop():
    store = ShopStore()
    store.seed_demo(30)
    with serve_in_thread(create_shop_app(store, SHOP_TOKEN)) as url:
        yield store, url


def _wait_for_run(web: str, headers: dict, found) -> dict:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        runs = httpx2.get(f"{web}/api/v1/sync-runs", headers=headers, timeout=10).json()
        done = [run for run in runs if found(run) and run["status"] not in ("queued", "running")]
        if done:
            return done[0]
        time.sleep(0.3)
    raise AssertionError(f"no run finished in {WAIT_SECONDS}s: {runs}")


def _children(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()


def _enqueue_the_daily_check(topology: dict) -> None:
    """What a worker's scheduler does each minute, done now from a process of its own."""
    env = {**os.environ, "SHOPLEDGER_DATABASE_URL": topology["database_url"],
           "SHOPLEDGER_HUEY_URL": topology["redis_url"], "SHOPLEDGER_HUEY_NAME": topology["huey_name"]}
    subprocess.run([sys.executable, "-c", "from shopledger.jobs import daily_runs_tick; daily_runs_tick()"],
                   env=env, check=True, timeout=60)


def test_import_data_and_the_daily_run_go_from_web_processes_through_redis_to_separate_workers(topology, shop):
    store, shop_url = shop
    engine = make_engine(topology["database_url"])
    sources.add_source(engine, "shop", kind="shop-api", base_url=shop_url, token=SHOP_TOKEN)
    admin = {"Authorization": f"Bearer {create_token(engine, 'topology', 'admin')}"}
    first_web, second_web = topology["web"]
    assert all(_children(topology["pids"][web]) == [] for web in ("web-1", "web-2"))  # no embedded worker

    answer = httpx2.post(f"{first_web}/api/v1/sources/shop/sync", headers=admin, timeout=10)
    assert answer.status_code == 202, answer.text
    run_id = answer.json()["run_id"]
    run = _wait_for_run(second_web, admin, lambda run: run["id"] == run_id)
    assert (run["status"], run["error"], run["created"]) == ("succeeded", None, 30)
    with reading(engine) as conn:
        assert conn.execute(select(func.count()).select_from(t.orders)).scalar_one() == 30
    assert redis.Redis.from_url(REDIS_URL).exists(f"huey.results.{topology['huey_name']}")  # it went through Redis

    moved = store.advance()
    now = utc_now()
    sources.add_source(engine, "shop", kind="shop-api", base_url=shop_url, token=SHOP_TOKEN,
                       daily_at=(now - timedelta(minutes=1)).astimezone(BANGKOK).strftime("%H:%M"))
    with writing(engine) as conn:  # added days ago, so today's time is its due run
        conn.execute(update(t.sources).where(t.sources.c.name == "shop").values(created_at=now - timedelta(days=2)))
    _enqueue_the_daily_check(topology)
    daily = _wait_for_run(first_web, admin, lambda run: run["trigger"] == "daily")
    assert (daily["status"], daily["error"], daily["created"]) == ("succeeded", None, 0)
    assert daily["updated"] >= len(set(moved)) > 0
    assert all(_children(topology["pids"][web]) == [] for web in ("web-1", "web-2"))
    engine.dispose()


def _database_exists(name: str) -> bool:
    admin = create_engine(PG_URL)
    try:
        with admin.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM pg_database WHERE datname = :name"),
                                {"name": name}).scalar_one() == 1
    finally:
        admin.dispose()
