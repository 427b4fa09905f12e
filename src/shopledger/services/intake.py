"""Orders in: validate, keep the newest version of each, and bring its books up to date.

The hot path of every import (a file, a shop pull, a pushed order, a clerk's edit). Orders
are taken in chunks; each chunk is one transaction written with a few bulk statements. A
chunk that fails for an unexpected reason is retried order by order, so one bad order is
recorded with its reason and every other one still goes in.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine

from shopledger.adapters.db import orders_repo, statistics
from shopledger.adapters.db.engine import reading, writing
from shopledger.adapters.db.rehearsal import Rehearsal
from shopledger.adapters.db.settings_repo import load_policy
from shopledger.domain import limits
from shopledger.domain.accounting.vat import VatTerms
from shopledger.domain.clock import utc_now
from shopledger.domain.errors import InvalidOrder
from shopledger.domain.orders.canonical import received_hash
from shopledger.domain.orders.interchange import parse_order
from shopledger.domain.orders.model import Order
from shopledger.domain.orders.versions import is_newer
from shopledger.services.order_books import ChunkOutcome, apply_chunk, write_chunk
from shopledger.services.order_plan import plan_chunk, still_current

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Incoming:
    """One record as a door read it: an interchange dict, or why it could not be read."""

    position: str
    external_id: str | None
    data: dict | None = None
    error: str | None = None
    received: str | None = None  # its received hash, when the door already worked it out


@dataclass
class Failure:
    external_id: str | None
    reason: str
    position: str = ""

    def as_dict(self) -> dict:
        return {"external_id": self.external_id, "reason": self.reason, "position": self.position}


@dataclass
class IntakeReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[Failure] = field(default_factory=list)
    order_ids: list[int] = field(default_factory=list)

    def add(self, outcome: ChunkOutcome | IntakeReport) -> None:
        self.created += outcome.created
        self.updated += outcome.updated
        self.unchanged += outcome.unchanged
        self.order_ids += outcome.order_ids
        if isinstance(outcome, IntakeReport):
            self.failed += outcome.failed

    @property
    def done(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.failed)

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "failed": [f.as_dict() for f in self.failed]}


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a long import is, as its report counts it: what a progress bar shows (the CLI's)."""

    done: int  # orders taken so far: created, updated, unchanged and failed
    pages: int = 0  # pages pulled from a source (Import Data)
    expected: int | None = None  # orders the source said are coming, when it said


OnProgress = Callable[[Progress], None]


def take_orders(engine: Engine | Rehearsal, records: Iterable[Incoming], *, source: str, actor: str,
                batch_size: int = 1000, now: Callable[[], datetime] = utc_now,
                on_progress: OnProgress | None = None) -> IntakeReport:
    """Import every good record; list each bad one with its reason. `on_progress` is told after
    each batch. Given a rehearsal instead of the engine (a dry run, services/preview.py), every
    read and write goes through its one transaction, each write step in a savepoint."""
    report = IntakeReport()
    kept = KeptStatistics(engine)  # a rehearsal (services/preview.py) analyses nothing
    for batch in readable_batches(records, batch_size, report):
        _take_batch(engine, batch, source, actor, now(), report)
        kept.wrote(report)
        if on_progress is not None:
            on_progress(Progress(report.done))
    kept.done()
    return report


class KeptStatistics:
    """The planner's statistics kept current while a run writes: every CHECK_EVERY orders
    written, and at the end of a run that wrote at least END_CHECK_AT, the tables that grew to
    twice their size since they were last analysed are analysed (adapters/db/statistics.py).
    Without it, PostgreSQL plans a table grown by a bulk load as if it were still small."""

    CHECK_EVERY = 10_000
    END_CHECK_AT = 1_000

    def __init__(self, engine: Engine):
        self.engine, self._counted, self._unchecked = engine, 0, 0

    def wrote(self, report: IntakeReport) -> None:
        """`report`: the run's report so far (orders created and updated are counted)."""
        written = report.created + report.updated
        self._unchecked += written - self._counted
        self._counted = written
        if self._unchecked >= self.CHECK_EVERY:
            self._check()

    def done(self) -> None:
        if self._unchecked >= self.END_CHECK_AT:
            self._check()

    def _check(self) -> None:
        self._unchecked = 0
        if isinstance(self.engine, Rehearsal):
            return  # ANALYZE would outlive the rollback (and commits on its own on PostgreSQL)
        try:
            analysed = statistics.refresh(self.engine)
        except Exception:  # noqa: BLE001 - statistics only speed queries up: never fail an import on them
            _log.exception("keeping the planner's statistics current failed")
            return
        if analysed:
            _log.info("analysed %s", ", ".join(analysed))


