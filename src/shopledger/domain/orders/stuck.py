"""Stuck orders: which state has lasted too long, why, and what the merchant should do.

Each rule looks at an order's facts and the time its state began, with `now` injected; a
rule fires when the time waited reaches its threshold (>=). Thresholds are settings a
merchant can change or switch off (None).

The state a rule measures and when it began do not depend on `now` or the thresholds, so
they are stored beside the order (`waits`, one per axis) and the lists compare them with
`cutoffs(rules, now)` in the database.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

from shopledger.domain.errors import DomainError
from shopledger.domain.orders.model import FulfillmentStatus as F
from shopledger.domain.orders.model import Order
from shopledger.domain.orders.model import PaymentStatus as P


@dataclass(frozen=True, slots=True)
class StuckRules:
    unpaid_after: timedelta | None = timedelta(days=3)
    payment_check_after: timedelta | None = timedelta(hours=24)
    unshipped_after: timedelta | None = timedelta(days=2)
    undelivered_after: timedelta | None = timedelta(days=7)
    unremitted_after: timedelta | None = timedelta(days=5)
    # Not in the list of numbers: a return parcel takes a few days to travel back.
    unrestocked_after: timedelta | None = timedelta(days=3)
    sync_failed_after: timedelta | None = timedelta(0)

    @classmethod
    def from_settings(cls, settings: Mapping[str, object]) -> StuckRules:
        """Defaults overridden by settings: a timedelta, hours as an int, text like "3d",
        "24h", "1d12h", "90m", or "off"/""/None to switch the rule off. Unknown keys are refused."""
        known = {item.name for item in fields(cls)}
        unknown = sorted(set(settings) - known)
        if unknown:
            raise DomainError("invalid_setting", f"unknown stuck-order rule {', '.join(unknown)}",
                              {"unknown": unknown, "known": sorted(known)})
        return cls(**{name: parse_duration(value, name) for name, value in settings.items()})


_PART = re.compile(r"(\d+)\s*([dhm])")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def parse_duration(value: object, name: str = "duration") -> timedelta | None:
    if value is None or isinstance(value, timedelta):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return timedelta(hours=value)
    text = str(value).strip().lower().replace(" ", "")
    if text in ("", "off", "none", "never"):
        return None
    if text.isdigit():
        return timedelta(hours=int(text))
    parts = _PART.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise DomainError("invalid_setting", f"{name}: {value!r} is not a duration like 3d, 24h or 90m",
                          {"setting": name, "value": str(value)})
    return timedelta(**{_UNITS[unit]: int(number) for number, unit in parts})


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What the rules need to know about one order. `status_since` is when its state last
    changed (from its events); each specific time falls back to it when unknown."""

    order_key: str
    payment_status: P
    fulfillment_status: F
    placed_at: datetime
    cancelled: bool = False
    is_cod: bool = False
    cod_remitted: bool = False
    returned_restocked: bool = False
    last_sync_failed: str | None = None
    status_since: datetime | None = None
    paid_at: datetime | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    returned_at: datetime | None = None
    sync_failed_at: datetime | None = None

    @classmethod
    def from_order(cls, order: Order, **known: object) -> OrderFacts:
        """The facts an `Order` carries itself; the rest (remitted, restocked, times of
        delivery and return, sync failures) come from our own records as keywords."""
        shipped_at = order.shipment.shipped_at if order.shipment else None
        base = dict(order_key=f"{order.source}:{order.external_id}",
                    payment_status=order.payment_status, fulfillment_status=order.fulfillment_status,
                    placed_at=order.placed_at, cancelled=order.is_cancelled, is_cod=order.is_cod,
                    paid_at=order.paid_at, shipped_at=shipped_at)
        return cls(**{**base, **known})


@dataclass(frozen=True, slots=True)
class StuckReason:
    """`kind` is the alert kind (interfaces.md): stuck_order, or sync_failed. `message` names the
    sentence (`stuck.unshipped_cod`, ...) and `params` its facts (`ago`: seconds waited), so a page
    can say `reason` in the person's language."""

    code: str
    reason: str
    action: str
    since: datetime
    kind: str = "stuck_order"
    message: str = ""
    params: dict = field(default_factory=dict, hash=False)


