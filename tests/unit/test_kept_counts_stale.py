"""While one request counts a list again, the others take the count of a moment ago (at most
STALE_AT_MOST old) instead of queuing behind it; after a write in this process they wait for the
new count, which must see the write."""
from __future__ import annotations

import threading

import pytest

from shopledger.adapters.db import kept_counts

pytestmark = pytest.mark.unit


class Engine:  # what remembered() needs of a database: something to key its counts by
    pass


class Conn:
    def __init__(self, engine):
        self.engine, self.info = engine, {}


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(kept_counts, "_clock", lambda: now[0])
    return now


def _recount_in_background(conn, started: threading.Event, release: threading.Event, value: int) -> threading.Thread:
    def slow() -> int:
        started.set()
        release.wait(5)
        return value

    thread = threading.Thread(target=kept_counts.remembered, args=(conn, "orders", slow))
    thread.start()
    assert started.wait(5)
    return thread


def _asked_while_another_counts(conn) -> list[int]:
    """What a request gets while another counts again (to 2): it must still be waiting after
    0.3 s, then take the new count."""
    started, release = threading.Event(), threading.Event()
    counting = _recount_in_background(conn, started, release, 2)
    answer = []
    waiting = threading.Thread(target=lambda: answer.append(kept_counts.remembered(conn, "orders", lambda: 99)))
    waiting.start()
    waiting.join(0.3)
    assert waiting.is_alive()
    release.set()
    counting.join()
    waiting.join(5)
    return answer


def test_an_old_count_is_taken_while_another_request_counts_again(clock):
    conn = Conn(Engine())
    assert kept_counts.remembered(conn, "orders", lambda: 1) == 1
    clock[0] += kept_counts.KEPT_FOR + 0.5  # grown old: the next request counts again
    started, release = threading.Event(), threading.Event()
    counting = _recount_in_background(conn, started, release, 2)
    assert kept_counts.remembered(conn, "orders", lambda: 99) == 1  # not queued, not counted twice
    release.set()
    counting.join()
    assert kept_counts.remembered(conn, "orders", lambda: 99) == 2


def test_never_older_than_stale_at_most(clock):
    conn = Conn(Engine())
    kept_counts.remembered(conn, "orders", lambda: 1)
    clock[0] += kept_counts.STALE_AT_MOST + 0.5
    assert _asked_while_another_counts(conn) == [2]  # too old to hand out: it waited for the count


def test_after_a_write_here_nobody_takes_the_old_count(clock):
    conn = Conn(Engine())
    kept_counts.remembered(conn, "orders", lambda: 1)
    kept_counts.something_changed()
    assert _asked_while_another_counts(conn) == [2]
