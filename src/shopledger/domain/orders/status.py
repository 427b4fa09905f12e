"""The one status a person reads at a glance, derived from the two axes (never stored).

Precedence, first that applies: returned, refunded, cancelled, then by fulfilment.
- A COD order is shipped before it is paid, so an unfulfilled COD order is "to ship",
  and a delivered one means the courier collected the money (whatever payment_status says
  yet): it waits for the courier's remittance, then it is completed.
- "delivered" is a delivered order whose money is not settled yet (not COD, not paid);
  delivered and paid is "completed".
"""
from __future__ import annotations

from enum import StrEnum

from shopledger.domain.orders.model import FulfillmentStatus as F
from shopledger.domain.orders.model import Order
from shopledger.domain.orders.model import PaymentStatus as P


class DisplayStatus(StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    CHECKING_PAYMENT = "checking_payment"
    TO_SHIP = "to_ship"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COD_AWAITING_REMITTANCE = "cod_awaiting_remittance"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return _LABELS[self][0]

    @property
    def label_th(self) -> str:
        return _LABELS[self][1]


_LABELS: dict[DisplayStatus, tuple[str, str]] = {
    DisplayStatus.AWAITING_PAYMENT: ("Awaiting payment", "รอชำระเงิน"),
    DisplayStatus.CHECKING_PAYMENT: ("Checking payment", "รอตรวจสอบการชำระเงิน"),
    DisplayStatus.TO_SHIP: ("To ship", "รอจัดส่ง"),
    DisplayStatus.SHIPPED: ("Shipped", "จัดส่งแล้ว"),
    DisplayStatus.DELIVERED: ("Delivered", "ส่งถึงแล้ว"),
    DisplayStatus.COD_AWAITING_REMITTANCE: ("COD awaiting remittance", "รอขนส่งโอนเงินปลายทาง"),
    DisplayStatus.COMPLETED: ("Completed", "สำเร็จ"),
    DisplayStatus.CANCELLED: ("Cancelled", "ยกเลิก"),
    DisplayStatus.REFUNDED: ("Refunded", "คืนเงินแล้ว"),
    DisplayStatus.RETURNED: ("Returned", "สินค้าตีกลับ"),
}


def _unfulfilled(order: Order) -> DisplayStatus:
    if order.is_cod or order.payment_status is P.PAID:
        return DisplayStatus.TO_SHIP
    if order.payment_status is P.VERIFYING:
        return DisplayStatus.CHECKING_PAYMENT
    return DisplayStatus.AWAITING_PAYMENT


def _delivered(order: Order, cod_remitted: bool) -> DisplayStatus:
    if order.is_cod:
        return DisplayStatus.COMPLETED if cod_remitted else DisplayStatus.COD_AWAITING_REMITTANCE
    if order.payment_status is P.PAID:
        return DisplayStatus.COMPLETED
    return DisplayStatus.DELIVERED


def display_status(order: Order, *, cod_remitted: bool = False) -> DisplayStatus:
    """`cod_remitted`: the courier has paid this order's COD over (known from our books)."""
    if order.fulfillment_status is F.RETURNED:
        return DisplayStatus.RETURNED
    if order.payment_status is P.REFUNDED:
        return DisplayStatus.REFUNDED
    if order.cancelled_at is not None:
        return DisplayStatus.CANCELLED
    if order.fulfillment_status is F.DELIVERED:
        return _delivered(order, cod_remitted)
    if order.fulfillment_status is F.SHIPPED:
        return DisplayStatus.SHIPPED
    return _unfulfilled(order)
