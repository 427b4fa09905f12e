"""Orders in the interchange format (docs/order-format.md) for the demo and the benchmark.

`demo_orders(today)`: about fifty orders of a small Thai shop placed over the three weeks
before `today`, one or more in every state an order can be in (unpaid, slip sent, paid by
bank/PromptPay/card/marketplace, cash on delivery before and after the courier collects,
shipped with a tracking number, delivered, cancelled before and after payment, partly
refunded, returned), a few of them bought by companies that want a full tax invoice.

`demo_history(today)`: the earlier versions of those orders whose books depend on what came
before (an invoice that is later paid or voided, a receipt that is later credited). Imported
before `demo_orders`, they give the demo's books what a shop's books hold after a few weeks
of daily imports: receipts that pay invoices, void invoices and credit notes for cancellations.

`bench_orders(n, seed)`: a stream of `n` valid orders for the import benchmark.

Everything is deterministic: the same arguments give the same orders. Totals add up by the
format's formula; tax ids pass the mod-11 checksum; every time carries +07:00 and falls
before `today`.
"""
from __future__ import annotations

from shopledger.domain.money import fmt_satang

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from shopledger.domain.clock import BANGKOK
from shopledger.domain.orders.taxid import check_digit

# sku, name, unit price in satang
PRODUCTS: tuple[tuple[str, str, int], ...] = (
    ("HONEY-1L", "น้ำผึ้งป่า 1 ลิตร", 35000),
    ("COFFEE-250", "กาแฟดอยช้าง คั่วกลาง 250 กรัม", 28000),
    ("SOAP-HERB", "สบู่สมุนไพร", 8900),
    ("TEA-GREEN", "ชาเขียว 100 กรัม", 15000),
    ("SUN-50", "ครีมกันแดด SPF50", 42000),
    ("RICE-5KG", "ข้าวหอมมะลิ 5 กก.", 24500),
    ("BALM-HERB", "ยาหม่องสมุนไพร", 4500),
)

PEOPLE: tuple[dict, ...] = (
    {"name": "สมชาย ใจดี", "email": "somchai@example.com", "phone": "0812345678",
     "address": "12/3 ถนนนิมมานเหมินท์ ตำบลสุเทพ อำเภอเมืองเชียงใหม่ เชียงใหม่ 50200"},
    {"name": "สุนิสา แก้วมณี", "email": "sunisa@example.com", "phone": "0898765432",
     "address": "45 ซอยอารีย์ 2 แขวงพญาไท เขตพญาไท กรุงเทพมหานคร 10400"},
    {"name": "วิชัย ศรีสุข", "email": "wichai@example.com", "phone": "0861112233",
     "address": "88 ถนนมิตรภาพ ตำบลในเมือง อำเภอเมืองขอนแก่น ขอนแก่น 40000"},
    {"name": "นภัสสร ทองดี", "email": "napatsorn@example.com", "phone": "0927654321",
     "address": "7/15 ถนนราษฎร์อุทิศ ตำบลหาดใหญ่ อำเภอหาดใหญ่ สงขลา 90110"},
    {"name": "ปิยะพงษ์ บุญมา", "email": "piyapong@example.com", "phone": "0954443322",
     "address": "301 ถนนสุขุมวิท ตำบลหนองปรือ อำเภอบางละมุง ชลบุรี 20150"},
    {"name": "กมลวรรณ สายสุวรรณ", "email": "kamonwan@example.com", "phone": "0832221100",
     "address": "19 ถนนพหลโยธิน แขวงจตุจักร เขตจตุจักร กรุงเทพมหานคร 10900"},
    {"name": "ธนากร วงศ์ใหญ่", "email": "thanakorn@example.com", "phone": "0841239876",
     "address": "55/8 ถนนเพชรเกษม ตำบลหัวหิน อำเภอหัวหิน ประจวบคีรีขันธ์ 77110"},
    {"name": "Emily Carter", "email": "emily.carter@example.com", "phone": "0619998877",
     "address": "Sukhumvit Soi 24, Khlong Tan, Khlong Toei, Bangkok 10110"},
)

