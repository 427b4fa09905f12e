"""An order written back out: the interchange dict, its canonical text and fingerprints.

`parse_order` (interchange.py) reads the format; this writes it, so that
`parse_order(order_to_dict(o), o.source) == o`, and tells versions of an order apart.
"""
from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime

import orjson

from shopledger.domain.clock import BANGKOK
from shopledger.domain.money import fmt
from shopledger.domain.orders.model import Order, Refund


def order_to_dict(order: Order) -> dict:
    """The interchange dict of `order`: JSON-safe, amounts as "0.00" strings, times in +07:00."""
    customer, shipment = order.customer, order.shipment
    return {
        "external_id": order.external_id,
        "channel": order.channel.value,
        "placed_at": _iso(order.placed_at),
        "updated_at": _iso(order.updated_at),
        "payment_status": order.payment_status.value,
        "fulfillment_status": order.fulfillment_status.value,
        "cancelled_at": _iso(order.cancelled_at),
        "payment_method": order.payment_method.value,
        "paid_at": _iso(order.paid_at),
        "currency": order.currency,
        "prices_include_vat": order.prices_include_vat,
        "customer": {"name": customer.name, "email": customer.email, "phone": customer.phone,
                     "tax_id": customer.tax_id, "branch": customer.branch, "address": customer.address},
        "lines": [{"sku": line.sku, "name": line.name, "quantity": line.quantity,
                   "unit_price": fmt(line.unit_price), "discount": fmt(line.discount)} for line in order.lines],
        "shipping_fee": fmt(order.shipping_fee),
        "discount": fmt(order.discount),
        "total": fmt(order.total),
        "shipment": None if shipment is None else {
            "carrier": shipment.carrier, "tracking_number": shipment.tracking_number,
            "shipped_at": _iso(shipment.shipped_at)},
        "refunds": [_refund_dict(refund) for refund in order.refunds],
        "note": order.note,
    }


def _refund_dict(refund: Refund) -> dict:
    return {
        "external_id": refund.external_id,
        "amount": fmt(refund.amount),
        "lines": [{"sku": line.sku, "quantity": line.quantity} for line in refund.lines],
        "restock": refund.restock,
        "created_at": _iso(refund.created_at),
    }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(BANGKOK).isoformat()


def fingerprint(order: Order) -> str:
    """16 hex chars that change whenever anything in the order's interchange dict changes."""
    return fingerprint_of(order_to_dict(order))


def fingerprint_of(data: dict) -> str:
    """The fingerprint of an interchange dict already made by `order_to_dict`."""
    return fingerprint_of_json(canonical_json(data))


def canonical_json(data: dict) -> str:
    """One text per order content (sorted keys): what is stored and what is fingerprinted."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()


def received_hash(data: object) -> str:
    """A hash of a record exactly as a door handed it in (before validation): the same file
    imported again is recognised without parsing a single order.

    Never raises: a record orjson cannot write (an integer past 64 bits, a lone UTF-16
    surrogate, nesting past 255) is hashed as the json module writes it, and one nested past
    even that gets a hash of its own, so it is read (and refused) each time it comes.
    """
    try:
        text = orjson.dumps(data, option=orjson.OPT_SORT_KEYS, default=str)
    except orjson.JSONEncodeError:
        try:
            text = json.dumps(data, sort_keys=True, default=str).encode()
        except (RecursionError, TypeError, ValueError):
            text = secrets.token_bytes(16)
    return hashlib.blake2b(text, digest_size=8).hexdigest()


def fingerprint_of_json(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()
