"""The new-order form's fields, read: what was typed (kept as typed, to show again), each field's
problem in words, the order's figures (domain/orders/totals.py) and, once nothing is wrong, the
interchange dict the order is taken as (docs/order-format.md).

A line left blank (no SKU, name or price) is no line. Amounts may be typed with thousands
commas, a ฿ or Thai digits; they are read exactly (Decimal), never as floats.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from shopledger.domain import limits
from shopledger.domain.accounting.vat import VatTerms
from shopledger.domain.clock import BANGKOK, business_date
from shopledger.domain.money import CENT, ZERO, fmt
from shopledger.domain.orders.model import Channel, OrderLine, PaymentMethod
from shopledger.domain.orders.taxid import HEAD_OFFICE, is_valid_branch, is_valid_tax_id, normalize_tax_id
from shopledger.domain.orders.totals import Totals, order_totals
from shopledger.web.i18n import N_

CHAT_CHANNELS = ("line", "facebook", "instagram", "other")  # first in the list: a chat or the phone
CHANNELS = CHAT_CHANNELS + tuple(c.value for c in Channel if c.value not in CHAT_CHANNELS)
METHODS = tuple(m.value for m in PaymentMethod)
BLANK_LINES = 1  # empty rows offered under the lines typed

PROBLEMS = {
    "name": N_("Give the customer's name."),
    "too_long": N_("This is longer than can be kept; shorten it."),
    "tax_id": N_("A tax ID is 13 digits with a right check digit."),
    "branch": N_("A branch is up to 5 digits (00000 is the head office)."),
    "channel": N_("Pick a channel from the list."),
    "method": N_("Pick a payment method from the list."),
    "paid_on": N_("Give the day it was paid, not after today."),
    "no_lines": N_("Add at least one item."),
    "too_many_lines": N_("An order holds at most 1,000 items."),
    "sku": N_("Give a SKU, or pick a product."),
    "item": N_("Give the item's name."),
    "quantity": N_("The quantity is a whole number from 1 to 1,000,000."),
    "price": N_("Type the price in baht, for example 350 or 350.50."),
    "line_discount": N_("Type the discount in baht; it cannot be more than the item's amount."),
    "amount": N_("Type the amount in baht, for example 50 or 50.00."),
    "discount_too_big": N_("The discount is more than the items cost."),
}


@dataclass
class LineInput:
    sku: str = ""
    name: str = ""
    quantity: str = "1"
    unit_price: str = ""
    discount: str = ""

    @property
    def blank(self) -> bool:
        return not (self.sku or self.name or self.unit_price or self.discount)


@dataclass
class OrderInput:
    """The form as typed."""

    customer_name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    tax_id: str = ""
    branch: str = ""
    channel: str = "line"
    payment_method: str = "bank_transfer"
    paid: bool = False
    paid_on: str = ""
    prices_include_vat: bool = True
    shipping_fee: str = ""
    discount: str = ""
    note: str = ""
    lines: list[LineInput] = field(default_factory=list)

    def with_blank_lines(self, count: int = BLANK_LINES) -> OrderInput:
        typed = [line for line in self.lines if not line.blank]
        self.lines = typed + [LineInput() for _ in range(max(count, 0 if typed else 1))]
        return self


@dataclass
class Checked:
    """What the form says: problems by field (`line-N-quantity`, ...), and the figures of what reads."""

    problems: dict[str, str] = field(default_factory=dict)
    lines: list[OrderLine] = field(default_factory=list)
    shipping_fee: Decimal = ZERO
    discount: Decimal = ZERO
    paid_day: date | None = None
    totals: Totals | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _text(form, name: str) -> str:
    return str(form.get(name) or "").strip()


def read_form(form) -> OrderInput:
    """A posted form (Starlette FormData) as typed; the lines come as repeated fields in order."""
    columns = [form.getlist(name) for name in ("sku", "item", "quantity", "unit_price", "line_discount")]
    rows = max((len(c) for c in columns), default=0)
    cell = lambda column, n: str(column[n]).strip() if n < len(column) else ""  # noqa: E731
    lines = [LineInput(*(cell(column, n) for column in columns)) for n in range(min(rows, limits.MAX_LINES + 1))]
    return OrderInput(
        customer_name=_text(form, "customer_name"), phone=_text(form, "phone"), email=_text(form, "email"),
        address=_text(form, "address"), tax_id=_text(form, "tax_id"), branch=_text(form, "branch"),
        channel=_text(form, "channel"), payment_method=_text(form, "payment_method"),
        paid=_text(form, "paid") == "yes", paid_on=_text(form, "paid_on"),
        prices_include_vat=_text(form, "prices") != "exclude", shipping_fee=_text(form, "shipping_fee"),
        discount=_text(form, "discount"), note=_text(form, "note"), lines=lines)


def from_order(data: dict) -> OrderInput:
    """An order's interchange data as the form shows it, to edit."""
    customer = data.get("customer") or {}
    return OrderInput(
        customer_name=customer.get("name") or "", phone=customer.get("phone") or "", email=customer.get("email") or "",
        address=customer.get("address") or "", tax_id=customer.get("tax_id") or "", branch=customer.get("branch") or "",
        channel=data.get("channel") or "other", payment_method=data.get("payment_method") or "other",
        paid=data.get("payment_status") == "paid", prices_include_vat=data.get("prices_include_vat", True) is not False,
        shipping_fee=_shown(data.get("shipping_fee")), discount=_shown(data.get("discount")), note=data.get("note") or "",
        lines=[LineInput(line.get("sku") or "", line.get("name") or "", str(line.get("quantity") or ""),
                         str(line.get("unit_price") or ""), _shown(line.get("discount"))) for line in data.get("lines") or []])