# name, first twelve digits of the tax id (the check digit is computed), branch, email, phone, address
BUSINESSES: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("บริษัท สุขภาพดี เทรดดิ้ง จำกัด", "010555801234", "00000", "purchase@example.co.th", "021234567",
     "99/1 ถนนสุขุมวิท แขวงคลองเตย เขตคลองเตย กรุงเทพมหานคร 10110"),
    ("บริษัท กาแฟเหนือ จำกัด", "050556000123", "00001", "office@example.co.th", "053222333",
     "5 ถนนช้างคลาน ตำบลช้างคลาน อำเภอเมืองเชียงใหม่ เชียงใหม่ 50100"),
    ("ห้างหุ้นส่วนจำกัด สปาริมทะเล", "083556001987", "00000", "spa@example.co.th", "076555444",
     "12 ถนนทวีวงศ์ ตำบลป่าตอง อำเภอกะทู้ ภูเก็ต 83150"),
)

CARRIERS = ("kerry", "flash", "jt", "thaipost")

# (state, channel, payment method, days before today it was placed, business buyer or None,
#  whether an earlier version of it is imported first: see demo_history[, carrier]). Only the
#  nine-day-old unpaid order waits longer than the stuck-order rules allow, at any hour of today;
#  the COD parcels delivered a week or more ago were paid over (services/demo.py).
_PLAN: tuple[tuple, ...] = (
    # awaiting payment by bank transfer; the nine-day-old one is stuck
    ("unpaid", "website", "bank_transfer", 1, None, False),
    ("unpaid", "line", "bank_transfer", 1, None, False),
    ("unpaid", "facebook", "bank_transfer", 2, None, False),
    ("unpaid", "instagram", "bank_transfer", 2, 2, False),
    ("unpaid", "website", "bank_transfer", 9, None, False),
    # slip sent since the last import, not yet checked
    ("verifying", "line", "bank_transfer", 1, None, True),
    ("verifying", "facebook", "promptpay", 1, None, True),
    ("verifying", "website", "bank_transfer", 2, None, True),
    # paid yesterday, to ship today
    ("paid", "website", "bank_transfer", 1, None, False),
    ("paid", "line", "promptpay", 1, None, False),
    ("paid", "facebook", "promptpay", 1, None, False),
    ("paid", "website", "card", 1, None, False),
    ("paid", "instagram", "card", 1, None, False),
    ("paid", "shopee", "marketplace", 1, None, False),
    ("paid", "website", "bank_transfer", 1, 0, True),
    # cash on delivery: awaiting shipment, shipped (courier not yet collected), collected
    ("cod_waiting", "facebook", "cod", 1, None, False),
    ("cod_waiting", "line", "cod", 1, None, False),
    ("cod_waiting", "instagram", "cod", 1, None, False),
    ("cod_shipped", "facebook", "cod", 3, None, False),
    ("cod_shipped", "line", "cod", 4, None, True),
    ("cod_shipped", "facebook", "cod", 5, None, True),
    ("cod_paid", "facebook", "cod", 8, None, True),
    ("cod_paid", "line", "cod", 11, None, True),
    ("cod_paid", "instagram", "cod", 14, None, False),
    # paid and shipped
    ("shipped", "website", "bank_transfer", 3, None, True),
    ("shipped", "shopee", "marketplace", 3, None, False),
    ("shipped", "line", "promptpay", 4, None, False),
    ("shipped", "website", "card", 4, None, False),
    ("shipped", "facebook", "promptpay", 5, None, False),
    ("shipped", "website", "bank_transfer", 5, 1, True),
    ("shipped", "shopee", "marketplace", 6, None, False),
    # paid and delivered
    ("delivered", "website", "promptpay", 6, None, False),
    ("delivered", "facebook", "bank_transfer", 7, None, True),
    ("delivered", "shopee", "marketplace", 8, None, False),
    ("delivered", "line", "promptpay", 9, None, False),
    ("delivered", "website", "card", 10, 0, False),
    ("delivered", "instagram", "promptpay", 12, None, False),
    ("delivered", "website", "bank_transfer", 13, 2, True),
    ("delivered", "shopee", "marketplace", 15, None, False),
    ("delivered", "facebook", "promptpay", 16, None, False),
    ("delivered", "line", "bank_transfer", 18, None, True),
    ("delivered", "website", "card", 19, None, False),
    ("delivered", "website", "promptpay", 21, 1, False),
    # cancelled before payment: the first was invoiced before it was cancelled
    ("cancelled_unpaid", "website", "bank_transfer", 6, None, True),
    ("cancelled_unpaid", "facebook", "bank_transfer", 10, None, False),
    ("cancelled_unpaid", "line", "promptpay", 17, None, False),
    # cancelled after payment, money sent back
    ("cancelled_paid", "website", "promptpay", 7, None, True),
    ("cancelled_paid", "instagram", "card", 13, None, True),
    # delivered, then one item refunded and taken back into stock
    ("partial_refund", "website", "promptpay", 12, None, False),
    # cash on delivery refused at the door
    ("returned", "facebook", "cod", 10, None, True),
    # collected by Kerry this week: on the next payout statement (var/demo-cod-payout-kerry.csv)
    ("cod_paid", "line", "cod", 4, None, False, "kerry"),
)


