"""Orders a shop pushes to us (a webhook), checked by an HMAC-SHA256 of the body.

A bad or missing signature changes nothing. A good one goes through the same engine as a
pull, and is recorded as a run of its own so the merchant sees where the order came from.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine

from shopledger.adapters.db import sync_repo
from shopledger.adapters.db.engine import writing
from shopledger.domain.clock import utc_now
from shopledger.domain.errors import DomainError
from shopledger.domain.sync.connector import CONNECTORS
from shopledger.services.intake import Incoming, IntakeReport, take_orders
from shopledger.services.sources import get_source


class BadSignature(DomainError):
    status = 401

    def __init__(self) -> None:
        super().__init__("bad_signature", "the X-Shop-Signature header is missing or does not match the body")


def signature_for(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_matches(secret: str | None, body: bytes, given: str | None) -> bool:
    if not secret or not given:
        return False
    given = given.strip().removeprefix("sha256=")
    return hmac.compare_digest(signature_for(secret, body), given.lower())


def take_pushed_order(engine: Engine, source_name: str, body: bytes, signature: str | None,
                      now: Callable[[], datetime] = utc_now) -> tuple[int, IntakeReport]:
    source = get_source(engine, source_name)
    if not signature_matches(source.push_secret, body, signature):
        raise BadSignature()
    try:
        raw = json.loads(body)
    except ValueError:
        raise DomainError("invalid_body", "the pushed body is not JSON") from None
    connector = CONNECTORS.create(source.kind, {"base_url": source.base_url, "token": source.token})
    record = connector.map_pushed(raw)
    with writing(engine) as conn:
        run_id = sync_repo.new_run(conn, source.id, "push", now())
        sync_repo.start_run(conn, run_id, None, now())
    report = take_orders(engine, [Incoming("pushed order", record.external_id, record.data, record.error)],
                         source=source.name, actor=f"push run {run_id}", now=now)
    with writing(engine) as conn:
        sync_repo.add_progress(conn, run_id, pages=0, created=report.created, updated=report.updated,
                               unchanged=report.unchanged, failures=[f.as_dict() for f in report.failed], now=now())
        sync_repo.finish_run(conn, run_id, "succeeded", None, now())
    return run_id, report
