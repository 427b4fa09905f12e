"""Which of two versions of one order is the newer.

`updated_at` orders the versions (orders.md). Shops stamp times to the second, so two versions
can share one: a file may hold the paid order and its cancellation with the same time. Taking
whichever arrived last would flip the books on every re-import, so versions are ranked by
content: the later time first, then the one further along its life (a cancellation comes after
a payment, a return after a delivery), then the fingerprint, so that every import of any
arrangement of the same versions settles on the same one.
"""
from __future__ import annotations

from datetime import datetime

from shopledger.domain.orders.canonical import fingerprint
from shopledger.domain.orders.model import Order

_PAYMENT_STAGE = {"unpaid": 0, "verifying": 1, "paid": 2, "refunded": 3}
_FULFILMENT_STAGE = {"unfulfilled": 0, "shipped": 1, "delivered": 2, "returned": 3}


def version_rank(updated_at: datetime, payment_status: str, fulfillment_status: str, cancelled: bool,
                 fingerprint_: str) -> tuple:
    """The key versions of one order sort by; the greatest is the newest."""
    return (updated_at, cancelled, _PAYMENT_STAGE.get(str(payment_status), -1),
            _FULFILMENT_STAGE.get(str(fulfillment_status), -1), fingerprint_)


def rank_of(order: Order, fingerprint_: str | None = None) -> tuple:
    return version_rank(order.updated_at, order.payment_status, order.fulfillment_status,
                        order.cancelled_at is not None, fingerprint_ or fingerprint(order))


def rank_of_stored(head) -> tuple:
    """The rank of what is stored of an order (a row with the same fields)."""
    return version_rank(head.updated_at, head.payment_status, head.fulfillment_status,
                        head.cancelled_at is not None, head.fingerprint)


def is_newer(candidate: Order, held: Order) -> bool:
    """True when `candidate` supersedes `held`; a later time decides without more work."""
    if candidate.updated_at != held.updated_at:
        return candidate.updated_at > held.updated_at
    return rank_of(candidate) > rank_of(held)


def newest(versions: list[Order]) -> Order:
    best = versions[0]
    for version in versions[1:]:
        if is_newer(version, best):
            best = version
    return best
