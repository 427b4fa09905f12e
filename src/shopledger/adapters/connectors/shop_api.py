"""The `shop-api` connector: pulls orders from a BentoWeb-style shop (paged, by updated_at).

Paging, `updated_from` with an overlap, and the faults of the spec's table; what one order
means is in shop_orders.py.
"""
from __future__ import annotations

import itertools
import json
import logging
import time
from collections.abc import Callable, Generator, Iterator, Mapping
from datetime import datetime, timezone
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any

import httpx2
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from shopledger.adapters.connectors.shop_orders import to_record
from shopledger.config import get_settings
from shopledger.domain.clock import BANGKOK
from shopledger.domain.errors import DomainError
from shopledger.domain.sync.connector import (
    MalformedPage,
    PulledPage,
    PulledRecord,
    SourceUnavailable,
    TokenRejected,
    register_connector,
)

KIND = "shop-api"
ORDERS_PATH = "/api/v1/orders"
MAX_PAGE_SIZE = 100
DEFAULT_TIMEOUT = httpx2.Timeout(20.0, connect=10.0)

log = logging.getLogger(__name__)

# --- the connector ---------------------------------------------------------------------------


class _Secret:
    """Holds the token so that no repr, log line or traceback local prints it."""

    __slots__ = ("_value",)

    def __init__(self, value: str):
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "'***'"


