"""The `shop-api` connector: pulls orders from a BentoWeb-style shop (shared/spec/shop-api.md).

Mapping principle: `map_shop_order` fails an order only where it cannot *translate* it (no
order number, an unknown status id, no readable `updated_at`, items that are not a list of
objects). Everything else is passed through as the shop sent it, so the interchange parser
gives the one precise reason a merchant reads, the same as for a file import.
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

from shopledger.domain.clock import BANGKOK, parse_instant
from shopledger.domain.errors import DomainError, InvalidOrder
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

# order_status_id -> (payment_status, fulfillment_status, cancelled), orders.md's table.
# None is the table's "(as before)": see _as_before.
STATUS_TABLE: dict[int, tuple[str | None, str | None, bool]] = {
    1: ("unpaid", "unfulfilled", False),
    2: ("verifying", "unfulfilled", False),
    3: ("paid", "unfulfilled", False),
    4: (None, None, True),
    5: ("paid", None, True),
    6: ("refunded", None, True),
    7: ("paid", "shipped", False),
    14: ("unpaid", "unfulfilled", False),
    15: ("unpaid", "shipped", False),
    16: ("paid", "shipped", False),
}
COD_STATUS_IDS = frozenset({14, 15, 16})

CHANNELS: dict[int, str] = {
    0: "website", 1: "website", 2: "facebook", 3: "pos", 4: "pos", 5: "other",
    6: "lazada", 7: "shopee", 8: "other", 9: "line", 10: "tiktok", 11: "website",
}
PAYMENT_METHODS = frozenset({"bank_transfer", "promptpay", "card", "cod", "cash", "marketplace", "other"})
CUSTOMER_FIELDS = ("name", "email", "phone", "tax_id", "branch", "address")


# --- mapping: shop order -> interchange dict -------------------------------------------------


def map_shop_order(raw: dict) -> dict:
    """One shop order -> the interchange-format dict of orders.md (not validated).

    Raises InvalidOrder when the order cannot be translated at all.
    """
    if not isinstance(raw, dict):
        raise InvalidOrder("the order is not a JSON object")
    external_id = _external_id(raw)
    status_id = _status_id(raw, external_id)
    _version(raw, external_id)
    payment, fulfillment, cancelled = _statuses(raw, status_id)
    return {
        "external_id": external_id,
        "channel": channel_for(raw.get("order_from")),
        "placed_at": raw.get("created_at"),
        "updated_at": raw.get("updated_at"),
        "payment_status": payment,
        "fulfillment_status": fulfillment,
        "cancelled_at": (raw.get("cancelled_at") or raw.get("updated_at")) if cancelled else None,
        "payment_method": _payment_method(raw.get("payment_method"), status_id),
        "paid_at": raw.get("paid_at"),
        "currency": raw.get("currency") or "THB",
        "prices_include_vat": True,
        "customer": _customer(raw.get("customer"), external_id),
        "lines": _lines(raw.get("items"), external_id),
        "shipping_fee": _money(raw.get("shipping_cost")),
        "discount": _money(raw.get("discount")),
        "total": _money(raw.get("grand_total"), default=None),
        "shipment": _shipment(raw),
        "refunds": [],
        "note": raw.get("note") or "",
    }


def channel_for(code: object) -> str:
    """orders.md's `order_from` table; any other code (or none) is `other`."""
    if isinstance(code, str) and code.strip().isdigit():
        code = int(code)
    if isinstance(code, bool) or not isinstance(code, int):
        return "other"
    return CHANNELS.get(code, "other")


def _external_id(raw: dict) -> str:
    value = raw.get("order_no")
    if not isinstance(value, str) or not value.strip():
        raise InvalidOrder(f"order_no is missing (shop order_id {raw.get('order_id')!r})")
    return value.strip()


def _status_id(raw: dict, external_id: str) -> int:
    value = raw.get("order_status_id")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value not in STATUS_TABLE:
        known = ", ".join(str(key) for key in STATUS_TABLE)
        raise InvalidOrder(f"unknown order_status_id {value!r} (known: {known})", external_id)
    return value


def _version(raw: dict, external_id: str) -> datetime:
    """The parsed `updated_at`: without it the versions of an order cannot be ordered."""
    value = raw.get("updated_at")
    try:
        return parse_instant(value)
    except (TypeError, ValueError, AttributeError):
        raise InvalidOrder(
            f"updated_at {value!r} is missing or not ISO 8601 with an offset", external_id
        ) from None


