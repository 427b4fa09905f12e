"""People who sign in, their sessions and the failed sign-ins per e-mail, as stored."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Row, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from shopledger.adapters.db import tables as t

_u, _s, _f = t.users, t.sessions, t.sign_in_failures


# -- people -------------------------------------------------------------------------------------

def add(conn: Connection, email: str, role: str, password_hash: str, now: datetime) -> int:
    return conn.execute(_u.insert().values(email=email, role=role, password_hash=password_hash, created_at=now)
                        .returning(_u.c.id)).scalar_one()


def find(conn: Connection, who: str | int) -> Row | None:
    """By id, or by the (lower-cased) e-mail."""
    where = _u.c.id == who if isinstance(who, int) else _u.c.email == who
    return conn.execute(select(_u).where(where)).one_or_none()


def everyone(conn: Connection) -> list[Row]:
    return list(conn.execute(select(_u).order_by(_u.c.email)))


def enabled_admins(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(_u)
                        .where(_u.c.role == "admin", _u.c.disabled_at.is_(None))).scalar_one()


def change(conn: Connection, user_id: int, **values) -> None:
    """role=, password_hash=, disabled_at=, last_sign_in_at=, language=."""
    conn.execute(update(_u).where(_u.c.id == user_id).values(**values))


# -- sessions -----------------------------------------------------------------------------------

def open_session(conn: Connection, key: str, user_id: int, csrf_token: str, now: datetime) -> None:
    conn.execute(_s.insert().values(id=key, user_id=user_id, csrf_token=csrf_token, created_at=now, last_seen_at=now))


def session_and_person(conn: Connection, key: str) -> Row | None:
    return conn.execute(select(_s.c.id, _s.c.csrf_token, _s.c.created_at, _s.c.last_seen_at, _u.c.id.label("user_id"),
                               _u.c.email, _u.c.role, _u.c.disabled_at, _u.c.language)
                        .join(_u, _u.c.id == _s.c.user_id).where(_s.c.id == key)).one_or_none()


def touch_session(conn: Connection, key: str, now: datetime, unless_since: datetime) -> None:
    # The condition makes a burst of requests (or several server processes) write once.
    conn.execute(update(_s).where(_s.c.id == key, _s.c.last_seen_at < unless_since).values(last_seen_at=now))


def close_session(conn: Connection, key: str) -> None:
    conn.execute(delete(_s).where(_s.c.id == key))


def close_sessions_of(conn: Connection, user_id: int, keep: str | None = None) -> None:
    where = [_s.c.user_id == user_id] + ([_s.c.id != keep] if keep else [])
    conn.execute(delete(_s).where(*where))


def close_expired_sessions(conn: Connection, seen_before: datetime, created_before: datetime) -> None:
    conn.execute(delete(_s).where(or_(_s.c.last_seen_at < seen_before, _s.c.created_at < created_before)))


# -- failed sign-ins ----------------------------------------------------------------------------

def failures(conn: Connection, email: str) -> Row | None:
    return conn.execute(select(_f).where(_f.c.email == email)).one_or_none()


def count_failure(conn: Connection, email: str, now: datetime) -> int:
    """One more failure in a row for this e-mail, counted by the database (two at once are two)."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(_f).values(email=email, failures=1, last_failed_at=now)
    stmt = stmt.on_conflict_do_update(index_elements=["email"],
                                      set_={"failures": _f.c.failures + 1, "last_failed_at": now})
    return conn.execute(stmt.returning(_f.c.failures)).scalar_one()


def lock(conn: Connection, email: str, until: datetime) -> None:
    conn.execute(update(_f).where(_f.c.email == email).values(locked_until=until))


def clear_failures(conn: Connection, email: str) -> None:
    conn.execute(delete(_f).where(_f.c.email == email))


def forget_failures(conn: Connection, before: datetime) -> None:
    """Failures last seen a day ago are forgotten, so unknown e-mails tried once leave no rows behind."""
    conn.execute(delete(_f).where(_f.c.last_failed_at < before,
                                  or_(_f.c.locked_until.is_(None), _f.c.locked_until < before)))
