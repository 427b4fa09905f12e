"""Orders a shop pushes to us (a webhook): signed, fresh, and taken once per delivery id.

Nothing is parsed before the signature is checked, and an unknown source is refused exactly as
a bad signature is (no probing for source names). A good push goes through the same engine as
a pull and is recorded as a run of its own, so the merchant sees where the order came from.
A delivery id seen in the last day is answered "already received" and changes nothing.
"""
from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from shopledger.adapters.connectors.file_guards import nesting_problem
from shopledger.adapters.db import push_repo, sync_repo
from shopledger.adapters.db.engine import reading, writing
from shopledger.domain.clock import utc_now
from shopledger.domain.errors import Conflict, DomainError
from shopledger.domain.sync.connector import CONNECTORS
from shopledger.domain.sync.webhook import REMEMBERED_FOR, TOLERANCE, SignedHeaders, signature_matches
from shopledger.services.intake import Incoming, IntakeReport, take_orders

# Checked against when the source is unknown, so that answer takes as long as a bad signature.
_DECOY_SECRET = secrets.token_urlsafe(24)


class BadSignature(DomainError):
    status = 401

    def __init__(self) -> None:
        super().__init__("bad_signature", "the push is not signed for this source: X-Shop-Timestamp, "
                                          "X-Shop-Delivery and X-Shop-Signature are required (docs/webhooks.md)")


class StaleTimestamp(DomainError):
    status = 401

    def __init__(self, now: datetime) -> None:
        super().__init__("stale_timestamp", f"X-Shop-Timestamp must be within {int(TOLERANCE.total_seconds())} "
                                            f"seconds of our time, now {int(now.timestamp())}")


@dataclass(frozen=True, slots=True)
class PushAnswer:
    run_id: int | None
    report: IntakeReport
    already_received: bool = False

    def as_dict(self) -> dict:
        return self.report.as_dict() | {"run_id": self.run_id,
                                        "status": "already_received" if self.already_received else "received"}


def check_headers(headers: SignedHeaders, now: datetime) -> None:
    """What can be refused before the body is read, the same for every source name."""
    if not headers.well_formed():
        raise BadSignature()
    if not headers.fresh_at(now):
        raise StaleTimestamp(now)


def take_pushed_order(engine: Engine, source_name: str, body: bytes, headers: SignedHeaders,
                      now: Callable[[], datetime] = utc_now) -> PushAnswer:
    check_headers(headers, now())
    with reading(engine) as conn:
        source = sync_repo.source_by_name(conn, source_name, with_secrets=True)
    secret = source.push_secret if source is not None and source.push_secret else None
    if not signature_matches(secret or _DECOY_SECRET, headers, body) or secret is None:
        raise BadSignature()
    if (problem := nesting_problem(body)):  # the json module recurses once per level
        raise DomainError("invalid_body", f"the pushed body cannot be read: {problem}")
    try:
        raw = json.loads(body)
    except ValueError:
        raise DomainError("invalid_body", "the pushed body is not JSON") from None
    record = CONNECTORS.create(source.kind, {"base_url": source.base_url, "token": source.token}).map_pushed(raw)
    run_id = _claim(engine, source.id, headers.delivery_id, now())
    if run_id is None:
        return _already_received(engine, source.id, headers.delivery_id)
    try:
        report = take_orders(engine, [Incoming("pushed order", record.external_id, record.data, record.error)],
                             source=source.name, actor=f"push run {run_id}", now=now)
    except BaseException as error:
        _release(engine, source.id, headers.delivery_id, run_id, error, now())
        raise
    with writing(engine) as conn:
        sync_repo.add_progress(conn, run_id, pages=0, created=report.created, updated=report.updated,
                               unchanged=report.unchanged, failures=[f.as_dict() for f in report.failed], now=now())
        sync_repo.finish_run(conn, run_id, "succeeded", None, now())
    return PushAnswer(run_id, report)


def _claim(engine: Engine, source_id: int, delivery_id: str, now: datetime) -> int | None:
    """A run for this delivery, or None if the delivery was received before (the books' lock
    makes look-up and insert one step; the unique key backs it)."""
    with writing(engine) as conn:
        push_repo.forget_before(conn, now - REMEMBERED_FOR)
        if push_repo.delivery(conn, source_id, delivery_id) is not None:
            return None
        run_id = sync_repo.new_run(conn, source_id, "push", now)
        sync_repo.start_run(conn, run_id, None, now)
        push_repo.remember(conn, source_id, delivery_id, run_id, now)
    return run_id


def _already_received(engine: Engine, source_id: int, delivery_id: str) -> PushAnswer:
    with reading(engine) as conn:
        seen = push_repo.delivery(conn, source_id, delivery_id)
    if seen is not None and seen.status == "running":
        # Answering "received" now would stop the shop retrying a push that may yet fail.
        raise Conflict("delivery_in_progress", f"delivery {delivery_id} is being taken; try again shortly")
    return PushAnswer(seen.run_id if seen else None, IntakeReport(), already_received=True)


def _release(engine: Engine, source_id: int, delivery_id: str, run_id: int, error: BaseException,
             now: datetime) -> None:
    """A push that failed on our side is forgotten, so the shop's retry is taken."""
    with writing(engine) as conn:
        push_repo.forget(conn, source_id, delivery_id)
        sync_repo.finish_run(conn, run_id, "failed", f"{type(error).__name__}: {error}", now)
