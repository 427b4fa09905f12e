"""Builders for test data: valid by default, one keyword away from the case a test is about."""
from __future__ import annotations

import copy

_VALID_ORDER = {
    "external_id": "BW-100234",
    "channel": "website",
    "placed_at": "2026-11-20T10:15:00+07:00",
    "updated_at": "2026-11-21T09:02:11+07:00",
    "payment_status": "paid",
    "fulfillment_status": "unfulfilled",
    "cancelled_at": None,
    "payment_method": "bank_transfer",
    "paid_at": "2026-11-20T11:00:00+07:00",
    "currency": "THB",
    "prices_include_vat": True,
    "customer": {
        "name": "บริษัท น้ำผึ้งดี จำกัด",
        "email": "buyer@example.co.th",
        "phone": "0812345678",
        "tax_id": "0105556012341",
        "branch": "00000",
        "address": "99/1 ถนนสุขุมวิท แขวงคลองเตย เขตคลองเตย กรุงเทพมหานคร 10110",
    },
    "lines": [
        {"sku": "HONEY-1L", "name": "น้ำผึ้งป่า 1 ลิตร", "quantity": 2, "unit_price": "350.00", "discount": "0.00"},
        {"sku": "COMB-200", "name": "รวงผึ้ง 200 กรัม", "quantity": 1, "unit_price": "120.00", "discount": "20.00"},
    ],
    "shipping_fee": "50.00",
    "discount": "0.00",
    "total": "850.00",
    "shipment": None,
    "refunds": [],
    "note": "",
}


def make_order_dict(**overrides) -> dict:
    """A valid 2-line paid order in the interchange format (total 850.00), with overrides.

    Overrides replace whole top-level fields: `make_order_dict(total="900.00")`,
    `make_order_dict(customer={"name": "Walk-in"})`. Pass `None` to clear a field and use
    `without=` (a field name or a tuple of them) to drop fields altogether.
    """
    without = overrides.pop("without", ())
    order = copy.deepcopy(_VALID_ORDER)
    order.update(overrides)
    for field in (without,) if isinstance(without, str) else without:
        order.pop(field, None)
    return order


def priced_order_dict(lines: list[dict], *, shipping_fee="0.00", discount="0.00", prices_include_vat=True,
                      **overrides) -> dict:
    """`make_order_dict` with these lines and a `total` that adds up (7% added on top when
    `prices_include_vat` is false). Amounts may be given as strings or Decimals."""
    from decimal import ROUND_HALF_UP, Decimal

    goods = sum((line["quantity"] * Decimal(str(line["unit_price"])) - Decimal(str(line.get("discount", "0")))
                 for line in lines), Decimal("0"))
    subtotal = goods + Decimal(str(shipping_fee)) - Decimal(str(discount))
    vat = Decimal("0") if prices_include_vat else (subtotal * Decimal("0.07")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return make_order_dict(lines=lines, shipping_fee=f"{Decimal(str(shipping_fee)):.2f}",
                           discount=f"{Decimal(str(discount)):.2f}", prices_include_vat=prices_include_vat,
                           total=f"{subtotal + vat:.2f}", **overrides)