def _shown(amount: object) -> str:
    return "" if amount in (None, "", "0.00", "0") else str(amount)


_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def baht(text: str, limit: Decimal = limits.MAX_AMOUNT) -> Decimal | None:
    """'1,234.5', '฿350', '๓๕๐' -> Decimal('1234.50'); blank is 0.00; None when it is not an amount."""
    cleaned = text.translate(_THAI_DIGITS).replace(",", "").replace("฿", "").replace(" ", "")
    if not cleaned:
        return ZERO
    if not cleaned.replace(".", "", 1).isdigit():  # no signs, exponents, NaN or infinity
        return None
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    if amount != amount.quantize(CENT) or amount > limit:
        return None
    return amount.quantize(CENT)


def _quantity(text: str) -> int | None:
    digits = text.translate(_THAI_DIGITS).replace(",", "")
    if not digits.isascii() or not digits.isdigit():
        return None
    number = int(digits)
    return number if 1 <= number <= limits.MAX_QUANTITY else None


def _branch(text: str) -> str | None:
    if not text or text.lower() in ("สำนักงานใหญ่", "head office"):
        return HEAD_OFFICE if text else ""
    digits = normalize_tax_id(text)
    return digits.zfill(5) if digits.isascii() and digits.isdigit() and len(digits) <= 5 else None


def check(typed: OrderInput, terms: VatTerms, *, today: date, tax_day: date | None = None,
          payment_fixed: bool = False) -> Checked:
    """Every problem of the form, and the figures (on `tax_day`, else the day paid, else today)."""
    checked = Checked()
    problem = checked.problems.setdefault
    if not typed.customer_name:
        problem("customer_name", "name")
    for name, value, limit in (("customer_name", typed.customer_name, limits.MAX_NAME),
                               ("phone", typed.phone, limits.MAX_PHONE), ("email", typed.email, limits.MAX_EMAIL),
                               ("address", typed.address, limits.MAX_ADDRESS), ("note", typed.note, limits.MAX_NOTE)):
        if limits.text_problem(name, value, limit):
            problem(name, "too_long")
    if typed.tax_id and not is_valid_tax_id(normalize_tax_id(typed.tax_id)):
        problem("tax_id", "tax_id")
    if _branch(typed.branch) is None:
        problem("branch", "branch")
    if typed.channel not in CHANNELS:
        problem("channel", "channel")
    if typed.payment_method not in METHODS:
        problem("payment_method", "method")
    if typed.paid and not payment_fixed:
        try:
            checked.paid_day = date.fromisoformat(typed.paid_on) if typed.paid_on else today
        except ValueError:
            problem("paid_on", "paid_on")
        if checked.paid_day and not limits.EARLIEST.date() <= checked.paid_day <= today:
            checked.paid_day = None
            problem("paid_on", "paid_on")
    _check_lines(typed, checked)
    for name in ("shipping_fee", "discount"):
        amount = baht(getattr(typed, name), limits.MAX_AMOUNT if name == "shipping_fee" else limits.MAX_TOTAL)
        if amount is None:
            problem(name, "amount")
        else:
            setattr(checked, name, amount)
    day = tax_day or checked.paid_day or today
    checked.totals = order_totals(checked.lines, checked.shipping_fee, checked.discount,
                                  prices_include_vat=typed.prices_include_vat, terms=terms, day=day)
    if checked.totals.discount_too_big:
        problem("discount", "discount_too_big")
    return checked


