"""The demo: a Thai shop's company settings and a few weeks of its orders, on the real books.

Each step is idempotent, so loading the demo twice changes nothing the second time.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from shopledger.adapters.db.engine import writing
from shopledger.adapters.db.settings_repo import write_settings
from shopledger.bootstrap import load_connectors
from shopledger.config import get_settings
from shopledger.demo.shop_source import DEMO_TOKEN, MOUNT_PATH
from shopledger.services import sources
from shopledger.demo.orders import demo_history, demo_orders
from shopledger.domain.clock import business_date, utc_now
from shopledger.services.intake import Incoming, IntakeReport, take_orders

DEMO_SOURCE = "demo-import"
DEMO_SHOP_SOURCE = "demo-shop"
DEMO_ACTOR = "demo"
DEMO_COMPANY = {
    "name": "บริษัท ร้านน้ำผึ้งดี จำกัด (Honey Good Shop)",
    "address": "123/45 ถนนสีลม แขวงสุริยวงศ์ เขตบางรัก กรุงเทพมหานคร 10500",
    "tax_id": "0105561234560",
    "branch": "00000",
}


def load_demo(engine: Engine, today: date | None = None) -> str:
    """Set up the demo company and import its orders; return a one-line summary."""
    today = today or business_date(utc_now())
    _set_company(engine)
    _add_demo_shop_source(engine)
    # Earlier versions first, as the daily imports of the past weeks would have seen them,
    # so the books hold invoices later paid or voided and receipts later credited.
    _import(engine, demo_history(today))
    report = _import(engine, demo_orders(today))
    failed = f", {len(report.failed)} failed" if report.failed else ""
    return (f"demo: {report.created + report.updated + report.unchanged} orders from {DEMO_SOURCE} "
            f"({report.created} new, {report.updated} updated, {report.unchanged} unchanged{failed}) "
            f"for {DEMO_COMPANY['name']}")


def _add_demo_shop_source(engine: Engine) -> None:
    """The web shop the product itself serves at /demo-shop: Import Data works out of the box."""
    load_connectors()
    settings = get_settings()
    sources.add_source(engine, DEMO_SHOP_SOURCE, kind="shop-api", token=DEMO_TOKEN, daily_at="06:00",
                       base_url=f"http://{settings.host}:{settings.port}{MOUNT_PATH}")


def _set_company(engine: Engine) -> None:
    with writing(engine) as conn:
        write_settings(conn, {"company": DEMO_COMPANY})


def _import(engine: Engine, orders: list[dict]) -> IntakeReport:
    records = [Incoming(f"demo order {n}", order["external_id"], order) for n, order in enumerate(orders, 1)]
    return take_orders(engine, records, source=DEMO_SOURCE, actor=DEMO_ACTOR)
