"""One error family for the whole product, mapped once per door (HTTP, CLI, jobs)."""
from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule said no. `code` is stable (snake_case) and safe to show to a merchant."""

    status = 422

    def __init__(self, code: str, message: str, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}


class NotFound(DomainError):
    status = 404

    def __init__(self, what: str, key: object):
        super().__init__("not_found", f"{what} {key} not found", {"what": what, "key": str(key)})


class Conflict(DomainError):
    status = 409


class InvalidOrder(DomainError):
    """An order that cannot be taken as it is; `reason` is the sentence a merchant reads."""

    def __init__(self, reason: str, external_id: str | None = None):
        super().__init__("invalid_order", reason, {"external_id": external_id})
        self.reason = reason
        self.external_id = external_id
