"""Sources of orders: add or update one, list them (secrets never leave the database)."""
from __future__ import annotations

import re
import secrets
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Engine

from shopledger.adapters.db import sync_repo, tables as t
from shopledger.adapters.db.engine import reading, writing
from shopledger.adapters.db.upsert import upsert
from shopledger.domain.clock import utc_now
from shopledger.domain.errors import DomainError, NotFound
from shopledger.domain.limits import MAX_SECRET, MAX_SOURCE, MAX_TOKEN, MAX_URL, source_name_problem, text_problem
from shopledger.domain.sync.connector import CONNECTORS

_DAILY_AT = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def add_source(engine: Engine, name: str, *, kind: str, base_url: str, token: str,
               daily_at: str | None = None, timezone: str = "Asia/Bangkok", push_secret: str | None = None) -> dict:
    """Adds or updates a source. Returns what may be shown (a push secret only when new)."""
    for label, text, most in (("source name", name, MAX_SOURCE), ("base URL", base_url, MAX_URL),
                              ("token", token, MAX_TOKEN), ("push secret", push_secret or "", MAX_SECRET)):
        if (problem := text_problem(label, text, most)):
            raise DomainError("invalid_source", problem)
    _check(name, kind, base_url, token, daily_at, timezone)
    with writing(engine) as conn:
        existing = sync_repo.source_by_name(conn, name, with_secrets=True)
        secret = push_secret or (existing.push_secret if existing else None) or secrets.token_urlsafe(24)
        upsert(conn, t.sources, [{"name": name, "kind": kind, "base_url": base_url.rstrip("/"), "token": token,
                                  "push_secret": secret, "daily_at": daily_at, "timezone": timezone,
                                  "created_at": utc_now()}],
               ["name"], ["kind", "base_url", "token", "push_secret", "daily_at", "timezone"])
    shown = {"name": name, "kind": kind, "base_url": base_url, "daily_at": daily_at, "timezone": timezone}
    if existing is None or push_secret:
        shown["push_secret"] = secret  # shown once, like a new token
    return shown


def save_source(engine: Engine, name: str, *, kind: str, base_url: str, token: str = "",
                daily_at: str | None = None, timezone: str = "Asia/Bangkok") -> dict:
    """add_source for a form that never shows the token: left empty, a stored source keeps its own."""
    if not token.strip():
        with reading(engine) as conn:
            existing = sync_repo.source_by_name(conn, name.strip(), with_secrets=True)
        token = existing.token if existing is not None else ""
    return add_source(engine, name.strip(), kind=kind, base_url=base_url.strip(), token=token.strip(),
                      daily_at=daily_at or None, timezone=timezone)


def _check(name: str, kind: str, base_url: str, token: str, daily_at: str | None, timezone: str) -> None:
    if (problem := source_name_problem(name)):
        raise DomainError("invalid_source_name", problem)
    if kind not in CONNECTORS:
        raise DomainError("unknown_connector", f"no connector of kind {kind!r} (known: {', '.join(sorted(CONNECTORS))})")
    # A path is a shop this server serves itself (the demo's), found wherever the server runs.
    if not base_url.startswith(("http://", "https://", "/")):
        raise DomainError("invalid_source_url", f"{base_url!r} is not an http(s) URL or a path on this server")
    if not token:
        raise DomainError("invalid_source_token", "a token is required")
    if daily_at is not None and not _DAILY_AT.match(daily_at):
        raise DomainError("invalid_daily_at", f"daily time {daily_at!r} is not HH:MM (24-hour)")
    try:
        ZoneInfo(timezone)
    except ZoneInfoNotFoundError:
        raise DomainError("invalid_timezone", f"unknown time zone {timezone!r}") from None


def list_sources(engine: Engine) -> list[dict]:
    with reading(engine) as conn:
        out = []
        for s in sync_repo.all_sources(conn):
            last = sync_repo.last_run_of(conn, s.id)
            out.append({"name": s.name, "kind": s.kind, "base_url": s.base_url, "daily_at": s.daily_at,
                        "timezone": s.timezone, "cursor": s.cursor.isoformat() if s.cursor else None,
                        "last_run": None if last is None else {
                            "id": last.id, "status": last.status,
                            "ended_at": last.ended_at.isoformat() if last.ended_at else None}})
        return out


def get_source(engine: Engine, name: str):
    with reading(engine) as conn:
        source = sync_repo.source_by_name(conn, name, with_secrets=True)
    if source is None:
        raise NotFound("source", name)
    return source
