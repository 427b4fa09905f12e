"""A BentoWeb-style shop's order onto the interchange format (docs/order-format.md).

Mapping principle: `map_shop_order` fails an order only where it cannot *translate* it (no
order number, an unknown status id, no readable `updated_at`, items that are not a list of
objects). Everything else is passed through as the shop sent it, so the interchange parser
gives the one precise reason a merchant reads, the same as for a file import.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from shopledger.domain.clock import parse_instant
from shopledger.domain.errors import InvalidOrder
from shopledger.domain.sync.connector import PulledRecord

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