def demo_orders(today: date) -> list[dict]:
    """The demo shop's orders as its shop shows them on `today` (the newest version of each)."""
    return [versions[-1] for versions in _demo(today)]


def demo_history(today: date) -> list[dict]:
    """Earlier versions of some demo orders, to import before `demo_orders(today)`."""
    return [version for versions in _demo(today) for version in versions[:-1]]


# --- the demo shop -----------------------------------------------------------------------------


def _demo(today: date) -> list[list[dict]]:
    rng = random.Random(20261120)
    midnight = datetime.combine(today, time(), BANGKOK)
    return [_demo_order(index, plan, midnight, rng) for index, plan in enumerate(_PLAN)]


def _demo_order(index: int, plan: tuple, midnight: datetime, rng: random.Random) -> list[dict]:
    state, channel, method, days_ago, business, with_history = plan[:6]
    carrier = plan[6] if len(plan) > 6 else None
    placed = midnight - timedelta(days=days_ago) + timedelta(hours=rng.randint(8, 20), minutes=rng.randint(0, 59))
    number = 10001 + index
    lines = _demo_lines(rng, at_least_two=state == "partial_refund")
    goods = sum(q * p - d for _, _, q, p, d in lines)
    shipping = 0 if goods >= 100000 else 5000
    discount = 5000 if goods >= 80000 and index % 4 == 0 else 0
    order = {
        "external_id": f"HG-{number}",
        "channel": channel,
        "placed_at": _stamp(placed),
        "updated_at": _stamp(placed),
        "payment_status": "unpaid",
        "fulfillment_status": "unfulfilled",
        "cancelled_at": None,
        "payment_method": method,
        "paid_at": None,
        "currency": "THB",
        "prices_include_vat": True,
        "customer": _demo_customer(index, business),
        "lines": [{"sku": s, "name": n, "quantity": q, "unit_price": _baht(p), "discount": _baht(d)}
                  for s, n, q, p, d in lines],
        "shipping_fee": _baht(shipping),
        "discount": _baht(discount),
        "total": _baht(goods + shipping - discount),
        "shipment": None,
        "refunds": [],
        "note": "โค้ดส่วนลด HONEY50" if discount else "",
    }
    return _life(order, state, placed, number, rng, with_history, carrier)


