"""Orders in: validate, keep the newest version of each, and bring its books up to date.

The hot path of every import (a file, a shop pull, a pushed order, a clerk's edit). Orders
are taken in chunks; each chunk is one transaction written with a few bulk statements. A
chunk that fails for an unexpected reason is retried order by order, so one bad order is
recorded with its reason and every other one still goes in.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine

from shopledger.adapters.db.engine import writing
from shopledger.adapters.db.settings_repo import load_policy
from shopledger.domain.clock import utc_now
from shopledger.domain.errors import InvalidOrder
from shopledger.domain.orders.interchange import parse_order
from shopledger.domain.orders.model import Order
from shopledger.services.order_books import ChunkOutcome, write_chunk


@dataclass(frozen=True, slots=True)
class Incoming:
    """One record as a door read it: an interchange dict, or why it could not be read."""

    position: str
    external_id: str | None
    data: dict | None = None
    error: str | None = None


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

    def add(self, outcome: ChunkOutcome) -> None:
        self.created += outcome.created
        self.updated += outcome.updated
        self.unchanged += outcome.unchanged
        self.order_ids += outcome.order_ids

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "failed": [f.as_dict() for f in self.failed]}


def take_orders(engine: Engine, records: Iterable[Incoming], *, source: str, actor: str,
                batch_size: int = 1000, now: Callable[[], datetime] = utc_now) -> IntakeReport:
    """Import every good record; list each bad one with its reason."""
    report = IntakeReport()
    chunk: dict[tuple[str, str], Order] = {}
    for record in records:
        order = _validated(record, source, report)
        if order is None:
            continue
        held = chunk.get(order.key)
        if held is None or held.updated_at <= order.updated_at:
            chunk[order.key] = order  # the same order twice in one go: the newest wins
        if len(chunk) >= batch_size:
            _write(engine, list(chunk.values()), actor, now(), report)
            chunk = {}
    if chunk:
        _write(engine, list(chunk.values()), actor, now(), report)
    return report


def _validated(record: Incoming, source: str, report: IntakeReport) -> Order | None:
    if record.error is not None:
        report.failed.append(Failure(record.external_id, record.error, record.position))
        return None
    try:
        return parse_order(record.data, source)
    except InvalidOrder as bad:
        report.failed.append(Failure(bad.external_id or record.external_id, bad.reason, record.position))
        return None


def _write(engine: Engine, orders: list[Order], actor: str, now: datetime, report: IntakeReport) -> None:
    try:
        with writing(engine) as conn:
            report.add(write_chunk(conn, orders, load_policy(conn), actor, now))
        return
    except Exception:  # noqa: BLE001 - one bad order must not sink the chunk: retry one by one
        pass
    for order in orders:
        try:
            with writing(engine) as conn:
                report.add(write_chunk(conn, [order], load_policy(conn), actor, now))
        except Exception as error:  # noqa: BLE001 - recorded with its reason, the run goes on
            report.failed.append(Failure(order.external_id, f"could not be booked: {error}"))
