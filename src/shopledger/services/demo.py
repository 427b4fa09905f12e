"""The demo: a Thai shop's company settings and a few weeks of its orders, on the real books.

Each step is idempotent, so loading the demo twice changes nothing the second time.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine

from shopledger.adapters.db import shop_reads
from shopledger.adapters.db.engine import reading, writing
from shopledger.adapters.db.settings_repo import write_settings
from shopledger.bootstrap import load_connectors
from shopledger.demo.shop_source import DEMO_TOKEN, MOUNT_PATH
from shopledger.demo.shop_catalogue import CATALOGUE as DEMO_SHOP_CATALOGUE
from shopledger.services import cod, people, products, sources
from shopledger.demo.orders import demo_catalogue, demo_history, demo_orders
from shopledger.domain.clock import BANGKOK, business_date, utc_now
from shopledger.domain.money import fmt
from shopledger.services.intake import Incoming, IntakeReport, take_orders

DEMO_SOURCE = "demo-import"
DEMO_SHOP_SOURCE = "demo-shop"
DEMO_ACTOR = "demo"
DEMO_COMPANY = {
    "name": "บริษัท ร้านน้ำผึ้งดี จำกัด (Honey Good Shop)",
    "address": "123/45 ถนนสีลม แขวงสุริยวงศ์ เขตบางรัก กรุงเทพมหานคร 10500",
    "tax_id": "0105561234560",
    "branch": "00000",
    # the same address in parts with its codes, as e-Tax XML needs it (docs/etax.md)
    "building_number": "123/45", "address_line": "ถนนสีลม",
    "subdistrict_code": "100403", "subdistrict": "สุริยวงศ์", "district_code": "1004", "district": "เขตบางรัก",
    "province_code": "10", "province": "กรุงเทพมหานคร", "postcode": "10500",
}


def load_demo(engine: Engine, today: date | None = None) -> str:
    """Set up the demo company and import its orders; return a one-line summary."""
    today = today or business_date(utc_now())
    _set_company(engine)
    _add_demo_shop_source(engine)
    _stock_the_shelves(engine, today)
    # Earlier versions first, as the daily imports of the past weeks would have seen them,
    # so the books hold invoices later paid or voided and receipts later credited.
    _import(engine, demo_history(today))
    report = _import(engine, demo_orders(today))
    _couriers_paid_over(engine, today)
    write_cod_payout(engine, cod_payout_path(engine))
    people.add_demo_people(engine)  # admin@demo.shop / demo-admin, ... (README, `shopledger demo` prints them)
    failed = f", {len(report.failed)} failed" if report.failed else ""
    return (f"demo: {report.created + report.updated + report.unchanged} orders from {DEMO_SOURCE} "
            f"({report.created} new, {report.updated} updated, {report.unchanged} unchanged{failed}) "
            f"for {DEMO_COMPANY['name']}")


def _add_demo_shop_source(engine: Engine) -> None:
    """The web shop the product itself serves at /demo-shop: Import Data works out of the box."""
    load_connectors()
    # A path, not this moment's host and port: each run finds the server where it runs then.
    sources.add_source(engine, DEMO_SHOP_SOURCE, kind="shop-api", token=DEMO_TOKEN, daily_at="06:00",
                       base_url=MOUNT_PATH)


# sku -> (cost, units received, low-stock level), for what the imported orders sell and what
# the demo web shop sells (HONEY-1L and COFFEE-250 both): enough for both, with TEA-GREEN the
# one product low on stock (deliberately: the alerts page shows it); none oversold.
DEMO_STOCK = {
    "HONEY-1L": ("190.00", 90, 10), "COFFEE-250": ("150.00", 60, 10), "SOAP-HERB": ("40.00", 80, 15),
    "TEA-GREEN": ("80.00", 26, 5), "SUN-50": ("230.00", 40, 8), "RICE-5KG": ("160.00", 30, 5),
    "BALM-HERB": ("20.00", 100, 20),
    # the demo web shop's own (demo/shop_catalogue.py)
    "HONEY-500": ("105.00", 40, 8), "COFFEE-DRIP": ("85.00", 40, 8), "SOAP-TURMERIC": ("25.00", 50, 10),
    "SOAP-CHARCOAL": ("28.00", 50, 10), "TEA-OOLONG": ("120.00", 40, 8), "RICE-HOMMALI": ("170.00", 40, 8),
    "BALM-HERBAL": ("18.00", 60, 10), "MANGO-DRIED": ("45.00", 40, 8),
}


def _catalogue() -> list[tuple[str, str, str]]:
    """(sku, name, price) of every product the demo sells: the imported orders' and the demo
    web shop's, so Import Data on the demo brings orders, never unknown products."""
    ours = demo_catalogue()
    known = {sku for sku, _, _ in ours}
    return ours + [line for line in DEMO_SHOP_CATALOGUE if line[0] not in known]