def _life(order: dict, state: str, placed: datetime, number: int, rng: random.Random,
          with_history: bool, carrier: str | None = None) -> list[dict]:
    """The order's events for its state; returns [earlier version?, current version]."""
    method = order["payment_method"]
    pay_delay = {"card": 2, "marketplace": 1}.get(method, rng.randint(25, 90))
    paid = placed + timedelta(minutes=pay_delay)
    shipped = placed + timedelta(hours=rng.randint(20, 28))
    delivered = shipped + timedelta(hours=rng.randint(24, 40))
    carrier = carrier or CARRIERS[number % len(CARRIERS)]
    shipment = {"carrier": carrier, "tracking_number": _tracking(carrier, number), "shipped_at": _stamp(shipped)}
    earlier: dict | None = None

    def version(**fields) -> dict:
        return order | fields

    if state == "unpaid":
        current = order
    elif state == "verifying":
        slip = placed + timedelta(minutes=rng.randint(30, 240))
        earlier = order
        current = version(payment_status="verifying", updated_at=_stamp(slip), note="ส่งสลิปแล้ว")
    elif state == "paid":
        earlier = order
        current = version(payment_status="paid", paid_at=_stamp(paid), updated_at=_stamp(paid))
    elif state == "cod_waiting":
        current = order
    elif state == "cod_shipped":
        earlier = order
        current = version(fulfillment_status="shipped", shipment=shipment, updated_at=_stamp(shipped))
    elif state == "cod_paid":
        earlier = version(fulfillment_status="shipped", shipment=shipment, updated_at=_stamp(shipped))
        current = version(payment_status="paid", paid_at=_stamp(delivered), fulfillment_status="delivered",
                          shipment=shipment, updated_at=_stamp(delivered))
    elif state in ("shipped", "delivered", "partial_refund"):
        earlier = order  # awaiting the transfer
        current = version(payment_status="paid", paid_at=_stamp(paid), fulfillment_status="shipped",
                          shipment=shipment, updated_at=_stamp(shipped))
        if state != "shipped":
            current |= {"fulfillment_status": "delivered", "updated_at": _stamp(delivered)}
        if state == "partial_refund":
            refunded = delivered + timedelta(hours=rng.randint(20, 30))
            line = order["lines"][0]
            current |= {"updated_at": _stamp(refunded), "note": "ลูกค้าแจ้งสินค้าชำรุด 1 ชิ้น คืนเงินบางส่วน",
                        "refunds": [{"external_id": f"RF-{number}-1", "amount": line["unit_price"],
                                     "lines": [{"sku": line["sku"], "quantity": 1}], "restock": True,
                                     "created_at": _stamp(refunded)}]}
    elif state == "cancelled_unpaid":
        cancelled = placed + timedelta(hours=rng.randint(20, 60))
        earlier = order
        current = version(cancelled_at=_stamp(cancelled), updated_at=_stamp(cancelled), note="ลูกค้ายกเลิก")
    elif state == "cancelled_paid":
        cancelled = paid + timedelta(hours=rng.randint(4, 20))
        earlier = version(payment_status="paid", paid_at=_stamp(paid), updated_at=_stamp(paid))
        current = version(payment_status="refunded", paid_at=_stamp(paid), cancelled_at=_stamp(cancelled),
                          updated_at=_stamp(cancelled), note="สินค้าหมด คืนเงินเต็มจำนวน")
    elif state == "returned":
        came_back = shipped + timedelta(days=3)
        earlier = version(fulfillment_status="shipped", shipment=shipment, updated_at=_stamp(shipped))
        current = version(fulfillment_status="returned", shipment=shipment, updated_at=_stamp(came_back),
                          note="ลูกค้าปฏิเสธการรับสินค้า (COD)")
    else:  # pragma: no cover - the plan names only the states above
        raise ValueError(f"unknown demo state {state}")
    return [earlier, current] if with_history and earlier is not None else [current]


def _demo_lines(rng: random.Random, *, at_least_two: bool) -> list[tuple[str, str, int, int, int]]:
    count = rng.choice((1, 1, 2, 2, 3))
    products = rng.sample(PRODUCTS, max(count, 2) if at_least_two else count)
    lines = []
    for sku, name, price in products:
        quantity = rng.choice((1, 1, 1, 2, 2, 3))
        discount = 1000 if quantity >= 2 and rng.random() < 0.3 else 0
        lines.append((sku, name, quantity, price, discount))
    return lines


def _demo_customer(index: int, business: int | None) -> dict:
    if business is None:
        return dict(PEOPLE[index % len(PEOPLE)])
    name, first_twelve, branch, email, phone, address = BUSINESSES[business]
    return {"name": name, "email": email, "phone": phone, "tax_id": _tax_id(first_twelve),
            "branch": branch, "address": address}


def _tax_id(first_twelve: str) -> str:
    return f"{first_twelve}{check_digit(first_twelve)}"


def _tracking(carrier: str, number: int) -> str:
    if carrier == "kerry":
        return f"KEX{number:010d}"
    if carrier == "flash":
        return f"TH01{number:010d}"
    if carrier == "jt":
        return f"8200{number:08d}"
    return _s10("EF", number)


def _s10(prefix: str, number: int) -> str:
    """A UPU S10 item id as Thailand Post prints it: EF123456785TH (eight digits + check digit)."""
    digits = f"{number % 100_000_000:08d}"
    weighted = sum(int(d) * w for d, w in zip(digits, (8, 6, 4, 2, 3, 5, 9, 7)))
    check = 11 - weighted % 11
    check = 0 if check == 10 else 5 if check == 11 else check
    return f"{prefix}{digits}{check}TH"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(BANGKOK).replace(microsecond=0).isoformat()