def readable_batches(records: Iterable[Incoming], size: int, report: IntakeReport) -> Iterator[list[Incoming]]:
    """Batches of the records that could be read; one that could not is failed with its reason."""
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


def _take_batch(engine: Engine, batch: list[Incoming], source: str, actor: str, now: datetime,
                report: IntakeReport) -> None:
    take_changed(engine, skip_unchanged(engine, batch, source, report), source, actor, now, report)


def skip_unchanged(engine: Engine, batch: list[Incoming], source: str,
                   report: IntakeReport) -> list[tuple[Incoming, str]]:
    """Records seen before exactly as they are now are unchanged without even being parsed
    (the re-import of a file). Returns the others, each with its hash."""
    hashes = [record.received or received_hash(record.data) for record in batch]
    with _reading(engine) as conn:
        stored = orders_repo.received_hashes(conn, source, [_record_id(r.data) for r in batch])
    left = [(r, h) for r, h in zip(batch, hashes) if stored.get(_record_id(r.data)) != h]
    report.unchanged += len(batch) - len(left)
    return left


def take_changed(engine: Engine, records: list[tuple[Incoming, str]], source: str, actor: str, now: datetime,
                 report: IntakeReport) -> None:
    """Validate, keep the newest version of each order, and write them."""
    if not records:
        return
    with _reading(engine) as conn:
        vat = load_policy(conn).vat_terms  # a total before VAT must follow the merchant's VAT
    chunk: dict[tuple[str, str], tuple[Order, str]] = {}
    for record, digest in records:
        order = _validated(record, source, vat, report)
        if order is None:
            continue
        held = chunk.get(order.key)
        if held is None or is_newer(order, held[0]):
            chunk[order.key] = (order, digest)  # the same order twice in one go: the newest wins
    if chunk:
        _write(engine, list(chunk.values()), actor, now, report)


def _record_id(data: object) -> str:
    return str(data.get("external_id", "")).strip() if isinstance(data, dict) else ""


def _plan_then_apply(engine: Engine, orders: list[tuple[Order, str]], actor: str, now: datetime) -> ChunkOutcome:
    """Plan without the lock (other importers go on meanwhile), apply under it; plan again
    under the lock only if one of these orders changed in between."""
    with _reading(engine) as conn:
        chunk = plan_chunk(conn, orders, load_policy(conn), now)
    with _writing(engine) as conn:
        policy = load_policy(conn)
        if not still_current(conn, chunk, policy, [order.key for order, _ in orders]):
            chunk = plan_chunk(conn, orders, policy, now)
        return apply_chunk(conn, chunk, actor, now)


def _reading(books: Engine | Rehearsal):
    """The engine's read transaction, or a rehearsal's own connection (it sees its writes)."""
    return books.reading() if isinstance(books, Rehearsal) else reading(books)


def _writing(books: Engine | Rehearsal):
    """The books' write transaction, or a savepoint of the rehearsal's one."""
    return books.writing() if isinstance(books, Rehearsal) else writing(books)


def _validated(record: Incoming, source: str, vat: VatTerms, report: IntakeReport) -> Order | None:
    try:
        return parse_order(record.data, source, vat=vat)
    except InvalidOrder as bad:
        report.failed.append(Failure(bad.external_id or record.external_id, bad.reason, record.position))
        return None


def _write(engine: Engine, orders: list[tuple[Order, str]], actor: str, now: datetime,
           report: IntakeReport) -> None:
    try:
        report.add(_plan_then_apply(engine, orders, actor, now))
        return
    except Exception:  # noqa: BLE001 - one bad order must not sink the chunk: retry one by one
        pass
    for order, digest in orders:
        try:
            with _writing(engine) as conn:
                report.add(write_chunk(conn, [(order, digest)], load_policy(conn), actor, now))
        except Exception:  # noqa: BLE001 - recorded with its reason, the run goes on
            # The technical error (often SQL) is for support's log; the merchant reads a sentence.
            _log.exception("order %s:%s could not be booked", order.source, order.external_id)
            report.failed.append(Failure(order.external_id, limits.NOT_BOOKED))
