"""Taking orders on several processes: each takes whole batches through the same engine.

Planning a batch (validating, deciding documents and stock) runs without the books' lock, so
two processes plan at once and take turns only to apply; numbers stay gapless because they are
taken under the lock. This process reads, skips what it has seen before exactly as it is, and
keeps only a few batches in flight, so memory does not grow with the file or the shop.
"""
from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor

from sqlalchemy import Engine

from shopledger.adapters.db.engine import make_engine, reading, share_writer_gate
from shopledger.adapters.lifeline import die_with_parent
from shopledger.domain.clock import utc_now
from shopledger.services.intake import (
    Failure, Incoming, IntakeReport, KeptStatistics, OnProgress, Progress, readable_batches, skip_unchanged,
    take_changed,
)

_engine: Engine | None = None


def _start_worker(url: str, gate, parent_pid: int) -> None:
    global _engine
    die_with_parent(parent_pid)
    _engine = make_engine(url)
    share_writer_gate(gate)


def _take(records: list[tuple], source: str, actor: str) -> dict:
    """`records`: (position, external_id, data, hash) tuples, which cross processes more cheaply
    than dataclasses."""
    report = IntakeReport()
    changed = [(Incoming(position, external_id, data), digest) for position, external_id, data, digest in records]
    take_changed(_engine, changed, source, actor, utc_now(), report)
    return report.as_dict() | {"failed": [(f.external_id, f.reason, f.position) for f in report.failed]}


def _ready(linger: float) -> None:
    """A worker that has started, connected and lingered a moment (so each worker takes one)."""
    with reading(_engine) as conn:
        conn.exec_driver_sql("SELECT 1")
    time.sleep(linger)


class Taken:
    """A batch handed to the workers: `result()` waits for it and returns its report."""

    def __init__(self, skipped: IntakeReport, future: Future | None):
        self.skipped, self.future = skipped, future

    def result(self) -> IntakeReport:
        report = self.skipped
        if self.future is not None:
            part = self.future.result()
            report.add(IntakeReport(part["created"], part["updated"], part["unchanged"],
                                    [Failure(*failure) for failure in part["failed"]]))
        return report


class ParallelTaker:
    """Hands batches of one source's orders to worker processes, started at the first batch
    with something new in it. While it is open this process writes through the same gate."""

    def __init__(self, url: str, *, source: str, actor: str, workers: int = 2):
        self.url, self.source, self.actor, self.workers = url, source, actor, workers
        self.engine = make_engine(url)
        self._context = multiprocessing.get_context("spawn")
        self._gate = self._context.Lock()
        self._pool: ProcessPoolExecutor | None = None
        share_writer_gate(self._gate)

    def take(self, batch: list[Incoming]) -> Taken:
        """Hand a batch over; a record that could not even be read is failed here, with its reason."""
        report = IntakeReport()
        readable = [record for part in readable_batches(batch, len(batch) + 1, report) for record in part]
        changed = skip_unchanged(self.engine, readable, self.source, report) if readable else []
        if not changed:
            return Taken(report, None)
        plain = [(r.position, r.external_id, r.data, digest) for r, digest in changed]
        return Taken(report, self._started().submit(_take, plain, self.source, self.actor))

    def start(self) -> None:
        """Start every worker now and wait until each is ready (they start at the first batch
        with something new otherwise): the calibration times the import without the start-up."""
        pool = self._started()
        for ready in [pool.submit(_ready, 0.3) for _ in range(self.workers)]:
            ready.result()

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=self._context, initializer=_start_worker,
                                             initargs=(self.url, self._gate, os.getpid()))
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
        share_writer_gate(None)
        self.engine.dispose()

    def __enter__(self) -> ParallelTaker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def take_orders_in_parallel(url: str, records: Iterable[Incoming], *, source: str, actor: str, workers: int = 2,
                            batch_size: int = 1000, on_progress: OnProgress | None = None) -> IntakeReport:
    with ParallelTaker(url, source=source, actor=actor, workers=workers) as taker:
        report = feed(taker, records, batch_size, on_progress)
    return report


def feed(taker: ParallelTaker, records: Iterable[Incoming], batch_size: int,
         on_progress: OnProgress | None = None) -> IntakeReport:
    """Hand every batch to the taker's workers, a few ahead, and add up their reports
    (`on_progress` is told as each batch's report comes back)."""
    report = IntakeReport()
    kept = KeptStatistics(taker.engine)

    def settled(taken: Taken) -> None:
        report.add(taken.result())
        kept.wrote(report)
        if on_progress is not None:
            on_progress(Progress(report.done))

    pending: deque[Taken] = deque()  # oldest first, so failures are listed in file order
    for batch in readable_batches(records, batch_size, report):
        if len(pending) > taker.workers:
            settled(pending.popleft())
        pending.append(taker.take(batch))
    while pending:
        settled(pending.popleft())
    kept.done()
    return report