def _baht(satang: int) -> str:
    return f"{satang // 100}.{satang % 100:02d}"


# --- the benchmark -----------------------------------------------------------------------------

_BENCH_EXTRA = tuple((f"BENCH-{k:03d}", f"สินค้าทดสอบ {k}", 2900 + 1000 * k) for k in range(1, 34))
_BENCH_PRODUCTS = PRODUCTS + _BENCH_EXTRA  # 40 SKUs
_BENCH_MIX = ("paid",) * 6 + ("unpaid",) * 3 + ("cancelled",)
_BENCH_START = datetime(2025, 1, 1, 8, 0, tzinfo=BANGKOK)
_BENCH_SPAN_SECONDS = 360 * 24 * 3600


def bench_orders(n: int, seed: int = 1) -> Iterator[dict]:
    """`n` valid orders, one at a time: 60% paid, 30% unpaid, 10% cancelled (exactly, per ten),
    one to four lines each (2.5 on average), placed over 2025, unique external ids."""
    rng = random.Random(seed)
    people = [dict(p, tax_id="", branch="") for p in PEOPLE]
    companies = [_demo_customer(0, b) for b in range(len(BUSINESSES))]
    mix = list(_BENCH_MIX)
    step = _BENCH_SPAN_SECONDS / max(n, 1)
    for index in range(n):
        if index % len(mix) == 0:
            rng.shuffle(mix)
        yield _bench_order(index, seed, mix[index % len(mix)], _BENCH_START + timedelta(seconds=int(index * step)),
                           rng, people, companies)


def _bench_order(index: int, seed: int, state: str, placed: datetime, rng: random.Random,
                 people: list[dict], companies: list[dict]) -> dict:
    lines = []
    goods = 0
    for sku, name, price in rng.sample(_BENCH_PRODUCTS, rng.randint(1, 4)):
        quantity = rng.randint(1, 3)
        discount = 500 if quantity > 1 and rng.random() < 0.2 else 0
        goods += quantity * price - discount
        lines.append({"sku": sku, "name": name, "quantity": quantity, "unit_price": _baht(price),
                      "discount": _baht(discount)})
    shipping = 0 if goods >= 100000 else 5000
    customer = companies[index % len(companies)] if index % 10 == 7 else people[index % len(people)]
    placed_at = _stamp(placed)
    channel = ("website", "facebook", "line", "instagram", "shopee")[index % 5]
    order = {
        "external_id": f"BENCH-{seed}-{index + 1:08d}",
        "channel": channel,
        "placed_at": placed_at,
        "updated_at": placed_at,
        "payment_status": "unpaid",
        "fulfillment_status": "unfulfilled",
        "cancelled_at": None,
        "payment_method": "marketplace" if channel == "shopee" else "bank_transfer",
        "paid_at": None,
        "currency": "THB",
        "prices_include_vat": True,
        "customer": customer,
        "lines": lines,
        "shipping_fee": _baht(shipping),
        "discount": "0.00",
        "total": _baht(goods + shipping),
        "shipment": None,
        "refunds": [],
        "note": "",
    }
    if state == "paid":
        paid_at = _stamp(placed + timedelta(minutes=30))
        order.update(payment_status="paid", paid_at=paid_at, updated_at=paid_at)
        if channel != "shopee":
            order["payment_method"] = ("bank_transfer", "promptpay", "card")[index % 3]
        if index % 2:
            carrier = CARRIERS[index % len(CARRIERS)]
            shipped = placed + timedelta(days=1)
            order.update(fulfillment_status="shipped", updated_at=_stamp(shipped),
                         shipment={"carrier": carrier, "tracking_number": _tracking(carrier, index),
                                   "shipped_at": _stamp(shipped)})
    elif state == "cancelled":
        cancelled_at = _stamp(placed + timedelta(hours=3))
        order.update(cancelled_at=cancelled_at, updated_at=cancelled_at)
    elif index % 3 == 0 and channel != "shopee":
        order["payment_method"] = "cod"  # cash on delivery, not yet collected
    return order


def demo_catalogue() -> list[tuple[str, str, str]]:
    """The demo shop's products: (sku, name, price as a decimal string)."""
    return [(sku, name, fmt_satang(price)) for sku, name, price in PRODUCTS]
