"""What an e-mail and a password must be to sign in with, and how sign-in failures slow an e-mail.

An e-mail is kept lower-cased (so it is unique whatever the case it is typed in). Five failed
sign-ins in a row for one e-mail, known or not, lock it for a while that doubles with each further
failure, up to LOCK_AT_MOST; a success (or a day without failures) starts the count again.
"""
from __future__ import annotations

import re
from datetime import timedelta

from shopledger.domain.errors import DomainError
from shopledger.domain.limits import MAX_EMAIL

MIN_PASSWORD = 8
MAX_PASSWORD = 256  # argon2 takes any length; a bound keeps a request's hashing cheap
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

FAILURES_BEFORE_LOCK = 5
FIRST_LOCK = timedelta(seconds=30)
LOCK_AT_MOST = timedelta(minutes=15)
FAILURES_FORGOTTEN_AFTER = timedelta(days=1)


def normal_email(email: str) -> str:
    """' Somchai@Shop.TH ' -> 'somchai@shop.th'; a DomainError `invalid_email` if it is not an e-mail."""
    text = (email or "").strip().lower()
    if len(text) > MAX_EMAIL or not _EMAIL.match(text):
        raise DomainError("invalid_email", f"{email!r} is not an e-mail address", {"email": email})
    return text


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD:
        return f"a password needs at least {MIN_PASSWORD} characters"
    if len(password) > MAX_PASSWORD:
        return f"a password may have at most {MAX_PASSWORD} characters"
    return None


def check_password(password: str) -> str:
    if (problem := password_problem(password)):
        raise DomainError("weak_password", problem)
    return password


def lock_after(failures: int) -> timedelta | None:
    """How long an e-mail is locked after this many failures in a row (None: not locked).
    5 -> 30 s, 6 -> 1 min, 7 -> 2 min, ... at most 15 min."""
    if failures < FAILURES_BEFORE_LOCK:
        return None
    return min(FIRST_LOCK * 2 ** min(failures - FAILURES_BEFORE_LOCK, 16), LOCK_AT_MOST)
