"""Import Data: pull a source since its cursor and hand every order to the books.

Safe to repeat, to overlap and to crash. Each flush of orders is its own transaction, and the
cursor moves (forward only) just after it commits, so it never passes an order that was not
stored; re-reading an order changes nothing, so the overlap and a rerun cost only time.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from shopledger.adapters.db import sync_repo
from shopledger.adapters.db.engine import writing
from shopledger.domain.clock import utc_now
from shopledger.domain.errors import DomainError, NotFound
from shopledger.domain.sync.connector import CONNECTORS, ConnectorRegistry, PulledPage, resume_from
from shopledger.services.intake import Incoming, IntakeReport, KeptStatistics, OnProgress, Progress, take_orders
from shopledger.services.page_puller import pulled_on_process, pulled_on_thread
from shopledger.services.parallel_intake import ParallelTaker, Taken

FLUSH_AT = 1000  # orders gathered across pages before one write: fewer, bigger transactions


@dataclass
class RunOutcome:
    run_id: int
    status: str = "running"
    error: str | None = None
    pages: int = 0
    report: IntakeReport = field(default_factory=IntakeReport)
    expected: int | None = None  # orders the source said are coming (its first count; a re-scan's is part of it)
    on_progress: OnProgress | None = field(default=None, repr=False, compare=False)

    def as_dict(self) -> dict:
        return self.report.as_dict() | {"run_id": self.run_id, "status": self.status, "error": self.error,
                                         "pages": self.pages}


def queue_run(engine: Engine, source_name: str, trigger: str = "manual", now: Callable[[], datetime] = utc_now) -> int:
    """A run row in `queued`: what POST /sources/{name}/sync answers with before a worker takes it."""
    with writing(engine) as conn:
        source = sync_repo.source_by_name(conn, source_name)
        if source is None:
            raise NotFound("source", source_name)
        return sync_repo.new_run(conn, source.id, trigger, now())


def run_source_sync(engine: Engine, source_name: str, *, trigger: str = "manual", run_id: int | None = None,
                    connectors: ConnectorRegistry = CONNECTORS, extra_settings: Mapping[str, Any] | None = None,
                    flush_at: int = FLUSH_AT, workers: int = 1,
                    now: Callable[[], datetime] = utc_now, on_progress: OnProgress | None = None) -> RunOutcome:
    """One run of Import Data. With `workers` > 1 the orders are stored by that many processes
    while this one keeps pulling pages (the CLI does this; the job worker stores in-process).
    `on_progress` is told the run's counts each time they are stored in its row."""
    with writing(engine) as conn:
        source = sync_repo.source_by_name(conn, source_name, with_secrets=True)
        if source is None:
            raise NotFound("source", source_name)
        if run_id is None:
            run_id = sync_repo.new_run(conn, source.id, trigger, now())
        since = resume_from(source.cursor)
        sync_repo.abandon_stale_runs(conn, source.id, now())
        if not sync_repo.start_run(conn, run_id, since, now()):
            return RunOutcome(run_id, status="skipped", error="the run was already taken by another worker")
    outcome = RunOutcome(run_id, on_progress=on_progress)
    try:
        settings = _settings(source) | dict(extra_settings or {})
        if workers > 1 and connectors is CONNECTORS and "http_client" not in settings:
            pages = pulled_on_process(source.kind, settings, since)
        else:
            pages = pulled_on_thread(connectors.create(source.kind, settings).pull(since))
        if workers > 1:
            url = engine.url.render_as_string(hide_password=False)
            with ParallelTaker(url, source=source.name, actor=f"sync run {run_id}", workers=workers) as taker:
                _pull_and_store(engine, source, pages, outcome, flush_at, now, taker)
        else:
            _pull_and_store(engine, source, pages, outcome, flush_at, now, None)
        outcome.status = "succeeded"
    except DomainError as error:
        outcome.status, outcome.error = "failed", error.message
    except Exception as error:  # noqa: BLE001 - a run ends with its reason recorded, never silently
        outcome.status, outcome.error = "failed", f"unexpected error: {type(error).__name__}: {error}"
    with writing(engine) as conn:
        sync_repo.finish_run(conn, run_id, outcome.status, outcome.error, now())
    return outcome


def _settings(source) -> dict:
    return {"base_url": source.base_url, "token": source.token, "name": source.name}


def _pull_and_store(engine: Engine, source, pages, outcome: RunOutcome, flush_at: int, now,
                    taker: ParallelTaker | None) -> None:
    """Gather pages, hand them to be stored, and settle each hand-over in order: the cursor
    moves past a page only once it and every page before it are stored."""
    gathered: list[PulledPage] = []
    handed: deque[tuple[object, list[PulledPage]]] = deque()
    ahead = taker.workers if taker else 0
    kept = KeptStatistics(engine)
    try:
        for page in pages:
            gathered.append(page)
            if page.expected is not None and (outcome.expected is None or page.expected > outcome.expected):
                outcome.expected = page.expected
            if sum(len(p.records) for p in gathered) >= flush_at or page.last_page:
                handed.append(_hand_over(engine, source, gathered, outcome, now, taker))
                gathered = []
                while len(handed) > ahead:
                    _settle(engine, source, *handed.popleft(), outcome, now)
                    kept.wrote(outcome.report)
    finally:
        if gathered:  # a fault on a later page keeps what was already read
            handed.append(_hand_over(engine, source, gathered, outcome, now, taker))
        while handed:
            _settle(engine, source, *handed.popleft(), outcome, now)
        kept.wrote(outcome.report)
        kept.done()


def _hand_over(engine: Engine, source, pages: list[PulledPage], outcome: RunOutcome, now, taker):
    """Store the gathered pages (the newest copy of an order wins), here or on the workers."""
    records = [Incoming(f"page {p.number}", r.external_id, r.data, r.error, r.received)
               for p in pages for r in p.records]
    if taker is not None:
        return taker.take(records), pages
    report = take_orders(engine, records, source=source.name, actor=f"sync run {outcome.run_id}",
                         batch_size=len(records) + 1, now=now)
    return Taken(report, None), pages


def _settle(engine: Engine, source, handle, pages: list[PulledPage], outcome: RunOutcome, now) -> None:
    report = handle.result()
    newest = max((p.max_updated_at for p in pages if p.max_updated_at), default=None)
    with writing(engine) as conn:
        if newest is not None:
            sync_repo.move_cursor(conn, source.id, newest)
        failures = [f.as_dict() for f in report.failed]
        sync_repo.add_progress(conn, outcome.run_id, pages=len(pages), created=report.created, updated=report.updated,
                               unchanged=report.unchanged, failures=failures, expected=outcome.expected, now=now())
    outcome.pages += len(pages)
    outcome.report.add(report)
    if outcome.on_progress is not None:
        outcome.on_progress(Progress(outcome.report.done, outcome.pages, outcome.expected))
