"""The shipment an order carries: carrier, tracking link, and when it went, arrived or came back."""
from __future__ import annotations

from datetime import datetime

from shopledger.domain.orders.model import FulfillmentStatus, Order
from shopledger.domain.shipping.carriers import normalize_tracking, resolve_carrier, tracking_url

_SHIPPED = {FulfillmentStatus.SHIPPED, FulfillmentStatus.DELIVERED, FulfillmentStatus.RETURNED}


def shipment_row(order: Order, order_id: int, stored, now: datetime) -> dict | None:
    """The shipment as this version of the order tells it, keeping the first time each step was seen."""
    shipment = order.shipment
    if (shipment is None or not shipment.tracking_number) and stored is None:
        return None
    carrier = resolve_carrier((shipment and shipment.carrier) or (stored.carrier_name if stored else "") or "other")
    tracking = normalize_tracking(shipment.tracking_number) if shipment and shipment.tracking_number else stored.tracking_number
    status = order.fulfillment_status
    shipped_at = (shipment and shipment.shipped_at) or (stored.shipped_at if stored else None)
    if shipped_at is None and status in _SHIPPED:
        shipped_at = order.updated_at
    return {
        "order_id": order_id, "carrier": carrier.code, "carrier_name": carrier.name, "tracking_number": tracking,
        "tracking_url": tracking_url(carrier, tracking),
        "shipped_at": shipped_at,
        "delivered_at": _first(stored, "delivered_at", order.updated_at if status is FulfillmentStatus.DELIVERED else None),
        "returned_at": _first(stored, "returned_at", order.updated_at if status is FulfillmentStatus.RETURNED else None),
        "cod_amount": order.total if order.is_cod else None,
    }


def _first(stored, column: str, seen_now: datetime | None) -> datetime | None:
    earlier = getattr(stored, column) if stored is not None else None
    return earlier or seen_now
