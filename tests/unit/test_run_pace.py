"""A run's pace as the Import Data page and the CLI's bar count it: done, of how many (when the
source said), orders a second, seconds left."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from shopledger.services.sync_runs import pace

START = datetime(2026, 11, 30, 3, 0, tzinfo=timezone.utc)


def _run(done: int, expected: int | None, *, ended: datetime | None = None) -> dict:
    return {"created": done - 2, "updated": 1, "unchanged": 0, "failed": [{"external_id": "X"}],
            "started_at": START.isoformat(), "ended_at": ended.isoformat() if ended else None,
            "expected_orders": expected}


def test_time_left_comes_from_the_rate_so_far_and_the_orders_still_to_come():
    shown = pace(_run(500, 2_000), now=START + timedelta(seconds=10))
    assert shown == {"done": 500, "of": 2_000, "per_second": 50, "seconds_left": 30}


def test_no_count_from_the_source_means_no_total_and_no_time_left():
    assert pace(_run(500, None), now=START + timedelta(seconds=10)) == {
        "done": 500, "of": None, "per_second": 50, "seconds_left": None}


def test_a_run_that_went_past_its_count_shows_no_total():
    # orders changed while the shop was paged: a re-read brings more than the first count said
    assert pace(_run(2_100, 2_000), now=START + timedelta(seconds=10))["of"] is None


def test_an_ended_run_has_nothing_left_and_its_rate_over_its_whole_time():
    shown = pace(_run(2_000, 2_000, ended=START + timedelta(seconds=40)), now=START + timedelta(hours=1))
    assert shown == {"done": 2_000, "of": 2_000, "per_second": 50, "seconds_left": None}


def test_in_its_first_second_a_run_has_no_rate_yet():
    assert pace(_run(3, 100), now=START + timedelta(milliseconds=500))["seconds_left"] is None
