"""A big import on several processes: each takes whole batches through the same engine.

Planning a batch (validating, deciding documents and stock) runs without the books' lock, so
two processes plan at once and take turns only to apply; numbers stay gapless because they are
taken under the lock. The reader stays in this process and keeps only a few batches in flight,
so memory does not grow with the file.
"""
from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from sqlalchemy import Engine

from shopledger.adapters.db.engine import make_engine, share_writer_gate
from shopledger.domain.clock import utc_now
from shopledger.services.intake import Failure, Incoming, IntakeReport, skip_unchanged, take_changed

_engine: Engine | None = None


def _start_worker(url: str, gate) -> None:
    global _engine
    _engine = make_engine(url)
    share_writer_gate(gate)


def _take(records: list[tuple], source: str, actor: str) -> dict:
    """`records`: (position, external_id, data, hash) tuples, which cross processes more cheaply
    than dataclasses."""
    report = IntakeReport()
    changed = [(Incoming(position, external_id, data), digest) for position, external_id, data, digest in records]
    take_changed(_engine, changed, source, actor, utc_now(), report)
    return report.as_dict() | {"failed": [(f.external_id, f.reason, f.position) for f in report.failed]}


def take_orders_in_parallel(url: str, records: Iterable[Incoming], *, source: str, actor: str, workers: int = 2,
                            batch_size: int = 1000) -> IntakeReport:
    report = IntakeReport()
    engine = make_engine(url)
    context = multiprocessing.get_context("spawn")
    pool: ProcessPoolExecutor | None = None  # started only once a batch has something new
    pending: deque[Future] = deque()  # oldest first, so failures are listed in file order
    try:
        for batch in _batches(records, batch_size, report):
            changed = skip_unchanged(engine, batch, source, report)
            if not changed:
                continue
            pool = pool or ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                               initargs=(url, context.Lock()))
            if len(pending) > workers:
                _collect(pending.popleft(), report)
            plain = [(r.position, r.external_id, r.data, digest) for r, digest in changed]
            pending.append(pool.submit(_take, plain, source, actor))
        while pending:
            _collect(pending.popleft(), report)
    finally:
        if pool is not None:
            pool.shutdown()
        engine.dispose()
    return report


def _batches(records: Iterable[Incoming], size: int, report: IntakeReport) -> Iterator[list[Incoming]]:
    """Batches of readable records; a record that could not even be read is failed here."""
    batch: list[Incoming] = []
    for record in records:
        if record.error is not None:
            report.failed.append(Failure(record.external_id, record.error, record.position))
            continue
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _collect(future: Future, report: IntakeReport) -> None:
    part = future.result()
    report.created += part["created"]
    report.updated += part["updated"]
    report.unchanged += part["unchanged"]
    report.failed += [Failure(*failure) for failure in part["failed"]]
