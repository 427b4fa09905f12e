"""Import Data: pull a source since its cursor and hand every order to the books.

Safe to repeat, to overlap and to crash. Each flush of orders is its own transaction, and the
cursor moves (forward only) just after it commits, so it never passes an order that was not
stored; re-reading an order changes nothing, so the overlap and a rerun cost only time.
"""
from __future__ import annotations

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
from shopledger.services.intake import Incoming, IntakeReport, take_orders

FLUSH_AT = 1000  # orders gathered across pages before one write: fewer, bigger transactions


@dataclass
class RunOutcome:
    run_id: int
    status: str = "running"
    error: str | None = None
    pages: int = 0
    report: IntakeReport = field(default_factory=IntakeReport)

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
                    flush_at: int = FLUSH_AT, now: Callable[[], datetime] = utc_now) -> RunOutcome:
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
    outcome = RunOutcome(run_id)
    try:
        connector = connectors.create(source.kind, _settings(source) | dict(extra_settings or {}))
        _pull_and_store(engine, source, connector.pull(since), outcome, flush_at, now)
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


def _pull_and_store(engine: Engine, source, pages, outcome: RunOutcome, flush_at: int, now) -> None:
    pending: list[PulledPage] = []
    try:
        for page in pages:
            pending.append(page)
            if sum(len(p.records) for p in pending) >= flush_at or page.last_page:
                _flush(engine, source, pending, outcome, now)
                pending = []
    finally:
        if pending:  # a fault on a later page keeps what was already read
            _flush(engine, source, pending, outcome, now)


def _flush(engine: Engine, source, pages: list[PulledPage], outcome: RunOutcome, now) -> None:
    """Store the gathered pages (the newest copy of an order wins), then move the cursor."""
    records = [Incoming(f"page {p.number}", r.external_id, r.data, r.error) for p in pages for r in p.records]
    report = take_orders(engine, records, source=source.name, actor=f"sync run {outcome.run_id}",
                         batch_size=len(records) + 1, now=now)
    newest = max((p.max_updated_at for p in pages if p.max_updated_at), default=None)
    with writing(engine) as conn:
        if newest is not None:
            sync_repo.move_cursor(conn, source.id, newest)
        failures = [f.as_dict() for f in report.failed]
        sync_repo.add_progress(conn, outcome.run_id, pages=len(pages), created=report.created, updated=report.updated,
                               unchanged=report.unchanged, failures=failures, now=now())
    outcome.pages += len(pages)
    outcome.report.created += report.created
    outcome.report.updated += report.updated
    outcome.report.unchanged += report.unchanged
    outcome.report.failed += report.failed
