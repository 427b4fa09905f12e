"""A plausible Thai shop's recent orders, for the demo and for tests that want real-looking data.

Deterministic for a given (n, now, seed). Totals add up by orders.md's formula, company tax
ids pass the mod-11 checksum, every status id of the table appears, and timestamps agree
with the status (paid orders have paid_at, shipped ones shipped_at, ...).
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from shopledger.demo.shop_catalogue import CATALOGUE
from shopledger.demo_shop.store import stamp, tracking_number
from shopledger.domain.money import fmt
from shopledger.domain.orders.taxid import check_digit


PEOPLE = [
    ("สมชาย ใจดี", "somchai@example.co.th", "0812345678", "12/3 ถนนนิมมานเหมินท์ ตำบลสุเทพ อำเภอเมือง เชียงใหม่ 50200"),
    ("สุนิสา แก้วมณี", "sunisa@example.com", "0898765432", "45 ซอยอารีย์ 2 แขวงสามเสนใน เขตพญาไท กรุงเทพมหานคร 10400"),
    ("วิชัย ศรีสุข", "wichai@example.com", "0861112233", "88 ถนนมิตรภาพ ตำบลในเมือง อำเภอเมือง ขอนแก่น 40000"),
    ("นภัสสร ทองดี", "napat@example.co.th", "0927654321", "7/15 ถนนราษฎร์อุทิศ ตำบลหาดใหญ่ อำเภอหาดใหญ่ สงขลา 90110"),
    ("ปิยะพงษ์ บุญมา", "piyapong@example.com", "0954443322", "301 ถนนสุขุมวิท ตำบลหนองปรือ อำเภอบางละมุง ชลบุรี 20150"),
]
# (name, email, phone, first 12 digits of the tax id, address): the check digit is computed.
COMPANIES = [
    ("บริษัท น้ำผึ้งดี จำกัด", "buyer@example.co.th", "021234567", "010555601234",
     "99/1 ถนนสุขุมวิท แขวงคลองเตย เขตคลองเตย กรุงเทพมหานคร 10110"),
    ("ห้างหุ้นส่วนจำกัด กาแฟเหนือ", "office@example.co.th", "053222333", "050356000123",
     "5 ถนนช้างคลาน ตำบลช้างคลาน อำเภอเมือง เชียงใหม่ 50100"),
]
WALK_IN = {"name": "ลูกค้าหน้าร้าน", "email": "", "phone": "", "tax_id": "", "branch": "", "address": ""}

# One cycle of statuses: every id of orders.md's table, weighted the way a shop's list looks.
STATUS_CYCLE = [7, 3, 1, 16, 7, 2, 3, 14, 1, 7, 15, 4, 3, 1, 7, 6, 16, 3, 5, 7]
# order_from codes, paired with how such an order is paid when it is not COD.
CHANNEL_CYCLE = [(0, None), (2, None), (7, "marketplace"), (9, None), (6, "marketplace"),
                 (1, None), (10, "marketplace"), (3, "cash"), (11, None)]
PREPAID_METHODS = ["bank_transfer", "promptpay", "promptpay", "card"]
PAID = {3, 5, 6, 7, 16}
# Waiting on the shop or the buyer (unpaid, slip to check, paid or COD to ship): in a fresh shop
# these were placed in the last hours, so none has waited past a stuck-order rule yet.
WAITING = {1, 2, 3, 14}
SHIPPED = {7, 15, 16}
CANCELLED = {4, 5, 6}


def demo_orders(n: int, now: datetime, *, seed: int = 7, fresh: bool = False) -> list[dict]:
    """`fresh`: the orders still waiting were placed 4 to 15 hours before `now` (the others
    keep their days: a shop whose work is up to date, as the product's demo shop starts)."""
    rng = random.Random(seed)
    return [_order(index, n, now, rng, fresh) for index in range(n)]


def _order(index: int, n: int, now: datetime, rng: random.Random, fresh: bool = False) -> dict:
    order_id = str(100001 + index)
    status = STATUS_CYCLE[index % len(STATUS_CYCLE)]
    channel, channel_method = CHANNEL_CYCLE[index % len(CHANNEL_CYCLE)]
    method = "cod" if status in {14, 15, 16} else channel_method or rng.choice(PREPAID_METHODS)
    # Oldest first, a few hours apart; every event lands well before `now`.
    created = now - timedelta(hours=3 * (n - index) + 60, minutes=rng.randint(0, 59))
    if fresh and status in WAITING:  # paid at most 3 hours after: still before `now`
        created = now - timedelta(hours=4 + index % 12, minutes=created.minute)
    items = _items(rng)
    goods = sum(Decimal(i["price"]) * i["qty"] - Decimal(i["discount"]) for i in items)
    shipping = Decimal("0.00") if channel == 3 or goods >= 1000 else Decimal("50.00")
    discount = Decimal("20.00") if goods >= 500 and rng.random() < 0.3 else Decimal("0.00")
    order = {
        "order_id": order_id,
        "order_no": f"BW-{order_id}",
        "order_status_id": status,
        "order_from": channel,
        "payment_method": method,
        "created_at": stamp(created),
        "customer": WALK_IN.copy() if channel == 3 else _customer(index, rng),
        "items": items,
        "shipping_cost": fmt(shipping),
        "discount": fmt(discount),
        "grand_total": fmt(goods + shipping - discount),
        "shipping_company": None,
        "tracking_no": None,
    }
    order.update(_events(status, created, order_id, rng))
    return order


def _items(rng: random.Random) -> list[dict]:
    items = []
    for sku, name, price in rng.sample(CATALOGUE, rng.randint(1, 3)):
        qty = rng.choice([1, 1, 1, 2, 2, 3])
        line_discount = "10.00" if qty >= 2 and rng.random() < 0.25 else "0.00"
        items.append({"sku": sku, "name": name, "qty": qty, "price": price, "discount": line_discount})
    return items


def _customer(index: int, rng: random.Random) -> dict:
    if index % 7 == 3:  # now and then a company that wants a full tax invoice
        name, email, phone, first12, address = COMPANIES[(index // 7) % len(COMPANIES)]
        tax_id = f"{first12}{check_digit(first12)}"
        return {"name": name, "email": email, "phone": phone, "tax_id": tax_id, "branch": "00000", "address": address}
    name, email, phone, address = PEOPLE[rng.randrange(len(PEOPLE))]
    return {"name": name, "email": email, "phone": phone, "tax_id": "", "branch": "", "address": address}


def _events(status: int, created: datetime, order_id: str, rng: random.Random) -> dict:
    """paid_at, shipped_at, cancelled_at, carrier and updated_at consistent with the status."""
    paid = created + timedelta(minutes=rng.randint(20, 180)) if status in PAID else None
    shipped = (paid or created) + timedelta(hours=rng.randint(3, 18)) if status in SHIPPED else None
    if status == 16:  # COD: paid when the parcel is delivered, after it shipped
        paid = shipped + timedelta(hours=rng.randint(20, 30))
    cancelled = (paid or created) + timedelta(hours=rng.randint(1, 6)) if status in CANCELLED else None
    carrier = rng.choice(("kerry", "flash", "thaipost", "jt"))
    # Some orders awaiting shipment already have a tracking number: it does not mean shipped.
    pre_labelled = status == 3 and int(order_id) % 2 == 0
    events = [moment for moment in (created, paid, shipped, cancelled) if moment is not None]
    return {
        "paid_at": stamp(paid) if paid else None,
        "shipped_at": stamp(shipped) if shipped else None,
        "cancelled_at": stamp(cancelled) if cancelled else None,
        "shipping_company": carrier if shipped or pre_labelled else None,
        "tracking_no": tracking_number(carrier, order_id) if shipped or pre_labelled else None,
        "updated_at": stamp(max(events) + timedelta(minutes=rng.randint(0, 5))),
    }
