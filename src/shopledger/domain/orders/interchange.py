"""The order interchange format of docs/order-format.md: dict -> Order, Order -> dict.

`parse_order` is the one gate every door (files, shop connectors, the API, staff) passes:
it either returns a frozen `Order` or raises `InvalidOrder` with one sentence a merchant can
act on, naming the field. Decisions where the spec is silent:

- Strings are trimmed; a blank string counts as absent. Unknown keys are ignored.
- Enum values are matched case-insensitively, spaces and dashes read as underscores
  ("Bank Transfer" -> bank_transfer). Currency "thb" is THB.
- Money: decimal strings (or ints); a float is refused. A JSON number read as Decimal is
  accepted only when whole ("750" or 750.0), so 350.5 written as a number is refused like a
  float. Negative amounts are refused everywhere.
- `prices_include_vat` false means unit prices, shipping and discounts exclude VAT, and
  total = subtotal + VAT, where subtotal = sum(lines) + shipping_fee - discount and VAT is the
  merchant's rate (`VatTerms`) in force on the order's tax point (the Bangkok day of paid_at,
  else of placed_at) on the whole subtotal (shipping is a taxable service too), rounded
  half-up to the satang once per order rather than per line (as a Thai tax invoice shows it).
  A merchant not registered for VAT adds none: total = subtotal.
- `paid_at` is required when payment_status is paid (the spec's "when paid").
- A refund needs `created_at` (the credit note's date). Refund lines must name skus of the
  order and may not return more of a sku, over all refunds, than the order holds; refunds
  may not add up to more than the total; refund ids are unique within the order.
- customer.tax_id may be written with spaces, dashes or Thai digits; it is stored as 13
  ASCII digits. customer.branch "0".."9999" is padded to 5 digits, "สำนักงานใหญ่"/"head
  office" is 00000, and a missing branch beside a tax id is 00000.
- A shipment with no carrier, tracking number or date is no shipment (None).
- Times may also be aware `datetime` objects; naive ones are refused like naive strings.
- Amounts, quantities, texts and counts of lines have the bounds of domain/limits.py; a date
  must fall between 2000-01-01 and a year from now.
- Whatever else goes wrong reading one order is that order's failure (UNREADABLE_ORDER),
  never an exception that would stop the rest of a file.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from decimal import Decimal

from shopledger.domain.accounting.vat import VatTerms
from shopledger.domain import limits
from shopledger.domain.clock import business_date, parse_instant, utc_now
from shopledger.domain.errors import InvalidOrder
from shopledger.domain.limits import MAX_AMOUNT, MAX_TOTAL, clip, path_segment_problem
from shopledger.domain.money import ZERO, MoneyError, fmt, parse_money
from shopledger.domain.orders.model import (Channel, Customer, FulfillmentStatus, Order, OrderLine,
                                            PaymentMethod, PaymentStatus, Refund, RefundLine, Shipment)
from shopledger.domain.orders.taxid import HEAD_OFFICE, is_valid_branch, is_valid_tax_id, normalize_tax_id
from shopledger.domain.shipping.carriers import fold

SUPPORTED_CURRENCY = "THB"

_CHANNELS = {member.value: member for member in Channel}
_PAYMENT_STATUSES = {member.value: member for member in PaymentStatus}
_FULFILLMENT_STATUSES = {member.value: member for member in FulfillmentStatus}
_PAYMENT_METHODS = {member.value: member for member in PaymentMethod}
_PLAIN_AMOUNT = re.compile(r"[0-9]+\.[0-9]{2}\Z")
_FLAG_WORDS = {"true": True, "yes": True, "y": True, "1": True, "false": False, "no": False, "n": False, "0": False}
_HEAD_OFFICE_WORDS = frozenset({"สำนักงานใหญ่", "head office", "headoffice", "hq"})
_TEXT_LIMITS = {
    "external_id": limits.MAX_EXTERNAL_ID, "note": limits.MAX_NOTE, "sku": limits.MAX_SKU, "name": limits.MAX_NAME,
    "customer.name": limits.MAX_NAME, "customer.email": limits.MAX_EMAIL, "customer.phone": limits.MAX_PHONE,
    "customer.address": limits.MAX_ADDRESS, "shipment.carrier": limits.MAX_CARRIER,
    "shipment.tracking_number": limits.MAX_TRACKING,
}


class _Reject(Exception):
    """One reason an order is refused; parse_order attaches the external id."""


def parse_order(data: dict, source: str, *, vat: VatTerms = VatTerms()) -> Order:
    """Validate one interchange dict into an `Order`, or raise `InvalidOrder`. `vat`: the
    merchant's VAT terms, which a total of prices before VAT must follow."""
    if not isinstance(data, dict):
        raise InvalidOrder("an order must be a JSON object", None)
    try:
        return _parse(data, source, vat)
    except _Reject as reject:
        raise InvalidOrder(str(reject), _loose_id(data.get("external_id"))) from None
    except Exception as error:  # noqa: BLE001 - a value nothing above foresaw fails its order, not the file
        raise InvalidOrder(limits.UNREADABLE_ORDER, _loose_id(data.get("external_id"))) from error


