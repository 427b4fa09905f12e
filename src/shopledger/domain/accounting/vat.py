"""VAT: computed once per document on its base, then spread over its lines by largest remainder.

The rate is data with a start date (a setting), never a constant in the rules.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from shopledger.domain.money import ZERO, allocate, from_satang, round_half_up, to_satang
from shopledger.domain.orders.model import Order

STANDARD_RATE = Decimal("7")


@dataclass(frozen=True, slots=True)
class VatRate:
    rate: Decimal  # percent, e.g. Decimal("7")
    starts_on: date


STANDARD_RATES = (VatRate(STANDARD_RATE, date(1992, 1, 1)),)


@dataclass(frozen=True, slots=True)
class VatTerms:
    """The merchant's VAT as an order's total must follow it when prices exclude VAT."""

    registered: bool = True
    rates: tuple[VatRate, ...] = STANDARD_RATES

    def added_on(self, net: Decimal, day: date) -> tuple[Decimal, Decimal | None]:
        """(VAT added on top of `net`, its rate) on `day`; a merchant not registered adds none."""
        if not self.registered:
            return ZERO, None
        rate = rate_on(self.rates, day)
        return vat_on(net, rate), rate


@lru_cache(maxsize=1024)  # asked for every document; the answer depends on the day only
def rate_on(rates: tuple[VatRate, ...], day: date) -> Decimal:
    """The rate in force on `day`: the latest one that had started by then."""
    in_force = [r for r in rates if r.starts_on <= day]
    if not in_force:
        return STANDARD_RATE if not rates else min(rates, key=lambda r: r.starts_on).rate
    return max(in_force, key=lambda r: r.starts_on).rate


def vat_in(gross: Decimal, rate: Decimal) -> Decimal:
    """The VAT inside a VAT-inclusive amount: gross x rate/(100+rate), half-up to the satang."""
    return round_half_up(gross * rate / (100 + rate))


def vat_on(net: Decimal, rate: Decimal) -> Decimal:
    """The VAT added on top of a VAT-exclusive amount."""
    return round_half_up(net * rate / 100)


class AmountLine(NamedTuple):
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    discount: Decimal
    amount: Decimal  # quantity x unit price - line discount, as shown on the document
    vat: Decimal  # this line's share of the document's VAT


@dataclass(frozen=True, slots=True)
class DocumentAmounts:
    """Every figure a sales document shows and posts; the parts add up exactly."""

    lines: tuple[AmountLine, ...]
    shipping_fee: Decimal
    shipping_vat: Decimal
    discount: Decimal
    total: Decimal
    vat: Decimal
    rate: Decimal
    prices_include_vat: bool = True

    @property
    def net(self) -> Decimal:
        return self.total - self.vat

    @property
    def shipping_net(self) -> Decimal:
        """The shipping part of N; the order discount reduces goods, never shipping. A fee
        before VAT is already net: its VAT share is on top of it, not inside it."""
        if not self.prices_include_vat:
            return self.shipping_fee
        return self.shipping_fee - self.shipping_vat

    @property
    def goods_net(self) -> Decimal:
        return self.net - self.shipping_net


def order_amounts(order: Order, rate: Decimal, vat_registered: bool) -> DocumentAmounts:
    """The figures of a sales document for the whole order."""
    total = order.total
    if not vat_registered:
        vat = ZERO
    elif order.prices_include_vat:
        vat = vat_in(total, rate)
    else:
        vat = total - order.expected_total
    line_amounts = [line.amount for line in order.lines]
    goods_weights = _goods_after_order_discount(order, line_amounts)
    shares = allocate(to_satang(vat), goods_weights + [to_satang(order.shipping_fee)])
    lines = tuple(
        AmountLine(line.sku, line.name, line.quantity, line.unit_price, line.discount, amount, from_satang(share))
        for line, amount, share in zip(order.lines, line_amounts, shares)
    )
    return DocumentAmounts(lines, order.shipping_fee, from_satang(shares[-1]), order.discount,
                           total, vat, rate if vat_registered else ZERO, order.prices_include_vat)


def _goods_after_order_discount(order: Order, line_amounts: list[Decimal]) -> list[int]:
    """Each goods line's taxable amount in satang once the order discount is spread over them."""
    amounts = [to_satang(amount) for amount in line_amounts]
    cuts = allocate(to_satang(order.discount), amounts)
    return [amount - cut for amount, cut in zip(amounts, cuts)]


def credit_vat(amount: Decimal, *, receipt_total: Decimal, receipt_vat: Decimal,
               credited_total: Decimal, credited_vat: Decimal, rate: Decimal) -> Decimal:
    """VAT on a credit note. The one that closes the receipt takes exactly the VAT left on it,
    so a fully credited sale leaves no satang of output VAT behind. `rate` is the rate of the
    receipt/tax invoice it corrects. A partial note never leaves more VAT on the receipt than
    amount still to credit (small refunds rounding down could), so the closing note's net is
    never negative."""
    vat_left = receipt_vat - credited_vat
    amount_left_after = receipt_total - credited_total - amount
    if amount_left_after <= ZERO:
        return vat_left
    if receipt_vat == ZERO:
        return ZERO
    return max(min(vat_in(amount, rate), vat_left), vat_left - amount_left_after)
