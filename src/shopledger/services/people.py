"""People who sign in to the pages: added with a role and a password (argon2id), signed in to a
session that expires, signed out; slowed down after failed sign-ins (docs/people.md).

Passwords are kept only as argon2id hashes. A session is a random id in a cookie; the database
keeps its SHA-256, the person it belongs to, its CSRF token and when it was opened and last
seen: it ends after SESSION_IDLE without a request, after SESSION_LONGEST whatever happens, when
the person signs out, is disabled or changes their password. Who a session belongs to and their
role are read from the database on every request, so a change of role or a disabling counts
from the next click, in every server process.

A sign-in that fails says the same whatever was wrong (no such e-mail, a wrong password, a
disabled person), and the failures are counted per e-mail, known or not
(domain/people/accounts.lock_after), so no answer tells which e-mails exist.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Engine

from shopledger.adapters.db import users_repo
from shopledger.adapters.db.engine import reading, recording
from shopledger.domain.clock import utc_now
from shopledger.domain.errors import Conflict, DomainError, NotFound
from shopledger.domain.people import accounts
from shopledger.domain.people.roles import ADMIN, check_role

SESSION_IDLE = timedelta(hours=2)
SESSION_LONGEST = timedelta(hours=12)
SEEN_RECORDED_EVERY = timedelta(minutes=1)  # a write per click would make every page a write
MAX_COOKIE = 100  # a session id is 43 characters; anything much longer is not one of ours

# argon2id with argon2-cffi's defaults (RFC 9106's second recommendation: 64 MiB, 3 passes, 4 lanes).
PASSWORDS = PasswordHasher()

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class Person:
    """Who a session belongs to, as the doors need it."""
    user_id: int
    email: str
    role: str
    csrf_token: str = ""
    language: str | None = None  # the pages' language they chose, if they did


@dataclass(frozen=True, slots=True)
class SignedIn:
    cookie: str  # the session id, for the browser's cookie only
    person: Person


class SignInRefused(DomainError):
    """The same answer for an unknown e-mail, a wrong password and a disabled person (401), or,
    after too many failures in a row, for every try until the lock ends (429, retry_after)."""

    def __init__(self, locked_for: timedelta | None = None):
        if locked_for is None:
            super().__init__("sign_in_failed", "the e-mail or the password is not right")
            self.status = 401
            self.retry_after = 0
        else:
            seconds = max(1, int(locked_for.total_seconds() + 0.999))
            super().__init__("sign_in_locked", f"too many failed sign-ins for this e-mail; try again in {seconds} s",
                             {"retry_after": seconds})
            self.status = 429
            self.retry_after = seconds


# -- people -------------------------------------------------------------------------------------

def create_user(engine: Engine, email: str, role: str, password: str, now: Clock = utc_now) -> dict:
    """A person who may sign in. `email_exists` (409) if the e-mail is taken, whatever its case."""
    email = accounts.normal_email(email)
    check_role(role)
    password_hash = PASSWORDS.hash(accounts.check_password(password))  # slow: before the transaction
    with recording(engine) as conn:
        if users_repo.find(conn, email) is not None:
            raise Conflict("email_exists", f"someone already signs in as {email}", {"email": email})
        users_repo.add(conn, email, role, password_hash, now())
        return _shown(users_repo.find(conn, email))


def check_new(engine: Engine, email: str, role: str) -> None:
    """What create_user would refuse before a password is asked for: the e-mail or the role."""
    email = accounts.normal_email(email)
    check_role(role)
    with reading(engine) as conn:
        if users_repo.find(conn, email) is not None:
            raise Conflict("email_exists", f"someone already signs in as {email}", {"email": email})


def list_users(engine: Engine) -> list[dict]:
    with reading(engine) as conn:
        return [_shown(row) for row in users_repo.everyone(conn)]


def find_user(engine: Engine, who: str | int) -> dict:
    with reading(engine) as conn:
        return _shown(_found(conn, who))


def set_role(engine: Engine, who: str | int, role: str) -> dict:
    check_role(role)
    with recording(engine) as conn:
        row = _found(conn, who)
        if row.role == ADMIN and role != ADMIN and row.disabled_at is None:
            _keep_an_admin(conn, row.email, "take the admin role from")
        users_repo.change(conn, row.id, role=role)
        return _shown(users_repo.find(conn, row.id))


def disable(engine: Engine, who: str | int, now: Clock = utc_now) -> dict:
    """They cannot sign in, and their sessions end at once. Disabling twice changes nothing."""
    with recording(engine) as conn:
        row = _found(conn, who)
        if row.disabled_at is None:
            if row.role == ADMIN:
                _keep_an_admin(conn, row.email, "disable")
            users_repo.change(conn, row.id, disabled_at=now())
        users_repo.close_sessions_of(conn, row.id)
        return _shown(users_repo.find(conn, row.id))


def enable(engine: Engine, who: str | int) -> dict:
    with recording(engine) as conn:
        row = _found(conn, who)
        users_repo.change(conn, row.id, disabled_at=None)
        return _shown(users_repo.find(conn, row.id))


def set_password(engine: Engine, who: str | int, password: str, keep_session: str | None = None) -> dict:
    """A new password; every session of theirs ends (but `keep_session`, the cookie of the one asking)."""
    password_hash = PASSWORDS.hash(accounts.check_password(password))
    with recording(engine) as conn:
        row = _found(conn, who)
        users_repo.change(conn, row.id, password_hash=password_hash)
        users_repo.close_sessions_of(conn, row.id, keep=_key(keep_session) if keep_session else None)
        return _shown(users_repo.find(conn, row.id))


def set_language(engine: Engine, who: str | int, language: str) -> None:
    """The pages' language a person chose (a code the web door checked: th, en)."""
    with recording(engine) as conn:
        users_repo.change(conn, _found(conn, who).id, language=language[:5])