def _parse(data: dict, source: str, vat: VatTerms) -> Order:
    external_id = _external_id(data.get("external_id"))
    channel = _enum(data, "channel", _CHANNELS)
    placed_at = _instant(_required(data, "placed_at"), "placed_at")
    updated_at = _instant(_required(data, "updated_at"), "updated_at")
    payment_status = _enum(data, "payment_status", _PAYMENT_STATUSES)
    fulfillment_status = _enum(data, "fulfillment_status", _FULFILLMENT_STATUSES)
    cancelled_at = _optional_instant(data, "cancelled_at")
    payment_method = _enum(data, "payment_method", _PAYMENT_METHODS)
    paid_at = _optional_instant(data, "paid_at")
    if paid_at is None and payment_status is PaymentStatus.PAID:
        raise _Reject("paid_at is required when payment_status is paid")
    currency = _currency(data)
    prices_include_vat = _flag(data.get("prices_include_vat"), "prices_include_vat", True)
    customer = _customer(data.get("customer"))
    lines = _lines(data.get("lines"))
    shipping_fee = _optional_money(data, "shipping_fee")
    discount = _optional_money(data, "discount", MAX_TOTAL)
    total = _money(_required(data, "total"), "total", MAX_TOTAL)
    _check_total(lines, shipping_fee, discount, total, prices_include_vat, vat, paid_at or placed_at)
    return Order(
        source=source, external_id=external_id, channel=channel, placed_at=placed_at,
        updated_at=updated_at, payment_status=payment_status,
        fulfillment_status=fulfillment_status, payment_method=payment_method,
        customer=customer, lines=lines, total=total, currency=currency,
        prices_include_vat=prices_include_vat, cancelled_at=cancelled_at, paid_at=paid_at,
        shipping_fee=shipping_fee, discount=discount,
        shipment=_shipment(data.get("shipment")),
        refunds=_refunds(data.get("refunds"), lines, total),
        note=_text(data.get("note"), "note"),
    )


# --- scalar fields -------------------------------------------------------------------------


def _loose_id(value: object) -> str | None:
    """The external id for an error report, whatever shape it came in."""
    if isinstance(value, str):
        return clip(value.strip(), limits.MAX_EXTERNAL_ID) or None
    return limits.number_text(value) if type(value) is int else None


def _external_id(value: object) -> str:
    if value is None:
        raise _Reject("missing required field: external_id")
    text = _text(value, "external_id")
    if not text:
        raise _Reject("external_id is empty")
    if (problem := path_segment_problem("external_id", text)):
        raise _Reject(problem)
    return text


def _text(value: object, field: str, limit: int | None = None) -> str:
    if type(value) is str:
        text = value.strip()
    elif value is None:
        return ""
    elif type(value) is int:  # ids and phone numbers sometimes arrive as JSON numbers
        text = limits.number_text(value)
    else:
        raise _Reject(f"{field} must be text, got {_describe(value)}")
    return _bounded(text, field, limit)


def _bounded(text: str, field: str, limit: int | None) -> str:
    limit = limit or _TEXT_LIMITS.get(field, limits.MAX_TEXT)
    if len(text) > limit or _not_text(text):
        raise _Reject(limits.text_problem(field, text, limit))
    return text


_not_text = limits.NOT_TEXT.search


def _blank(value: object) -> bool:
    return value is None or (type(value) is str and not value.strip())


def _required(data: dict, key: str, field: str | None = None) -> object:
    value = data.get(key)
    if _blank(value):
        raise _Reject(f"missing required field: {field or key}")
    return value


