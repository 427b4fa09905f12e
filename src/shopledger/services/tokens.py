"""API tokens: shown once at creation, stored only as a hash."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import Engine, select

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.engine import reading, writing
from shopledger.domain.clock import utc_now
from shopledger.domain.errors import DomainError

ROLES = ("admin", "clerk", "reader")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(engine: Engine, name: str, role: str = "admin") -> str:
    if role not in ROLES:
        raise DomainError("unknown_role", f"role {role!r} is not one of {', '.join(ROLES)}")
    token = "slp_" + secrets.token_urlsafe(32)
    with writing(engine) as conn:
        conn.execute(t.api_tokens.insert().values(name=name, role=role, token_hash=_hash(token), created_at=utc_now()))
    return token


def role_of(engine: Engine, token: str) -> str | None:
    with reading(engine) as conn:
        return conn.execute(select(t.api_tokens.c.role).where(t.api_tokens.c.token_hash == _hash(token))).scalar()
