"""The order as every door hands it in: the interchange format of docs/order-format.md.

Immutable values; a new version of an order is a new `Order`. Amounts are Decimal baht.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from shopledger.domain.money import ZERO


class PaymentStatus(StrEnum):
    UNPAID = "unpaid"
    VERIFYING = "verifying"
    PAID = "paid"
    REFUNDED = "refunded"


class FulfillmentStatus(StrEnum):
    UNFULFILLED = "unfulfilled"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    RETURNED = "returned"


class Channel(StrEnum):
    WEBSITE = "website"
    FACEBOOK = "facebook"
    LINE = "line"
    INSTAGRAM = "instagram"
    SHOPEE = "shopee"
    LAZADA = "lazada"
    TIKTOK = "tiktok"
    POS = "pos"
    OTHER = "other"


class PaymentMethod(StrEnum):
    BANK_TRANSFER = "bank_transfer"
    PROMPTPAY = "promptpay"
    CARD = "card"
    COD = "cod"
    CASH = "cash"
    MARKETPLACE = "marketplace"
    OTHER = "other"


class OrderClass(StrEnum):
    """The row of the accounting-rules table an order falls in (cancelled wins)."""

    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class OrderLine:
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    discount: Decimal = ZERO

    @property
    def amount(self) -> Decimal:
        return self.quantity * self.unit_price - self.discount


@dataclass(frozen=True, slots=True)
class Customer:
    name: str
    email: str = ""
    phone: str = ""
    tax_id: str = ""
    branch: str = ""
    address: str = ""


@dataclass(frozen=True, slots=True)
class Shipment:
    carrier: str = ""
    tracking_number: str = ""
    shipped_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RefundLine:
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Refund:
    external_id: str
    amount: Decimal
    lines: tuple[RefundLine, ...] = ()
    restock: bool = False
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Order:
    source: str
    external_id: str
    channel: Channel
    placed_at: datetime
    updated_at: datetime
    payment_status: PaymentStatus
    fulfillment_status: FulfillmentStatus
    payment_method: PaymentMethod
    customer: Customer
    lines: tuple[OrderLine, ...]
    total: Decimal
    currency: str = "THB"
    prices_include_vat: bool = True
    cancelled_at: datetime | None = None
    paid_at: datetime | None = None
    shipping_fee: Decimal = ZERO
    discount: Decimal = ZERO
    shipment: Shipment | None = None
    refunds: tuple[Refund, ...] = ()
    note: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.external_id)

    @property
    def is_cancelled(self) -> bool:
        return (
            self.cancelled_at is not None
            or self.payment_status is PaymentStatus.REFUNDED
            or self.fulfillment_status is FulfillmentStatus.RETURNED
        )

    @property
    def order_class(self) -> OrderClass:
        if self.is_cancelled:
            return OrderClass.CANCELLED
        if self.payment_status is PaymentStatus.PAID:
            return OrderClass.PAID
        return OrderClass.AWAITING_PAYMENT

    @property
    def goods_total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def expected_total(self) -> Decimal:
        """What the buyer pays by the format's formula (before any VAT added on top)."""
        return self.goods_total + self.shipping_fee - self.discount

    @property
    def is_cod(self) -> bool:
        return self.payment_method is PaymentMethod.COD
