"""Counts kept for a moment: how many items a list's filter holds (X-Total-Count, the orders
page's tabs, the alerts' groups) is asked for on nearly every request and costs more than the
page itself at hundreds of thousands of orders; it is kept per database and filter, and read
again when

- anything in this process wrote to the database (every commit that is not a plain read bumps
  a generation, and `writing()` bumps it again once its commit is done), at once; or
- it is older than KEPT_FOR, which bounds how stale another process's write (another web
  process, `shopledger worker`, the CLI) leaves it.

A count that depends on the moment (stuck orders: waiting since before now - threshold) is kept
with the moments it was counted at and used only while each has moved forward by no more than
KEPT_FOR: a kept count is never that of a moment further back than that. Inside a transaction
that writes, nothing is kept or used (it must see its own writes). While one request counts
again a count that only grew old, the others take it as it was (never older than STALE_AT_MOST)
rather than queue behind it; after a write in this process they wait for the new count.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, event

KEPT_FOR = 2.0  # seconds
STALE_AT_MOST = 2 * KEPT_FOR  # while one request counts again, the others' answer is at most this old
MOST_KEPT = 512  # filters per database; past that the oldest are let go (a search's count is its own)
READING = "reading"  # Connection.info: a read-only transaction (engine.reading), whose commit writes nothing

T = TypeVar("T")
_clock = time.monotonic  # seconds; a test moves it
_generation = 0
_bump = threading.Lock()
_kept: WeakKeyDictionary[Engine, dict[Hashable, _Kept]] = WeakKeyDictionary()
_locks: WeakKeyDictionary[Engine, dict[Hashable, threading.Lock]] = WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class _Kept:
    value: Any
    generation: int
    taken_at: float  # _clock() before it was counted
    moments: tuple[datetime, ...]


def something_changed() -> None:
    """Every count kept in this process is read again from now on."""
    global _generation
    with _bump:
        _generation += 1


def remembered(conn: Connection, key: Hashable, count: Callable[[], T], moments: tuple[datetime, ...] = ()) -> T:
    """`count()`, or what it gave for the same key a moment ago if nothing has written since."""
    if conn.info.get("write"):
        return count()
    kept = _fresh(conn.engine, key, moments)
    if kept is not None:
        return kept.value
    # One request counts; those asking for the same count meanwhile wait for it rather than
    # counting too (when a count runs out, every busy request of the process would) - unless
    # the count only grew old (nothing written here since): they take it as it was, for at most
    # STALE_AT_MOST, rather than all queue behind one count of hundreds of thousands of rows.
    lock = _counting(conn.engine, key)
    if not lock.acquire(blocking=False):
        stale = _fresh(conn.engine, key, moments, within=STALE_AT_MOST)
        if stale is not None:
            return stale.value
        lock.acquire()
    with _held(lock):
        kept = _fresh(conn.engine, key, moments)
        if kept is not None:
            return kept.value
        generation, now = _generation, _clock()
        value = count()
        per_database = _kept.get(conn.engine)
        if per_database is None:
            per_database = _kept.setdefault(conn.engine, {})
        if len(per_database) >= MOST_KEPT:
            for old in sorted(per_database, key=lambda k: per_database[k].taken_at)[:MOST_KEPT // 2]:
                per_database.pop(old, None)
        per_database[key] = _Kept(value, generation, now, moments)
        return value


def _fresh(engine: Engine, key: Hashable, moments: tuple[datetime, ...], within: float = KEPT_FOR) -> _Kept | None:
    per_database = _kept.get(engine)
    kept = per_database.get(key) if per_database is not None else None
    if (kept is not None and kept.generation == _generation and _clock() - kept.taken_at <= within
            and _moved_a_moment(kept.moments, moments, within)):
        return kept
    return None


@contextmanager
def _held(lock: threading.Lock) -> Iterator[None]:
    try:
        yield
    finally:
        lock.release()


def _counting(engine: Engine, key: Hashable) -> threading.Lock:
    with _bump:
        per_database = _locks.get(engine)
        if per_database is None:
            per_database = _locks[engine] = {}
        if len(per_database) >= MOST_KEPT:
            per_database.clear()  # a lock some thread still holds keeps working for it
        return per_database.setdefault(key, threading.Lock())


def _moved_a_moment(then: tuple[datetime, ...], now: tuple[datetime, ...], within: float = KEPT_FOR) -> bool:
    return len(then) == len(now) and all(0 <= (b - a).total_seconds() <= within for a, b in zip(then, now))


@event.listens_for(Engine, "commit")
def _on_commit(conn: Connection) -> None:
    # Fired just before the commit; engine.writing() bumps again once it is done, so a count
    # taken in between by another thread of this process is not kept past it.
    if not conn.info.get(READING):
        something_changed()
