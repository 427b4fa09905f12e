"""What the sync engine asks of a source of orders, and nothing about how a source speaks.

A connector pulls pages of orders changed since a moment, each order already mapped onto the
interchange format of docs/order-format.md (a plain dict, not yet validated: validation is
the engine's, through the one interchange parser, so every door rejects the same way).

Adding a source is one new module: it registers a factory under its kind with
`register_connector`, and the composition root imports every module of the connectors
package with `load_connector_modules`, so no list elsewhere needs editing.
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from shopledger.domain.errors import DomainError

DEFAULT_OVERLAP = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class PulledRecord:
    """One order as the source gave it: mapped (`data`) or not (`error` says why).

    `updated_at` is the source's version stamp, parsed, when it could be read; it is what
    lets the engine keep the newest of several versions of one order in a run.
    """

    external_id: str | None
    data: dict | None
    error: str | None
    updated_at: datetime | None = None
    received: str | None = None  # the engine's hash of `data`, when worked out off its process

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class PulledPage:
    """One page of a pull.

    The same order may arrive more than once in one pull (on two pages, when it changed while
    the source was being paged, or again in a re-scan): the connector yields every copy and
    the engine keeps the one with the newest `updated_at` (an older version changes nothing).

    `max_updated_at` is the newest `updated_at` on this page. Pages are not strictly
    increasing in it (a re-scan goes back), so the engine saves
    `max(cursor, page.max_updated_at)` after the page is stored, never before.
    `last_page` is true only on the final page of the whole pull: when the engine has seen
    it, the run completed. `number` is the page number asked of the source (named in errors;
    a re-scan starts again at 1). `expected` is how many orders the source says this pass
    holds, when it says (the shop API's `meta.total`): what time left is worked out from.
    """

    number: int
    records: list[PulledRecord]
    max_updated_at: datetime | None
    last_page: bool
    expected: int | None = None


@runtime_checkable
class Connector(Protocol):
    """A source of orders. `pull` is lazy: nothing is fetched until the engine iterates."""

    def pull(self, since: datetime | None) -> Iterator[PulledPage]: ...

    def map_pushed(self, raw: object) -> PulledRecord:
        """One order a shop pushed (a webhook), mapped like an order on a page."""
        ...


ConnectorFactory = Callable[[Mapping[str, Any]], Connector]
"""Builds a connector from a source's settings (base_url, token, ... as the kind needs)."""


class TokenRejected(DomainError):
    """The source refused our credentials: retrying will not help, the merchant must act."""

    def __init__(self, page: int, status: int = 401):
        super().__init__(
            "token_rejected",
            f"token rejected: the shop refused the API token (HTTP {status}) on page {page}; "
            "check the token in the source's settings",
            {"page": page, "status": status},
        )
        self.page = page


class SourceUnavailable(DomainError):
    """The source did not answer usefully, after the retries it was allowed."""

    status = 503

    def __init__(self, page: int, reason: str, attempts: int):
        super().__init__(
            "source_unavailable",
            f"the shop did not answer page {page} after {attempts} attempt(s): {reason}",
            {"page": page, "reason": reason, "attempts": attempts},
        )
        self.page = page
        self.reason = reason
        self.attempts = attempts


class MalformedPage(DomainError):
    """A successful answer whose body is not the shape the source's API promises."""

    def __init__(self, page: int, reason: str):
        super().__init__(
            "malformed_page",
            f"page {page} from the shop is not in the expected shape: {reason}",
            {"page": page, "reason": reason},
        )
        self.page = page
        self.reason = reason


class UnknownConnector(DomainError):
    def __init__(self, kind: str, known: list[str]):
        super().__init__(
            "unknown_connector",
            f"no connector of kind {kind!r} (known: {', '.join(known) or 'none'})",
            {"kind": kind, "known": known},
        )


def resume_from(cursor: datetime | None, overlap: timedelta = DEFAULT_OVERLAP) -> datetime | None:
    """Where the next pull starts: a little before the cursor.

    The overlap covers orders sharing the cursor's timestamp that were not all read, and
    clocks that disagree a little; re-reading an order changes nothing, missing one does.
    """
    if overlap < timedelta(0):
        raise ValueError("overlap must not be negative")
    if cursor is None:
        return None
    return cursor - overlap


class ConnectorRegistry(Mapping[str, ConnectorFactory]):
    """Connector factories by kind; the engine only ever sees this mapping."""

    def __init__(self) -> None:
        self._factories: dict[str, ConnectorFactory] = {}

    def register(self, kind: str) -> Callable[[ConnectorFactory], ConnectorFactory]:
        def decorate(factory: ConnectorFactory) -> ConnectorFactory:
            existing = self._factories.get(kind)
            # Re-importing the same module (reloads in tests) is harmless; two modules
            # claiming one kind is a bug worth stopping for.
            if existing is not None and _qualname(existing) != _qualname(factory):
                raise ValueError(f"connector kind {kind!r} is already registered")
            self._factories[kind] = factory
            return factory

        return decorate

    def create(self, kind: str, settings: Mapping[str, Any]) -> Connector:
        try:
            factory = self._factories[kind]
        except KeyError:
            raise UnknownConnector(kind, sorted(self._factories)) from None
        return factory(settings)

    def __getitem__(self, kind: str) -> ConnectorFactory:
        return self._factories[kind]

    def __iter__(self) -> Iterator[str]:
        return iter(self._factories)

    def __len__(self) -> int:
        return len(self._factories)


def _qualname(factory: Callable) -> str:
    return f"{getattr(factory, '__module__', '')}.{getattr(factory, '__qualname__', '')}"


CONNECTORS = ConnectorRegistry()
register_connector = CONNECTORS.register


def load_connector_modules(package: str) -> list[str]:
    """Import every module of `package` so their `@register_connector` lines run.

    The package is named by the caller (the composition root) so the domain never names an
    adapter. Returns the modules imported.
    """
    root = importlib.import_module(package)
    names = [f"{package}.{info.name}" for info in pkgutil.iter_modules(root.__path__)]
    for name in names:
        importlib.import_module(name)
    return names
