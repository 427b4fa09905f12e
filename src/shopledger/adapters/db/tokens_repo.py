"""API tokens as stored: a hash, never the token; a revoked token keeps its row."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Row, or_, select, update

from shopledger.adapters.db import tables as t

_live = t.api_tokens.c.revoked_at.is_(None)


def add(conn: Connection, name: str, role: str, token_hash: str, now: datetime) -> None:
    conn.execute(t.api_tokens.insert().values(name=name, role=role, token_hash=token_hash, created_at=now))


def live_by_hash(conn: Connection, token_hash: str) -> Row | None:
    return conn.execute(select(t.api_tokens.c.id, t.api_tokens.c.name, t.api_tokens.c.role,
                               t.api_tokens.c.last_used_at)
                        .where(t.api_tokens.c.token_hash == token_hash, _live)).one_or_none()


def mark_used(conn: Connection, token_id: int, now: datetime, unless_since: datetime) -> None:
    # The condition makes a burst of requests (or several server processes) write once.
    conn.execute(update(t.api_tokens)
                 .where(t.api_tokens.c.id == token_id,
                        or_(t.api_tokens.c.last_used_at.is_(None), t.api_tokens.c.last_used_at < unless_since))
                 .values(last_used_at=now))


def live_tokens(conn: Connection) -> list[Row]:
    return list(conn.execute(select(t.api_tokens.c.name, t.api_tokens.c.role, t.api_tokens.c.created_at,
                                    t.api_tokens.c.last_used_at)
                             .where(_live).order_by(t.api_tokens.c.name, t.api_tokens.c.id)))


def revoke(conn: Connection, name: str, now: datetime) -> int:
    """Every live token of that name; how many there were."""
    return conn.execute(update(t.api_tokens).where(t.api_tokens.c.name == name, _live)
                        .values(revoked_at=now)).rowcount