def _check_lines(typed: OrderInput, checked: Checked) -> None:
    problem = checked.problems.setdefault
    typed_lines = [(n, line) for n, line in enumerate(typed.lines) if not line.blank]
    if not typed_lines:
        problem("lines", "no_lines")
    if len(typed_lines) > limits.MAX_LINES:
        problem("lines", "too_many_lines")
    for n, line in typed_lines:
        at = f"line-{n}-"
        if not line.sku:
            problem(at + "sku", "sku")
        elif limits.text_problem("sku", line.sku, limits.MAX_SKU):
            problem(at + "sku", "too_long")
        if not line.name:
            problem(at + "item", "item")
        elif limits.text_problem("name", line.name, limits.MAX_NAME):
            problem(at + "item", "too_long")
        quantity, price = _quantity(line.quantity), baht(line.unit_price) if line.unit_price else None
        discount = baht(line.discount)
        if quantity is None:
            problem(at + "quantity", "quantity")
        if price is None:
            problem(at + "unit_price", "price")
        if quantity is not None and price is not None:
            if discount is None or discount > quantity * price:
                problem(at + "line_discount", "line_discount")
            else:
                checked.lines.append(OrderLine(line.sku or "?", line.name, quantity, price, discount))
        elif discount is None:
            problem(at + "line_discount", "line_discount")


def paid_moment(day: date, now: datetime) -> datetime:
    """Paid today: now. Another day: its noon in Bangkok (the day is what the receipt shows)."""
    return now if day == business_date(now) else datetime.combine(day, time(12), BANGKOK)


def interchange(typed: OrderInput, checked: Checked, now: datetime) -> dict:
    """The order as keyed in, in the interchange format (its id is given when it is taken)."""
    paid_at = paid_moment(checked.paid_day, now) if typed.paid and checked.paid_day else None
    customer = {"name": typed.customer_name, "phone": typed.phone, "email": typed.email, "address": typed.address}
    if typed.tax_id:
        customer |= {"tax_id": normalize_tax_id(typed.tax_id), "branch": _branch(typed.branch) or HEAD_OFFICE}
    data = {
        "channel": typed.channel, "payment_method": typed.payment_method,
        "payment_status": "paid" if paid_at else "unpaid", "fulfillment_status": "unfulfilled",
        "currency": "THB", "prices_include_vat": typed.prices_include_vat, "customer": customer,
        "lines": [{"sku": line.sku, "name": line.name, "quantity": line.quantity, "unit_price": fmt(line.unit_price),
                   "discount": fmt(line.discount)} for line in checked.lines],
        "shipping_fee": fmt(checked.shipping_fee), "discount": fmt(checked.discount),
        "total": fmt(checked.totals.total), "note": typed.note, "refunds": [],
    }
    if paid_at:
        data |= {"paid_at": paid_at.isoformat(), "placed_at": min(paid_at, now).isoformat()}
    return data


def edit_patch(typed: OrderInput, checked: Checked) -> dict:
    """What an edit replaces on an unpaid order (its payment and shipping are its buttons')."""
    data = interchange(typed, checked, datetime.now(BANGKOK))
    return {k: data[k] for k in ("channel", "payment_method", "prices_include_vat", "customer", "lines",
                                 "shipping_fee", "discount", "total", "note")}