def _found(conn, who: str | int):
    key = who if isinstance(who, int) else (who or "").strip().lower()
    row = users_repo.find(conn, key)
    if row is None:
        raise NotFound("person", who)
    return row


def _keep_an_admin(conn, email: str, what: str) -> None:
    if users_repo.enabled_admins(conn) <= 1:
        raise Conflict("last_admin", f"cannot {what} {email}: they are the only admin left who may sign in",
                       {"email": email})


def _shown(row) -> dict:
    return {"id": row.id, "email": row.email, "role": row.role, "disabled": row.disabled_at is not None,
            "disabled_at": _iso(row.disabled_at), "created_at": _iso(row.created_at),
            "last_sign_in_at": _iso(row.last_sign_in_at)}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


# -- signing in and out -------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _stand_in_hash() -> str:
    """Checked against when no one has the e-mail, so an unknown e-mail takes as long as a known one."""
    return PASSWORDS.hash(secrets.token_urlsafe(16))


def sign_in(engine: Engine, email: str, password: str, now: Clock = utc_now,
            previous_cookie: str | None = None) -> SignedIn:
    """A new session for the person with this e-mail and password, or SignInRefused."""
    try:
        email = accounts.normal_email(email)
    except DomainError:
        raise SignInRefused() from None  # no one can have it, so nothing to count
    moment = now()
    with reading(engine) as conn:
        counted = users_repo.failures(conn, email)
        row = users_repo.find(conn, email)
    if counted is not None and counted.locked_until is not None and counted.locked_until > moment:
        raise SignInRefused(counted.locked_until - moment)
    right = _verify(row.password_hash if row is not None else _stand_in_hash(), password[:accounts.MAX_PASSWORD + 1])
    if row is None or not right or row.disabled_at is not None or len(password) > accounts.MAX_PASSWORD:
        locked_for = _count_failure(engine, email, moment)
        raise SignInRefused(locked_for)
    cookie, csrf_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    rehashed = PASSWORDS.hash(password) if PASSWORDS.check_needs_rehash(row.password_hash) else None
    with recording(engine) as conn:
        users_repo.clear_failures(conn, email)
        users_repo.close_expired_sessions(conn, moment - SESSION_IDLE, moment - SESSION_LONGEST)
        if previous_cookie:  # a new id at every sign-in: a planted cookie never becomes a session
            users_repo.close_session(conn, _key(previous_cookie))
        users_repo.open_session(conn, _key(cookie), row.id, csrf_token, moment)
        users_repo.change(conn, row.id, last_sign_in_at=moment,
                          **({"password_hash": rehashed} if rehashed else {}))
    return SignedIn(cookie, Person(row.id, row.email, row.role, csrf_token, row.language))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return PASSWORDS.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _count_failure(engine: Engine, email: str, moment: datetime) -> timedelta | None:
    with recording(engine) as conn:
        users_repo.forget_failures(conn, moment - accounts.FAILURES_FORGOTTEN_AFTER)
        failures = users_repo.count_failure(conn, email, moment)
        locked_for = accounts.lock_after(failures)
        if locked_for is not None:
            users_repo.lock(conn, email, moment + locked_for)
    return locked_for