def _required_text(data: dict, key: str, field: str | None = None, limit: int | None = None) -> str:
    value = data.get(key)
    if type(value) is str:
        text = value.strip()
        if text:
            return _bounded(text, field or key, limit)
    elif value is not None:
        return _text(value, field or key, limit)
    raise _Reject(f"missing required field: {field or key}")


def _enum(data: dict, key: str, members: dict):
    text = _required_text(data, key)
    member = members.get(text)
    if member is None:
        member = members.get(text.lower().replace(" ", "_").replace("-", "_"))
    if member is None:
        raise _Reject(f"{key} {clip(text)!r} is not one of {', '.join(members)}")
    return member


def _currency(data: dict) -> str:
    currency = _required_text(data, "currency").upper()
    if currency != SUPPORTED_CURRENCY:
        raise _Reject(f"currency {currency} is not supported (only {SUPPORTED_CURRENCY})")
    return currency


def _flag(value: object, field: str, default: bool) -> bool:
    if type(value) is bool:
        return value
    if _blank(value):
        return default
    flag = _FLAG_WORDS.get(str(value).strip().lower()) if type(value) in (str, int) else None
    if flag is None:
        raise _Reject(f"{field} must be true or false, got {clip(repr(value))}")
    return flag


def _instant(value: object, field: str) -> datetime:
    if type(value) is str:
        try:
            moment = parse_instant(value)
        except ValueError:
            raise _Reject(_why_not_an_instant(value, field)) from None
        except OverflowError:  # 9999-12-31T23:00-05:00 is past year 9999 in UTC
            raise _Reject(limits.out_of_range_date(field, value.strip())) from None
    elif isinstance(value, datetime):
        if value.tzinfo is None:
            raise _Reject(f"{field} '{value.isoformat()}' has no UTC offset (add one, e.g. +07:00)")
        try:
            moment = value.astimezone(timezone.utc)
        except OverflowError:
            raise _Reject(limits.out_of_range_date(field, value.isoformat())) from None
    else:
        raise _Reject(f"{field} must be an ISO 8601 date-time with offset, got {_describe(value)}")
    if (problem := limits.instant_problem(field, moment, utc_now())):
        raise _Reject(problem)
    return moment


def _why_not_an_instant(text: str, field: str) -> str:
    try:
        naive = datetime.fromisoformat(text.strip()).tzinfo is None
    except ValueError:
        naive = False
    if naive:
        return f"{field} {clip(text)!r} has no UTC offset (add one, e.g. +07:00)"
    return f"{field} {clip(text)!r} is not an ISO 8601 date-time with offset"


def _optional_instant(data: dict, key: str) -> datetime | None:
    value = data.get(key)
    return None if _blank(value) else _instant(value, key)


def _money(value: object, field: str, limit: Decimal = MAX_AMOUNT) -> Decimal:
    # Nearly every amount on the wire looks like "350.00": skip the general path for those.
    if type(value) is str and _PLAIN_AMOUNT.match(value):
        amount = Decimal(value)
        if amount <= limit:
            return amount
    if isinstance(value, Decimal) and value != value.to_integral_value():
        raise _Reject(f'{field} must be a decimal string like "350.50", not the number {limits.number_text(value)}')
    try:
        amount = parse_money(value, field=field, limit=limit)
    except MoneyError as error:
        raise _Reject(str(error)) from None
    if amount < ZERO:
        raise _Reject(f"{field} {fmt(amount)} cannot be negative")
    return amount


def _optional_money(data: dict, key: str, limit: Decimal = MAX_AMOUNT) -> Decimal:
    value = data.get(key)
    return ZERO if _blank(value) else _money(value, key, limit)


def _quantity(value: object) -> int:
    if _blank(value):
        raise _Reject("missing required field: quantity")
    quantity = 0
    if type(value) is int:
        quantity = value
    elif type(value) is str and value.strip().isascii() and value.strip().isdigit():
        digits = value.strip().lstrip("0") or "0"
        quantity = int(digits) if len(digits) <= 20 else 10 ** 20  # int() refuses 4,300 digits and more
    if quantity <= 0:
        raise _Reject(f"quantity must be a positive whole number, got {_shown_number(value)}")
    if quantity > limits.MAX_QUANTITY:
        raise _Reject(f"quantity {_shown_number(value)} is more than {limits.MAX_QUANTITY:,}, the most accepted; "
                      "check the figure")
    return quantity


