"""What an order being keyed in adds up to, before it is taken: the total the interchange's rule
asks for (docs/order-format.md: lines + shipping fee - discount, VAT added on top when prices
exclude it) and the VAT and value before VAT its document will show.

The VAT comes from `vat.order_amounts`, the function the documents and their entries are posted
with, so the figures shown while typing are the ones the receipt/tax invoice will carry.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from shopledger.domain.accounting.vat import VatTerms, order_amounts, rate_on
from shopledger.domain.clock import BANGKOK
from shopledger.domain.money import ZERO
from shopledger.domain.orders.model import (Channel, Customer, FulfillmentStatus, Order, OrderLine,
                                            PaymentMethod, PaymentStatus)


@dataclass(frozen=True, slots=True)
class Totals:
    goods: Decimal  # the lines after their own discounts
    shipping_fee: Decimal
    discount: Decimal  # the order's own discount
    total: Decimal  # what the buyer pays
    vat: Decimal
    net: Decimal  # the total before VAT
    rate: Decimal | None  # the VAT rate in force on the day; None when not VAT-registered

    @property
    def discount_too_big(self) -> bool:
        return self.discount > self.goods


def order_totals(lines: Sequence[OrderLine], shipping_fee: Decimal, discount: Decimal, *,
                 prices_include_vat: bool, terms: VatTerms, day: date) -> Totals:
    """The figures of an order of these lines on `day` (its tax point: the day paid, else placed)."""
    goods = sum((line.amount for line in lines), ZERO)
    subtotal = goods + shipping_fee - discount
    added = ZERO if prices_include_vat else terms.added_on(subtotal, day)[0]
    total = subtotal + added
    rate = rate_on(terms.rates, day) if terms.registered else None
    if not lines or total < ZERO:
        return Totals(goods, shipping_fee, discount, total, added, total - added, rate)
    draft = _draft(lines, shipping_fee, discount, total, prices_include_vat, day)
    amounts = order_amounts(draft, rate or ZERO, terms.registered)
    return Totals(goods, shipping_fee, discount, total, amounts.vat, amounts.net, rate)


def _draft(lines, shipping_fee, discount, total, prices_include_vat, day) -> Order:
    """An order holding only what its amounts depend on (order_amounts reads nothing else)."""
    moment = datetime.combine(day, time(12), BANGKOK)
    return Order(source="", external_id="", channel=Channel.OTHER, placed_at=moment, updated_at=moment,
                 payment_status=PaymentStatus.UNPAID, fulfillment_status=FulfillmentStatus.UNFULFILLED,
                 payment_method=PaymentMethod.OTHER, customer=Customer(""), lines=tuple(lines), total=total,
                 prices_include_vat=prices_include_vat, shipping_fee=shipping_fee, discount=discount)