def _statuses(raw: dict, status_id: int) -> tuple[str, str, bool]:
    payment, fulfillment, cancelled = STATUS_TABLE[status_id]
    before_payment, before_fulfillment = _as_before(raw)
    return payment or before_payment, fulfillment or before_fulfillment, cancelled


def _as_before(raw: dict) -> tuple[str, str]:
    """The table's "(as before)" for ids 4/5/6, from the order's own timestamps.

    A connector holds no previous state; this assumes the shop keeps `paid_at` and
    `shipped_at` when it cancels, so they say what the order had reached. A tracking number
    alone does not mean shipped: shops assign one before handing the parcel over (the
    spec's own example is status 3 with a tracking number).
    """
    payment = "paid" if raw.get("paid_at") else "unpaid"
    fulfillment = "shipped" if raw.get("shipped_at") else "unfulfilled"
    return payment, fulfillment


def _payment_method(value: object, status_id: int) -> str:
    method = value.strip().lower() if isinstance(value, str) else ""
    if method in PAYMENT_METHODS:
        return method
    # The COD status ids say how the buyer pays even when the method field does not.
    return "cod" if status_id in COD_STATUS_IDS else "other"


def _customer(value: object, external_id: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidOrder("customer is not an object", external_id)
    return {key: _text(value.get(key)) for key in CUSTOMER_FIELDS if key in value}


def _lines(items: object, external_id: str) -> list[dict]:
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise InvalidOrder("items is missing or not a list of objects", external_id)
    return [
        {
            "sku": item.get("sku"),
            "name": item.get("name"),
            "quantity": _quantity(item.get("qty")),
            "unit_price": _money(item.get("price"), default=None),
            "discount": _money(item.get("discount")),
        }
        for item in items
    ]


def _shipment(raw: dict) -> dict | None:
    carrier, tracking = raw.get("shipping_company"), raw.get("tracking_no")
    if not carrier and not tracking:
        return None
    return {"carrier": _text(carrier), "tracking_number": _text(tracking), "shipped_at": raw.get("shipped_at")}


def _money(value: object, default: str | None = "0.00") -> object:
    """Decimal strings stay as they are; a JSON number (read as Decimal, never float) becomes
    its exact string; anything else is left for the interchange parser to reject."""
    if value is None:
        return default
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def _quantity(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else format(value, "f")
    return value


def _text(value: object) -> str:
    return "" if value is None else str(value)


def to_record(entry: object) -> PulledRecord:
    """One entry of a page's `data` -> a mapped record, or a failed one with its reason."""
    if not isinstance(entry, dict):
        return PulledRecord(None, None, "the entry is not a JSON object")
    external_id = entry.get("order_no") if isinstance(entry.get("order_no"), str) else None
    try:
        data = map_shop_order(entry)
    except InvalidOrder as exc:
        return PulledRecord(external_id, None, exc.reason, _version_or_none(entry))
    return PulledRecord(data["external_id"], data, None, _version(entry, data["external_id"]))


def _version_or_none(entry: dict) -> datetime | None:
    try:
        return _version(entry, "")
    except InvalidOrder:
        return None


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
            entries, done = self._fetch_page(page, start)
            records = [to_record(entry) for entry in entries]
            moved_from = _earliest_move(records, first_seen, moved_from)
            rescan = moved_from if done and not final else None
            if done and moved_from is not None and final:
                log.warning("shop-api: orders still moving after %d passes", self._max_passes)
            yield PulledPage(page, records, _newest(records), last_page=done and rescan is None)
            if done:
                return rescan

    def _fetch_page(self, page: int, start: datetime | None) -> tuple[list, bool]:
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


def _decode(page: int, response: httpx2.Response) -> tuple[list, bool]:
    """The page's `data` entries, and whether it is the last page."""
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
    # An empty page ends the pass too, so a wrong last_page cannot make us page forever.
    return data, page >= last_page or not data


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


@register_connector(KIND)
def build_shop_api(settings: Mapping[str, Any]) -> ShopApiConnector:
    """Factory for the registry. Pass a shared `http_client` from the composition root;
    without one the connector gets its own client with sane timeouts."""
    if not settings.get("base_url") or not settings.get("token"):
        raise DomainError("invalid_source_settings", "a shop-api source needs base_url and token")
    client = settings.get("http_client") or httpx2.Client(timeout=DEFAULT_TIMEOUT)
    return ShopApiConnector(
        settings["base_url"],
        settings["token"],
        client,
        page_size=int(settings.get("page_size", MAX_PAGE_SIZE)),
    )
