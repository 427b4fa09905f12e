"""API tokens: shown once at creation, stored only as a hash; listed, used and revoked by name.

Whether a token is valid is read from the database on every request, never remembered by a
server process, so a revoked token is refused by every process at once.
"""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine

from shopledger.adapters.db import tokens_repo
from shopledger.adapters.db.engine import reading, writing
from shopledger.domain.clock import utc_now
from shopledger.domain.errors import Conflict, NotFound
from shopledger.domain.people.roles import check_role
# A write per request would make every read a write; a minute is as precise as "last used" needs.
USE_RECORDED_EVERY = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Holder:
    name: str
    role: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(engine: Engine, name: str, role: str = "admin") -> str:
    check_role(role)  # the roles people have (domain/people/roles.py)
    token = "slp_" + secrets.token_urlsafe(32)
    with writing(engine) as conn:
        # Names must be unique among live tokens: `token revoke NAME` must mean one token.
        if any(row.name == name for row in tokens_repo.live_tokens(conn)):
            raise Conflict("token_exists", f"a token named {name!r} exists; revoke it first or choose another name")
        tokens_repo.add(conn, name, role, _hash(token), utc_now())
    return token


def authenticate(engine: Engine, token: str, now: Callable[[], datetime] = utc_now) -> Holder | None:
    """Who holds this token, if it is live; notes its use at most once a minute."""
    with reading(engine) as conn:
        row = tokens_repo.live_by_hash(conn, _hash(token))
    if row is None:
        return None
    moment = now()
    if row.last_used_at is None or row.last_used_at <= moment - USE_RECORDED_EVERY:
        with writing(engine) as conn:
            tokens_repo.mark_used(conn, row.id, moment, moment - USE_RECORDED_EVERY)
    return Holder(row.name, row.role)


def list_tokens(engine: Engine) -> list[dict]:
    """Live tokens: name, role, when created and last used (never the token or its hash)."""
    with reading(engine) as conn:
        rows = tokens_repo.live_tokens(conn)
    return [{"name": r.name, "role": r.role, "created_at": r.created_at.isoformat(),
             "last_used_at": r.last_used_at.isoformat() if r.last_used_at else None} for r in rows]


def revoke_token(engine: Engine, name: str, now: Callable[[], datetime] = utc_now) -> None:
    with writing(engine) as conn:
        if not tokens_repo.revoke(conn, name, now()):
            raise NotFound("token", name)