def _shown_number(value: object) -> str:
    if type(value) is int:
        return limits.number_text(value)
    return clip(str(value), 30) if isinstance(value, (str, Decimal, float, bool)) else _describe(value)


def _describe(value: object) -> str:
    return "a list" if isinstance(value, list) else "an object" if isinstance(value, dict) else clip(repr(value))


# --- nested parts --------------------------------------------------------------------------


def _customer(value: object) -> Customer:
    if value is None:
        raise _Reject("missing required field: customer")
    if not isinstance(value, dict):
        raise _Reject("customer must be an object with at least a name")
    tax_id = _tax_id(value.get("tax_id"))
    return Customer(
        name=_required_text(value, "name", "customer.name"),
        email=_text(value.get("email"), "customer.email"),
        phone=_text(value.get("phone"), "customer.phone"),
        tax_id=tax_id,
        branch=_branch(value.get("branch"), tax_id),
        address=_text(value.get("address"), "customer.address"),
    )


def _tax_id(value: object) -> str:
    text = normalize_tax_id(_text(value, "customer.tax_id"))
    if not text:
        return ""
    if len(text) != 13 or not (text.isascii() and text.isdigit()):
        hint = " (a leading 0 may have been lost in a spreadsheet)" if len(text) == 12 else ""
        raise _Reject(f"customer.tax_id {text!r} must be 13 digits{hint}")
    if not is_valid_tax_id(text):
        raise _Reject(f"customer.tax_id {text} fails the checksum")
    return text


def _branch(value: object, tax_id: str) -> str:
    text = normalize_tax_id(_text(value, "customer.branch"))
    if not text:
        return HEAD_OFFICE if tax_id else ""
    if text.lower() in _HEAD_OFFICE_WORDS:
        return HEAD_OFFICE
    if text.isascii() and text.isdigit() and len(text) < 5:
        text = text.zfill(5)  # spreadsheets drop the leading zeros of "00001"
    if not is_valid_branch(text):
        raise _Reject(f"customer.branch {text!r} must be 5 digits (00000 = head office)")
    return text


def _lines(value: object) -> tuple[OrderLine, ...]:
    if not value:
        raise _Reject("order has no lines")
    if not isinstance(value, (list, tuple)):
        raise _Reject("lines must be a list of order lines")
    if (problem := limits.count_problem("lines", len(value), limits.MAX_LINES)):
        raise _Reject(problem)
    return tuple([_line(raw, number) for number, raw in enumerate(value, 1)])


def _line(raw: object, number: int) -> OrderLine:
    label = f"line {number}"
    if not isinstance(raw, dict):
        raise _Reject(f"{label} must be an object with sku, name, quantity and unit_price")
    try:
        sku = _required_text(raw, "sku")
        label = f"line {number} ({sku})"
        line = OrderLine(
            sku=sku,
            name=_required_text(raw, "name"),
            quantity=_quantity(raw.get("quantity")),
            unit_price=_money(_required(raw, "unit_price"), "unit_price"),
            discount=_optional_money(raw, "discount"),
        )
    except _Reject as reject:
        raise _Reject(f"{label}: {reject}") from None
    gross = line.quantity * line.unit_price
    if line.discount > gross:
        raise _Reject(f"{label}: discount {fmt(line.discount)} is bigger than the line amount {fmt(gross)}")
    return line


def _check_total(lines, shipping_fee, discount, total, prices_include_vat, terms: VatTerms,
                 tax_point: datetime) -> None:
    goods = sum([line.amount for line in lines], ZERO)
    if discount > goods:
        raise _Reject(f"discount {fmt(discount)} is bigger than the goods total {fmt(goods)}")
    subtotal = goods + shipping_fee - discount
    vat, rate = (ZERO, None) if prices_include_vat else terms.added_on(subtotal, business_date(tax_point))
    if total != subtotal + vat:
        raise _Reject(_total_mismatch(total, goods, shipping_fee, discount, vat, rate, prices_include_vat))


def _total_mismatch(total, goods, shipping_fee, discount, vat, rate, prices_include_vat) -> str:
    formula = f"lines {fmt(goods)}"
    if shipping_fee:
        formula += f" + shipping_fee {fmt(shipping_fee)}"
    if discount:
        formula += f" - discount {fmt(discount)}"
    if rate is not None:
        formula += f" + VAT {rate.normalize():f}% {fmt(vat)}"
    expected = goods + shipping_fee - discount + vat
    if formula != f"lines {fmt(expected)}":
        formula += f" = {fmt(expected)}"
    if not prices_include_vat:
        unregistered = "; not registered for VAT: no VAT added" if rate is None else ""
        formula += f" (prices_include_vat is false{unregistered})"
    return f"total {fmt(total)} does not match {formula}"