def session_person(engine: Engine, cookie: str | None, now: Clock = utc_now) -> Person | None:
    """Who this session cookie belongs to, if it is live; notes that it was seen (once a minute)."""
    if not cookie or len(cookie) > MAX_COOKIE:
        return None
    key = _key(cookie)
    with reading(engine) as conn:
        row = users_repo.session_and_person(conn, key)
    if row is None:
        return None
    moment = now()
    if row.disabled_at is not None or row.last_seen_at <= moment - SESSION_IDLE or row.created_at <= moment - SESSION_LONGEST:
        with recording(engine) as conn:
            users_repo.close_session(conn, key)
        return None
    if row.last_seen_at <= moment - SEEN_RECORDED_EVERY:
        with recording(engine) as conn:
            users_repo.touch_session(conn, key, moment, moment - SEEN_RECORDED_EVERY)
    return Person(row.user_id, row.email, row.role, row.csrf_token, row.language)


def sign_out(engine: Engine, cookie: str | None) -> None:
    if cookie and len(cookie) <= MAX_COOKIE:
        with recording(engine) as conn:
            users_repo.close_session(conn, _key(cookie))


def csrf_matches(person: Person, token: str | None) -> bool:
    return bool(token) and bool(person.csrf_token) and hmac.compare_digest(person.csrf_token, token)


def _key(cookie: str) -> str:
    return hashlib.sha256(cookie.encode()).hexdigest()


# -- the demo's people ----------------------------------------------------------------------------

DEMO_PEOPLE = (("admin@demo.shop", "admin", "demo-admin"), ("accountant@demo.shop", "accountant", "demo-accountant"),
               ("clerk@demo.shop", "clerk", "demo-clerk"), ("reader@demo.shop", "reader", "demo-reader"))


def add_demo_people(engine: Engine) -> list[str]:
    """One person of each role with a password everyone knows (README, Demo); those already there
    are left as they are. Lines saying how to sign in as each."""
    with reading(engine) as conn:
        present = {row.email for row in users_repo.everyone(conn)}
    for email, role, password in DEMO_PEOPLE:
        if email not in present:
            create_user(engine, email, role, password)
    return demo_sign_in(engine)


def demo_sign_in(engine: Engine) -> list[str]:
    """'sign in as admin@demo.shop / demo-admin (admin)' for each demo person there, enabled."""
    with reading(engine) as conn:
        here = {row.email: row for row in users_repo.everyone(conn) if row.disabled_at is None}
    return [f"sign in as {email} / {password} ({role})" for email, role, password in DEMO_PEOPLE if email in here]