def waited(delta: timedelta) -> str:
    """A human length of time: "3 days", "1 day", "5 hours", "20 minutes"."""
    if delta.days >= 1:
        return f"{delta.days} day" + ("s" if delta.days > 1 else "")
    hours = delta.seconds // 3600
    if hours >= 1:
        return f"{hours} hour" + ("s" if hours > 1 else "")
    minutes = max(delta.seconds // 60, 0)
    return f"{minutes} minute" + ("s" if minutes != 1 else "")


# (code, since, reason with {ago}, action[, message]); since None: we do not know when the state
# began; the message is `stuck.<code>` unless a variant says more (`stuck.unshipped_cod`).
_Hit = tuple[str, datetime | None, str, str] | tuple[str, datetime | None, str, str, str]
Rule = Callable[[OrderFacts], _Hit | None]


def _unpaid(f: OrderFacts) -> _Hit | None:
    if f.cancelled or f.is_cod or f.payment_status is not P.UNPAID:
        return None
    return ("unpaid", f.status_since or f.placed_at, "placed {ago} ago, not paid",
            "remind the buyer, or cancel the order")


def _payment_check(f: OrderFacts) -> _Hit | None:
    if f.cancelled or f.payment_status is not P.VERIFYING:
        return None
    return ("payment_check", f.status_since or f.placed_at, "payment waiting {ago} to be checked",
            "check the payment and mark it paid, or ask the buyer")


def _unshipped(f: OrderFacts) -> _Hit | None:
    if f.cancelled or f.fulfillment_status is not F.UNFULFILLED:
        return None
    if f.is_cod:
        return ("unshipped", f.placed_at, "COD order placed {ago} ago, not shipped",
                "ship it or cancel it", "stuck.unshipped_cod")
    if f.payment_status is not P.PAID:
        return None
    return ("unshipped", f.paid_at or f.status_since or f.placed_at, "paid {ago} ago, not shipped",
            "ship it or cancel it")


def _undelivered(f: OrderFacts) -> _Hit | None:
    if f.cancelled or f.fulfillment_status is not F.SHIPPED:
        return None
    return ("undelivered", f.shipped_at or f.status_since, "shipped {ago} ago, not delivered",
            "check the tracking with the carrier")


def _unremitted(f: OrderFacts) -> _Hit | None:
    # The courier owes collected money even if the order was refunded afterwards.
    if not f.is_cod or f.cod_remitted or f.fulfillment_status is not F.DELIVERED:
        return None
    return ("unremitted", f.delivered_at or f.status_since, "COD delivered {ago} ago, not remitted",
            "ask the courier for the payout, or import its COD statement")


def _unrestocked(f: OrderFacts) -> _Hit | None:
    if f.fulfillment_status is not F.RETURNED or f.returned_restocked:
        return None
    return ("unrestocked", f.returned_at or f.status_since, "returned {ago} ago, not back in stock",
            "check the parcel came back and put the goods back in stock")


_RULES: tuple[tuple[str, Rule], ...] = (
    ("unpaid_after", _unpaid), ("payment_check_after", _payment_check),
    ("unshipped_after", _unshipped), ("undelivered_after", _undelivered),
    ("unremitted_after", _unremitted), ("unrestocked_after", _unrestocked),
)
SETTING_OF = {"unpaid": "unpaid_after", "payment_check": "payment_check_after", "unshipped": "unshipped_after",
              "undelivered": "undelivered_after", "unremitted": "unremitted_after",
              "unrestocked": "unrestocked_after", "sync_failed": "sync_failed_after"}
# Within an axis the rules exclude each other (by payment status, by fulfilment status), so
# an order waits in at most one state per axis: two stored (code, since) pairs say it all.
AXIS_OF = {"unpaid": "payment", "payment_check": "payment", "unshipped": "fulfilment",
           "undelivered": "fulfilment", "unremitted": "fulfilment", "unrestocked": "fulfilment"}
# What a group of orders stuck by one rule has in common, and what to do about them.
TITLES = {"unpaid": ("not paid", "remind the buyers, or cancel the orders"),
          "payment_check": ("payment not checked", "check the payments and mark them paid, or ask the buyers"),
          "unshipped": ("not shipped", "ship them or cancel them"),
          "undelivered": ("shipped, not delivered", "check the tracking with the carriers"),
          "unremitted": ("COD delivered, not remitted", "ask the couriers for the payout, or import their COD statements"),
          "unrestocked": ("returned, not back in stock", "check the parcels came back and put the goods back in stock"),
          "sync_failed": ("last sync failed", "fix the orders at their source, then run the sync again")}


@dataclass(frozen=True, slots=True)
class Waiting:
    """A state some rule measures, and since when (None: we do not know, so never judged)."""

    code: str
    since: datetime | None
    reason: str  # with {ago}
    action: str
    message: str = ""

    @property
    def axis(self) -> str:
        return AXIS_OF[self.code]


def waits(facts: OrderFacts) -> list[Waiting]:
    """Every waiting state this order is in, whatever the thresholds, in rule order."""
    return [Waiting(*hit[:4], hit[4] if len(hit) > 4 else f"stuck.{hit[0]}")
            for _, rule in _RULES if (hit := rule(facts)) is not None]


def cutoffs(rules: StuckRules, now: datetime) -> dict[str, datetime]:
    """code -> the latest start of a wait that is stuck at `now`; rules switched off are left out."""
    if now.tzinfo is None:
        raise ValueError("naive datetime: `now` must carry its offset")
    return {code: now - threshold for code, setting in SETTING_OF.items()
            if (threshold := getattr(rules, setting)) is not None}


def _sync_failed(facts: OrderFacts, rules: StuckRules, now: datetime) -> list[StuckReason]:
    threshold = rules.sync_failed_after
    since = facts.sync_failed_at or facts.status_since or facts.placed_at
    if not facts.last_sync_failed or threshold is None or now - since < threshold:
        return []
    return [StuckReason("sync_failed", f"last sync failed: {facts.last_sync_failed}",
                        "fix the order at its source, then run the sync again", since, "sync_failed",
                        "sync_failed.order", {"why": facts.last_sync_failed})]


def stuck_reasons(facts: OrderFacts, rules: StuckRules, now: datetime) -> list[StuckReason]:
    """Every reason this order is stuck at `now` (an empty list: it is not)."""
    limits = cutoffs(rules, now)
    found = [StuckReason(w.code, w.reason.format(ago=waited(now - w.since)), w.action, w.since,
                         message=w.message, params={"ago": int((now - w.since).total_seconds())})
             for w in waits(facts) if w.code in limits and w.since is not None and w.since <= limits[w.code]]
    return found + _sync_failed(facts, rules, now)