class _Transient(Exception):
    """An answer worth retrying (429, 5xx, timeout, dropped connection)."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


_DECIMAL_JSON = json.JSONDecoder(parse_float=Decimal)  # money that comes as a JSON number stays exact


class ShopApiConnector:
    """Pulls pages of orders changed since a moment; retries what is worth retrying.

    `max_retries` counts retries after the first attempt of a page (so a page is tried at
    most `max_retries + 1` times, 429s included); waits are `backoff * 2**n` seconds, or the
    shop's Retry-After, never more than `max_wait`. `sleep` is injected so tests do not wait.
    """

    kind = KIND

    def __init__(
        self,
        base_url: str,
        token: str,
        client: httpx2.Client,
        *,
        page_size: int = MAX_PAGE_SIZE,
        max_retries: int = 5,
        max_wait: float = 30.0,
        backoff: float = 1.0,
        max_passes: int = 3,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if not base_url or not token:
            raise ValueError("the shop-api connector needs a base_url and a token")
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be 1..{MAX_PAGE_SIZE}")
        if max_retries < 0 or max_wait < 0 or backoff < 0 or max_passes < 1:
            raise ValueError("max_retries, max_wait and backoff must be >= 0, max_passes >= 1")
        self._base_url = base_url.rstrip("/")
        self._token = _Secret(token)
        self._client = client
        self._page_size = page_size
        self._max_retries = max_retries
        self._max_wait = max_wait
        self._backoff = backoff
        self._max_passes = max_passes
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"ShopApiConnector(base_url={self._base_url!r}, page_size={self._page_size})"

    def map_pushed(self, raw: object) -> PulledRecord:
        """One order the shop pushed to us, in the same shape as on a page."""
        return to_record(raw)

    def pull(self, since: datetime | None) -> Iterator[PulledPage]:
        if since is not None and since.tzinfo is None:
            raise ValueError("since must carry its UTC offset")
        start = since
        for pass_no in range(1, self._max_passes + 1):
            rescan_from = yield from self._pull_pass(start, final=pass_no == self._max_passes)
            if rescan_from is None:
                return
            log.warning("shop-api: orders changed while paging; re-reading from %s", rescan_from)
            start = rescan_from

    def _pull_pass(
        self, start: datetime | None, *, final: bool
    ) -> Generator[PulledPage, None, datetime | None]:
        """Pages 1..last; returns where to re-read from if paging may have skipped orders.

        Paging is by offset, so an order that changes after its page was read moves to the
        end and every later order shifts back one place: the one that crosses into the page
        already read is never seen. The moved order shows up again (a newer version of an
        id seen before); everything skipped sorts at or after its old `updated_at`.
        """
        first_seen: dict[str, datetime] = {}
        moved_from: datetime | None = None
        page = 0
        while True:
            page += 1
            entries, done, expected = self._fetch_page(page, start)
            records = [to_record(entry) for entry in entries]
            moved_from = _earliest_move(records, first_seen, moved_from)
            rescan = moved_from if done and not final else None
            if done and moved_from is not None and final:
                log.warning("shop-api: orders still moving after %d passes", self._max_passes)
            yield PulledPage(page, records, _newest(records), last_page=done and rescan is None, expected=expected)
            if done:
                return rescan

    def _fetch_page(self, page: int, start: datetime | None) -> tuple[list, bool, int | None]:
        return _decode(page, self._get_with_retries(page, start))

    def _get_with_retries(self, page: int, start: datetime | None) -> httpx2.Response:
        attempts = itertools.count(1)
        retrying = Retrying(
            retry=retry_if_exception_type(_Transient),
            stop=stop_after_attempt(self._max_retries + 1),
            wait=self._wait,
            sleep=self._sleep,
            before_sleep=lambda state: self._log_retry(page, state),
            reraise=True,
        )
        try:
            return retrying(lambda: self._get_once(page, start, next(attempts)))
        except _Transient as exc:
            raise SourceUnavailable(page, exc.reason, self._max_retries + 1) from exc

    def _get_once(self, page: int, start: datetime | None, attempt: int) -> httpx2.Response:
        params: dict[str, Any] = {}
        if start is not None:
            params["updated_from"] = wire_instant(start)
        params.update(page=page, limit=self._page_size)
        headers = {"Authorization": f"Bearer {self._token.reveal()}", "Accept": "application/json"}
        try:
            response = self._client.get(self._base_url + ORDERS_PATH, params=params, headers=headers)
        except (httpx2.TimeoutException, httpx2.NetworkError, httpx2.RemoteProtocolError) as exc:
            raise _Transient(f"{type(exc).__name__}: {exc}") from exc
        except httpx2.DecodingError:
            raise MalformedPage(page, "the body could not be decoded") from None
        except httpx2.HTTPError as exc:
            # A bad address, scheme or proxy: the engine sees our error family, not httpx2's.
            raise SourceUnavailable(page, f"{type(exc).__name__}: {exc}", attempt) from exc
        status = response.status_code
        if status in (401, 403):
            raise TokenRejected(page, status)
        if status == 429:
            raise _Transient("HTTP 429 (rate limited)", _retry_after(response.headers.get("Retry-After")))
        if status >= 500:
            raise _Transient(f"HTTP {status}")
        if status != 200:
            # A wrong address or a redirect: retrying cannot fix it.
            raise SourceUnavailable(page, f"unexpected HTTP {status}", attempt)
        return response

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, _Transient) and error.retry_after is not None:
            return min(error.retry_after, self._max_wait)
        return min(self._backoff * 2 ** (state.attempt_number - 1), self._max_wait)

    def _log_retry(self, page: int, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.warning(
            "shop-api page %d attempt %d/%d failed (%s); retrying in %.1fs",
            page, state.attempt_number, self._max_retries + 1,
            getattr(error, "reason", error), state.upcoming_sleep,
        )


def _decode(page: int, response: httpx2.Response) -> tuple[list, bool, int | None]:
    """The page's `data` entries, whether it is the last page, and how many orders the shop says
    match (`meta.total`; None when it gives no count we can use, which only costs the time left)."""
    try:
        # Decimal, not float, for any JSON number: a shop that sends 350.5 keeps its digits.
        body = _DECIMAL_JSON.decode(response.content.decode("utf-8"))
    except ValueError:
        raise MalformedPage(page, "the body is not JSON") from None
    if not isinstance(body, dict):
        raise MalformedPage(page, "the body is not a JSON object")
    data, meta = body.get("data"), body.get("meta")
    if not isinstance(data, list):
        raise MalformedPage(page, "there is no 'data' list")
    if not isinstance(meta, dict):
        raise MalformedPage(page, "there is no 'meta' object")
    last_page = meta.get("last_page")
    if isinstance(last_page, bool) or not isinstance(last_page, int):
        raise MalformedPage(page, "meta.last_page is not a page number")
    total = meta.get("total")
    expected = total if isinstance(total, int) and not isinstance(total, bool) and 0 <= total < 10**12 else None
    # An empty page ends the pass too, so a wrong last_page cannot make us page forever.
    return data, page >= last_page or not data, expected


def _earliest_move(
    records: list[PulledRecord], first_seen: dict[str, datetime], moved_from: datetime | None
) -> datetime | None:
    for record in records:
        if record.external_id is None or record.updated_at is None:
            continue
        seen = first_seen.setdefault(record.external_id, record.updated_at)
        if record.updated_at > seen:
            moved_from = seen if moved_from is None else min(moved_from, seen)
    return moved_from


def _newest(records: list[PulledRecord]) -> datetime | None:
    stamps = [record.updated_at for record in records if record.updated_at is not None]
    return max(stamps, default=None)


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def wire_instant(moment: datetime) -> str:
    """`updated_from` as the shop shows its times: Bangkok offset, whole seconds (floored,
    which only widens an inclusive filter)."""
    return moment.astimezone(BANGKOK).replace(microsecond=0).isoformat()


def on_this_server(base_url: str) -> str:
    """A path ("/demo-shop") names a shop this server serves itself. Its address is read as the
    run starts, so a server started on another port since the source was added is still found."""
    if base_url.startswith("/"):
        return get_settings().local_url() + base_url
    return base_url


@register_connector(KIND)
def build_shop_api(settings: Mapping[str, Any]) -> ShopApiConnector:
    """Factory for the registry. Pass a shared `http_client` from the composition root;
    without one the connector gets its own client with sane timeouts."""
    if not settings.get("base_url") or not settings.get("token"):
        raise DomainError("invalid_source_settings", "a shop-api source needs base_url and token")
    client = settings.get("http_client") or httpx2.Client(timeout=DEFAULT_TIMEOUT)
    return ShopApiConnector(
        on_this_server(settings["base_url"]),
        settings["token"],
        client,
        page_size=int(settings.get("page_size", MAX_PAGE_SIZE)),
    )