def _shipment(value: object) -> Shipment | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _Reject("shipment must be an object with carrier, tracking_number, shipped_at")
    shipment = Shipment(
        carrier=_carrier(value.get("carrier")),
        tracking_number=_text(value.get("tracking_number"), "shipment.tracking_number"),
        shipped_at=_optional_instant(value, "shipped_at"),
    )
    return shipment if shipment != _NO_SHIPMENT else None


_NO_SHIPMENT = Shipment()


def _carrier(value: object) -> str:
    text = _text(value, "shipment.carrier")
    if len(fold(text)) > limits.MAX_CARRIER:  # stored folded ("ß" -> "ss"): measured as stored
        raise _Reject(limits.text_problem("shipment.carrier", fold(text), limits.MAX_CARRIER))
    return text


def _refunds(value: object, lines: tuple[OrderLine, ...], total: Decimal) -> tuple[Refund, ...]:
    if not value:
        return ()
    if not isinstance(value, (list, tuple)):
        raise _Reject("refunds must be a list")
    if (problem := limits.count_problem("refunds", len(value), limits.MAX_REFUNDS)):
        raise _Reject(problem)
    refunds = tuple([_refund(raw, number) for number, raw in enumerate(value, 1)])
    _check_refunds(refunds, lines, total)
    return refunds


def _refund(raw: object, number: int) -> Refund:
    label = f"refund {number}"
    if not isinstance(raw, dict):
        raise _Reject(f"{label} must be an object with external_id, amount and created_at")
    try:
        external_id = _required_text(raw, "external_id", limit=limits.MAX_REFUND_ID)
        label = f"refund {number} ({external_id})"
        amount = _money(_required(raw, "amount"), "amount", MAX_TOTAL)
        if amount == ZERO:
            raise _Reject("amount must be more than 0.00")
        return Refund(
            external_id=external_id,
            amount=amount,
            lines=_refund_lines(raw.get("lines")),
            restock=_flag(raw.get("restock"), "restock", False),
            created_at=_instant(_required(raw, "created_at"), "created_at"),
        )
    except _Reject as reject:
        raise _Reject(f"{label}: {reject}") from None


def _refund_lines(value: object) -> tuple[RefundLine, ...]:
    if not value:
        return ()
    if not isinstance(value, (list, tuple)) or not all(isinstance(raw, dict) for raw in value):
        raise _Reject("lines must be a list of {sku, quantity}")
    if (problem := limits.count_problem("lines", len(value), limits.MAX_LINES)):
        raise _Reject(problem)
    parsed = []
    for number, raw in enumerate(value, 1):
        try:
            parsed.append(RefundLine(_required_text(raw, "sku"), _quantity(raw.get("quantity"))))
        except _Reject as reject:
            raise _Reject(f"line {number}: {reject}") from None
    return tuple(parsed)


def _check_refunds(refunds: tuple[Refund, ...], lines: tuple[OrderLine, ...], total: Decimal) -> None:
    ordered: dict[str, int] = {}
    for line in lines:
        ordered[line.sku] = ordered.get(line.sku, 0) + line.quantity
    returned = dict.fromkeys(ordered, 0)  # over all refunds, not per refund
    ids = [refund.external_id for refund in refunds]
    for refund in refunds:
        label = f"refund {refund.external_id}"
        if ids.count(refund.external_id) > 1:
            raise _Reject(f"{label} appears twice")
        if refund.amount > total:
            raise _Reject(f"{label}: amount {fmt(refund.amount)} is more than the order total {fmt(total)}")
        for line in refund.lines:
            if line.sku not in ordered:
                raise _Reject(f"{label}: sku {line.sku} is not on the order")
            returned[line.sku] += line.quantity
            if returned[line.sku] > ordered[line.sku]:
                raise _Reject(f"refunds return {returned[line.sku]} of {line.sku} "
                              f"but the order has {ordered[line.sku]}")
    refunded = sum([refund.amount for refund in refunds], ZERO)
    if refunded > total:
        raise _Reject(f"refunds add up to {fmt(refunded)}, more than the order total {fmt(total)}")
