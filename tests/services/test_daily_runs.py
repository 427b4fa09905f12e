"""The daily run: due rows unique per (source, business date); missed runs catch up; huey runs the task."""
from __future__ import annotations

from datetime import date, datetime, timezone

import httpx2
import pytest
from sqlalchemy import func, select

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.engine import reading, writing
from shopledger.demo_shop.app import shop_transport
from shopledger.demo_shop.store import ShopStore
from shopledger.services import schedule, sources
from shopledger.domain.clock import utc_now
from shopledger.domain.sync.webhook import SignedHeaders, signed_headers
from shopledger.services.push import take_pushed_order, BadSignature
from shopledger.services.sync import run_source_sync

pytestmark = pytest.mark.db


def _utc(day, hour, minute=0):
    return datetime(2026, 11, day, hour, minute, tzinfo=timezone.utc)


def test_latest_due_date_is_in_the_merchants_time_zone():
    # 06:00 in Bangkok is 23:00 UTC the day before
    assert schedule.latest_due_date("06:00", "Asia/Bangkok", _utc(25, 23, 1))[0] == date(2026, 11, 26)
    assert schedule.latest_due_date("06:00", "Asia/Bangkok", _utc(25, 22, 59))[0] == date(2026, 11, 25)


def _added_on(engine, name, moment):
    with writing(engine) as conn:
        conn.execute(t.sources.update().where(t.sources.c.name == name).values(created_at=moment))


def test_a_source_added_after_todays_time_first_runs_tomorrow(engine):
    sources.add_source(engine, "web", kind="shop-api", base_url="http://shop.test", token="x", daily_at="06:00")
    _added_on(engine, "web", _utc(26, 3, 0))  # 10:00 in Bangkok
    assert schedule.tick(engine, _utc(26, 3, 5), lambda run_id: None) == []
    assert len(schedule.tick(engine, _utc(26, 23, 1), lambda run_id: None)) == 1  # 06:01 next day


def _due_rows(engine):
    with reading(engine) as conn:
        return conn.execute(select(t.due_runs.c.business_date, t.due_runs.c.run_id).order_by(t.due_runs.c.id)).all()


def test_a_second_scheduler_or_restart_never_doubles_a_days_run(engine):
    sources.add_source(engine, "web", kind="shop-api", base_url="http://shop.test", token="x", daily_at="06:00")
    sources.add_source(engine, "manual-only", kind="shop-api", base_url="http://shop.test", token="x")
    _added_on(engine, "web", _utc(1, 0))
    enqueued: list[int] = []
    first = schedule.tick(engine, _utc(26, 0, 5), enqueued.append)
    again = schedule.tick(engine, _utc(26, 0, 6), enqueued.append)
    other_scheduler = schedule.tick(engine, _utc(26, 1, 0), enqueued.append)
    assert len(first) == 1 and again == []
    # an hour later the run is still queued (its enqueue may have been lost): handed out again,
    # never as a second run, and only one worker can start it
    assert other_scheduler == first
    assert [r.business_date for r in _due_rows(engine)] == [date(2026, 11, 26)]
    with reading(engine) as conn:
        assert conn.execute(select(func.count()).select_from(t.sync_runs)).scalar() == 1


def test_a_run_missed_while_the_server_was_down_runs_when_it_comes_back(engine):
    sources.add_source(engine, "web", kind="shop-api", base_url="http://shop.test", token="x", daily_at="06:00")
    _added_on(engine, "web", _utc(1, 0))
    schedule.tick(engine, _utc(24, 0, 0), lambda run_id: None)  # the run of 24 Nov
    # down from the 24th until 10:00 Bangkok on the 26th: one catch-up run, for the 26th
    runs = schedule.tick(engine, _utc(26, 3, 0), lambda run_id: None)
    assert len(runs) == 1  # the 24th's run, never taken, is superseded rather than run twice
    assert [r.business_date for r in _due_rows(engine)] == [date(2026, 11, 24), date(2026, 11, 26)]


def test_the_huey_task_runs_a_claimed_daily_run(engine, monkeypatch):
    from shopledger import jobs

    store = ShopStore(clock=lambda: _utc(25, 3))
    store.seed_demo(n=12, now=_utc(25, 3))
    client = httpx2.Client(transport=shop_transport(store, "tok"), base_url="http://shop.test")
    sources.add_source(engine, "web", kind="shop-api", base_url="http://shop.test", token="tok", daily_at="06:00")
    _added_on(engine, "web", _utc(1, 0))
    monkeypatch.setattr(jobs, "default_engine", lambda: engine)
    real = jobs.run_source_sync
    monkeypatch.setattr(jobs, "run_source_sync",
                        lambda e, name, **kw: real(e, name, extra_settings={"http_client": client}, **kw))
    monkeypatch.setattr(jobs.huey, "immediate", True)
    run_ids = schedule.tick(engine, _utc(26, 0, 5), jobs.run_queued_sync)
    with reading(engine) as conn:
        run = conn.execute(select(t.sync_runs).where(t.sync_runs.c.id == run_ids[0])).one()
        orders = conn.execute(select(func.count()).select_from(t.orders)).scalar()
    assert (run.trigger, run.status, run.created) == ("daily", "succeeded", 12) and orders == 12


def _pushed_order():
    store = ShopStore(clock=lambda: _utc(25, 3))
    store.seed_demo(n=1, now=_utc(25, 3))
    return httpx2.Response(200, json=store.changed_since(None)[0]).content


def test_a_pushed_order_with_a_good_signature_is_imported(engine):
    shown = sources.add_source(engine, "web", kind="shop-api", base_url="http://shop.test", token="tok")
    body = _pushed_order()
    sent = signed_headers(shown["push_secret"], "d-1", body, utc_now())
    headers = SignedHeaders(sent["X-Shop-Timestamp"], sent["X-Shop-Delivery"], sent["X-Shop-Signature"])
    answer = take_pushed_order(engine, "web", body, headers)
    assert answer.report.created == 1 and answer.report.failed == []


@pytest.mark.parametrize("signature", [None, "", "sha256=00", "deadbeef"])
def test_a_bad_or_missing_signature_changes_nothing(engine, signature):
    sources.add_source(engine, "web", kind="shop-api", base_url="http://shop.test", token="tok")
    with pytest.raises(BadSignature):
        take_pushed_order(engine, "web", _pushed_order(),
                          SignedHeaders(str(int(utc_now().timestamp())), "d-1", signature))
    with reading(engine) as conn:
        assert conn.execute(select(func.count()).select_from(t.orders)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(t.sync_runs)).scalar() == 0