def _stock_the_shelves(engine: Engine, today: date) -> None:
    """Goods in before the orders: a month ago, once (a second load finds them there)."""
    stocked = {row["sku"]: row for row in products.stock_levels(engine)}
    received_at = datetime.combine(today - timedelta(days=30), time(9), BANGKOK)
    for sku, name, price in _catalogue():
        cost, units, low = DEMO_STOCK[sku]
        if sku in stocked and stocked[sku]["on_hand"] + stocked[sku]["reserved"] > 0:
            continue
        products.add_product(engine, sku, name, price, cost, low, now=received_at)
        products.receive_stock(engine, sku, units, cost, ref="demo: opening stock", actor=DEMO_ACTOR, now=received_at)


def cod_payout_path(engine: Engine) -> Path:
    url = engine.url.render_as_string(hide_password=True)
    folder = Path(url.removeprefix("sqlite:///")).parent if url.startswith("sqlite:///") else Path("var").absolute()
    return folder / "demo-cod-payout-kerry.csv"


UNSENT_PARCEL = "KEX9999999999"  # on Kerry's last payout, a parcel the shop never sent


def _couriers_paid_over(engine: Engine, today: date) -> None:
    """Last week's payout statements, one per courier, for the COD parcels delivered three days
    or more before `today`, booked as `cod remittance` books a file. Kerry's also lists a parcel
    the shop never sent: reported and kept as a COD mismatch, not booked (the alerts page shows
    it). A second load finds nothing left to pay over and books nothing."""
    cutoff = datetime.combine(today - timedelta(days=3), time(), BANGKOK)
    with reading(engine) as conn:
        due = [r for r in shop_reads.cod_outstanding_rows(conn) if (r.delivered_at or r.shipped_at) < cutoff]
    paid_on = (today - timedelta(days=1)).isoformat()
    for carrier in sorted({r.carrier for r in due}):
        rows = [{"tracking": r.tracking_number, "cod": fmt(r.cod_amount), "fee": _fee(r.cod_amount), "date": paid_on}
                for r in due if r.carrier == carrier]
        if carrier == "kerry":
            rows.append({"tracking": UNSENT_PARCEL, "cod": "450.00", "fee": "13.50", "date": paid_on})
        cod.remit_rows(engine, rows, carrier, f"demo-{carrier}-payout-{paid_on}.csv", DEMO_ACTOR)


def _fee(amount) -> str:
    return fmt((Decimal(amount) * Decimal("0.03")).quantize(Decimal("0.01")))


def write_cod_payout(engine: Engine, path: Path) -> None:
    """A courier's payout statement to try `cod remittance` on: the Kerry parcels collected
    and not paid over yet."""
    rows = [r for r in cod.collected_not_remitted(engine) if r["carrier"] == "kerry"]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("Tracking No,COD Amount,COD Fee,Date Paid\n")
        for row in rows:
            out.write(f"{row['tracking_number']},{row['amount']},{_fee(row['amount'])},{date.today().isoformat()}\n")


def _set_company(engine: Engine) -> None:
    with writing(engine) as conn:
        write_settings(conn, {"company": DEMO_COMPANY})


def _import(engine: Engine, orders: list[dict]) -> IntakeReport:
    records = [Incoming(f"demo order {n}", order["external_id"], order) for n, order in enumerate(orders, 1)]
    return take_orders(engine, records, source=DEMO_SOURCE, actor=DEMO_ACTOR)
