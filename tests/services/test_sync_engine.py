"""Import Data against the demo shop in-process: runs, cursor, resume after a fault."""
from __future__ import annotations

from datetime import datetime, timezone

import httpx2
import pytest

from shopledger.adapters.db import reads
from shopledger.adapters.db.engine import reading
from shopledger.bootstrap import load_connectors
from shopledger.demo_shop.app import shop_transport
from shopledger.demo_shop.store import Fault, ShopStore
from shopledger.services import sources, sync_runs
from shopledger.services.sync import run_source_sync

pytestmark = pytest.mark.db
NOW = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)
load_connectors()


@pytest.fixture
def shop():
    store = ShopStore(clock=lambda: NOW)
    store.seed_demo(n=30, now=NOW)
    return store


def _sync(engine, store, **kw):
    client = httpx2.Client(transport=shop_transport(store, "shop-token"), base_url="http://shop.test")
    return run_source_sync(engine, "web", extra_settings={"http_client": client, "page_size": 7}, **kw)


def _add_source(engine):
    sources.add_source(engine, "web", kind="shop-api", base_url="http://shop.test", token="shop-token")


def _documents(engine):
    with reading(engine) as conn:
        return reads.documents(conn)


def test_first_run_imports_everything_and_second_only_what_changed(engine, shop):
    _add_source(engine)
    first = _sync(engine, shop)
    assert first.status == "succeeded" and first.report.created == 30 and first.pages == 5
    shop.advance(NOW.replace(hour=5))
    second = _sync(engine, shop)
    assert second.status == "succeeded" and second.report.created == 0
    assert 1 <= second.report.updated <= 8
    assert second.report.updated + second.report.unchanged < 30  # only the overlap is read again
    runs = sync_runs.list_runs(engine)
    assert [r["status"] for r in runs] == ["succeeded", "succeeded"]


def test_a_run_keeps_the_count_the_shop_gave_and_tells_its_progress_of_how_many(engine, shop):
    _add_source(engine)
    told = []
    outcome = _sync(engine, shop, flush_at=7, on_progress=told.append)
    assert outcome.expected == 30 and sync_runs.get_run(engine, outcome.run_id)["expected_orders"] == 30
    assert [(p.done, p.expected) for p in told][:2] == [(7, 30), (14, 30)] and told[-1].done == 30


def test_rejected_token_fails_the_run_and_keeps_the_cursor(engine, shop):
    _add_source(engine)
    shop.inject(Fault.http(401))
    outcome = _sync(engine, shop)
    assert outcome.status == "failed" and "token" in outcome.error
    assert sources.list_sources(engine)[0]["cursor"] is None
    assert _documents(engine) == []


def test_a_run_failing_midway_keeps_what_it_stored_and_the_next_resumes(engine, shop):
    _add_source(engine)
    shop.inject(Fault.delay(0), Fault.delay(0), Fault.malformed())  # two good pages of 7, then garbage
    outcome = _sync(engine, shop)
    assert outcome.status == "failed" and "page 3" in outcome.error
    assert outcome.report.created == 14
    cursor = sources.list_sources(engine)[0]["cursor"]
    assert cursor is not None
    again = _sync(engine, shop)
    assert again.status == "succeeded"
    assert again.report.created == 16 and again.report.unchanged < 14  # resumed near the cursor
    assert sources.list_sources(engine)[0]["cursor"] > cursor


def test_a_run_stored_by_worker_processes_matches_one_stored_here(engine, db_url, shop, tmp_path):
    """Over real HTTP (the workers are other processes); the books are those of an in-process run."""
    from shopledger.adapters.db.engine import make_engine
    from shopledger.demo_shop.app import create_shop_app
    from shopledger.demo_shop.server import serve_in_thread
    from shopledger.services.setup import init_database

    with serve_in_thread(create_shop_app(shop, "shop-token")) as url:
        sources.add_source(engine, "web", kind="shop-api", base_url=url, token="shop-token")
        parallel = run_source_sync(engine, "web", workers=2, flush_at=5, extra_settings={"page_size": 4})
        here = make_engine(f"sqlite:///{tmp_path / 'here.db'}")
        init_database(here)
        sources.add_source(here, "web", kind="shop-api", base_url=url, token="shop-token")
        single = run_source_sync(here, "web", flush_at=5, extra_settings={"page_size": 4})
    assert parallel.status == single.status == "succeeded"
    assert (parallel.report.created, parallel.pages) == (single.report.created, single.pages) == (30, 8)
    strip = lambda docs: sorted((d["kind"], d["total"], d["order"]["external_id"]) for d in docs)  # noqa: E731
    assert strip(_documents(engine)) == strip(_documents(here))
    assert sources.list_sources(engine)[0]["cursor"] == sources.list_sources(here)[0]["cursor"]


def test_a_fault_met_by_the_pulling_process_fails_the_run_with_its_reason(engine, shop):
    from shopledger.demo_shop.app import create_shop_app
    from shopledger.demo_shop.server import serve_in_thread

    shop.inject(Fault.delay(0), Fault.http(401))  # page 1 fine, page 2 refused
    with serve_in_thread(create_shop_app(shop, "shop-token")) as url:
        sources.add_source(engine, "web", kind="shop-api", base_url=url, token="shop-token")
        outcome = run_source_sync(engine, "web", workers=2, flush_at=5, extra_settings={"page_size": 4})
    assert outcome.status == "failed" and "token rejected" in outcome.error and "page 2" in outcome.error
    assert outcome.report.created == 4  # what came before the fault is kept
    assert sources.list_sources(engine)[0]["cursor"] is not None
