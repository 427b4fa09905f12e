"""Open alerts, derived at read time with `now` injected: each stuck-order rule at its
threshold, low stock, oversell, unknown SKU, failed syncs, and stored books conflicts."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from shopledger.adapters.db import stock_repo
from shopledger.adapters.db.engine import writing
from shopledger.adapters.db.settings_repo import write_settings
from shopledger.adapters.db.shop_reads import order_row
from shopledger.bootstrap import load_connectors
from shopledger.domain.errors import DomainError
from shopledger.domain.stock.movements import Movement, MovementKind
from shopledger.domain.sync.connector import ConnectorRegistry, PulledPage, PulledRecord
from shopledger.services import alerts, order_changes as oc, order_state, order_views, products, sources
from shopledger.services.intake import Incoming, take_orders
from shopledger.services.sync import run_source_sync
from tests.builders import make_order_dict

pytestmark = pytest.mark.db
T0 = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)
EARLIER = T0 - timedelta(hours=1)
MINUTE = timedelta(minutes=1)


def _order(ext, **kw):
    base = dict(external_id=ext, placed_at=EARLIER.isoformat(), updated_at=EARLIER.isoformat(),
                paid_at=EARLIER.isoformat())
    return make_order_dict(**(base | kw))


def _import(engine, *orders, now=T0, source="web"):
    report = take_orders(engine, [Incoming(o["external_id"], o["external_id"], o) for o in orders], source=source,
                         actor="test", now=lambda: now)
    assert not report.failed, report.failed


def _stuck(engine, now) -> set[tuple[str, str]]:
    return {(a["subject"], a["code"]) for a in alerts.open_alerts(engine, now) if a["kind"] == "stuck_order"}


@pytest.fixture
def stuck_shop(engine):
    """One order entering each waiting state at T0."""
    _import(engine, _order("U", payment_status="unpaid", paid_at=None, placed_at=T0.isoformat()),
            _order("V", payment_status="unpaid", paid_at=None),
            _order("S", paid_at=T0.isoformat()),
            _order("D"), _order("X"),
            _order("C", payment_method="cod", payment_status="unpaid", paid_at=None, placed_at=T0.isoformat()),
            _order("R", payment_method="cod", payment_status="unpaid", paid_at=None), now=EARLIER)
    oc.change_order(engine, "web", "V", oc.mark_verifying(), "buyer", now=T0)
    oc.change_order(engine, "web", "D", oc.ship("kerry", "KD"), "clerk", now=T0)
    oc.change_order(engine, "web", "R", oc.ship("kerry", "KR"), "clerk", now=EARLIER)
    oc.change_order(engine, "web", "R", oc.deliver(), "courier", now=T0)
    oc.change_order(engine, "web", "X", oc.ship("flash", "FX"), "clerk", now=EARLIER)
    oc.change_order(engine, "web", "X", oc.give_back(), "clerk", now=T0)
    return engine


@pytest.mark.parametrize("subject, code, threshold, reason", [
    ("web:U", "unpaid", timedelta(days=3), "placed 3 days ago, not paid"),
    ("web:V", "payment_check", timedelta(hours=24), "payment waiting 1 day to be checked"),
    ("web:S", "unshipped", timedelta(days=2), "paid 2 days ago, not shipped"),
    ("web:C", "unshipped", timedelta(days=2), "COD order placed 2 days ago, not shipped"),
    ("web:D", "undelivered", timedelta(days=7), "shipped 7 days ago, not delivered"),
    ("web:R", "unremitted", timedelta(days=5), "COD delivered 5 days ago, not remitted"),
])
def test_each_stuck_rule_fires_at_its_threshold(stuck_shop, subject, code, threshold, reason):
    assert (subject, code) not in _stuck(stuck_shop, T0 + threshold - MINUTE)
    assert (subject, code) in _stuck(stuck_shop, T0 + threshold)
    [alert] = [a for a in alerts.open_alerts(stuck_shop, T0 + threshold) if (a["subject"], a.get("code")) == (subject, code)]
    assert alert["reason"] == reason and alert["since"] == "2026-11-20T10:00:00+07:00" and alert["action"]


def test_stuck_orders_view_lists_only_stuck_ones_with_why(stuck_shop):
    later = T0 + timedelta(days=8)
    rows = order_views.list_orders(stuck_shop, stuck=True, now=later)
    assert [r["external_id"] for r in rows] == ["R", "C", "D", "S", "V", "U"]   # newest first
    assert rows[-1]["stuck"][0]["action"] == "remind the buyer, or cancel the order"
    assert order_views.list_orders(stuck_shop, stuck=True, now=T0) == []
    to_ship = order_views.list_orders(stuck_shop, status="to_ship", stuck=True, now=later)
    assert [r["external_id"] for r in to_ship] == ["C", "S"]


def test_a_returned_parcel_is_back_in_stock_unless_goods_are_still_out(stuck_shop):
    later = T0 + timedelta(days=3)
    assert not any(subject == "web:X" for subject, _ in _stuck(stuck_shop, later))   # returns restock at once
    with writing(stuck_shop) as conn:   # goods recorded out by other means and never put back
        order_id = order_row(conn, "web", "X").id
        move = Movement("HONEY-1L", MovementKind.SHIP, -1, 0, -18000, cause="sent by hand", ref="web:X")
        stock_repo.record_movements(conn, [stock_repo.movement_row(move, order_id, T0)])
        order_state.refresh(conn, [order_id])   # as every writer of an order's stock does
    assert ("web:X", "unrestocked") not in _stuck(stuck_shop, later - MINUTE)
    assert ("web:X", "unrestocked") in _stuck(stuck_shop, later)


def test_rules_come_from_settings(stuck_shop):
    with writing(stuck_shop) as conn:
        write_settings(conn, {"stuck_rules": {"unpaid_after": "12h", "undelivered_after": "off"}})
    found = _stuck(stuck_shop, T0 + timedelta(days=8))
    assert ("web:U", "unpaid") in _stuck(stuck_shop, T0 + timedelta(hours=12))
    assert ("web:D", "undelivered") not in found


def test_low_stock_oversell_and_unknown_sku(engine):
    _set_up_company(engine)
    t1 = T0 + timedelta(days=1)
    products.add_product(engine, "LOW", "Low", "10.00", "5.00", 3, now=T0)
    products.add_product(engine, "OVER", "Over", "10.00", "5.00", None, now=T0)
    products.add_product(engine, "FINE", "Fine", "10.00", "5.00", 1, now=T0)
    for sku, qty in (("LOW", 5), ("OVER", 1), ("FINE", 10)):
        products.receive_stock(engine, sku, qty, "5.00", now=T0)
    lines = [{"sku": sku, "name": sku, "quantity": 2, "unit_price": "10.00"} for sku in ("LOW", "OVER", "FINE")]
    _import(engine, _order("O-1", lines=lines, shipping_fee="0.00", total="60.00"),
            _order("O-2", lines=[{"sku": "MYSTERY", "name": "ของแปลก", "quantity": 1, "unit_price": "10.00"}],
                   shipping_fee="0.00", total="10.00"), now=t1)
    found = {(a["kind"], a["subject"]): a for a in alerts.open_alerts(engine, t1)}

    assert set(found) == {("low_stock", "LOW"), ("oversell", "OVER"), ("oversell", "MYSTERY"),
                          ("unknown_sku", "MYSTERY")}
    assert found[("low_stock", "LOW")]["reason"] == "LOW (Low) has 3 available, at or below the low-stock level of 3"
    assert found[("oversell", "OVER")]["reason"] == "OVER (Over) is oversold by 1: 1 on hand, 2 reserved"
    assert found[("low_stock", "LOW")]["since"] == found[("oversell", "OVER")]["since"] == "2026-11-21T10:00:00+07:00"
    assert "order web:O-2 sold MYSTERY" in found[("unknown_sku", "MYSTERY")]["reason"]
    assert found[("unknown_sku", "MYSTERY")]["since"] == "2026-11-21T10:00:00+07:00"

    products.add_product(engine, "MYSTERY", "ของแปลก", "10.00", "4.00", now=t1)
    products.receive_stock(engine, "OVER", 5, "5.00", now=t1)
    kinds = {(a["kind"], a["subject"]) for a in alerts.open_alerts(engine, t1)}
    assert kinds == {("low_stock", "LOW"), ("oversell", "MYSTERY")}


class _FakeShop:
    """A connector that hands back fixed pages, or fails the run."""

    def __init__(self, records, error=None):
        self.records, self.error = records, error

    def pull(self, since):
        if self.error:
            raise DomainError("source_unavailable", self.error)
        yield PulledPage(1, self.records, T0, True)


def _registry(connector):
    registry = ConnectorRegistry()
    registry.register("shop-api")(lambda settings: connector)
    return registry


def test_failed_syncs(engine):
    load_connectors()
    for name in ("web", "line"):
        sources.add_source(engine, name, kind="shop-api", base_url="http://shop.test", token="t")
    _import(engine, _order("EX-1", fulfillment_status="delivered"), now=EARLIER)
    bad = [PulledRecord("EX-1", None, "total 760.00 does not match lines 750.00"),
           PulledRecord("NEW-1", None, "missing required field: lines")]
    ran = run_source_sync(engine, "web", connectors=_registry(_FakeShop(bad)), now=lambda: T0)
    assert ran.status == "succeeded" and len(ran.report.failed) == 2
    failed = run_source_sync(engine, "line", connectors=_registry(_FakeShop([], "shop is down")), now=lambda: T0)
    assert failed.status == "failed"

    found = [(a["kind"], a["subject"], a["reason"]) for a in alerts.open_alerts(engine, T0)
             if a["kind"] == "sync_failed"]
    assert found == [("sync_failed", "line", "the last sync of line failed: shop is down"),
                     ("sync_failed", "web:EX-1", "last sync failed: total 760.00 does not match lines 750.00"),
                     ("sync_failed", "web:NEW-1", "last sync failed: missing required field: lines")]
    detail = order_views.order_detail(engine, "web", "EX-1", now=T0)
    assert [s["code"] for s in detail["stuck"]] == ["sync_failed"]

    fixed = [PulledRecord("EX-1", _order("EX-1", fulfillment_status="delivered"), None, EARLIER)]
    run_source_sync(engine, "web", connectors=_registry(_FakeShop(fixed)), now=lambda: T0 + MINUTE)
    assert [a["subject"] for a in alerts.open_alerts(engine, T0 + MINUTE) if a["kind"] == "sync_failed"] == ["line"]


def test_a_books_conflict_stays_open_until_resolved(engine):
    _import(engine, _order("P-1"), now=EARLIER)
    _import(engine, _order("P-1", payment_status="unpaid", paid_at=None, updated_at=T0.isoformat()), now=T0)
    [conflict] = [a for a in alerts.open_alerts(engine, T0) if a["kind"] == "books_conflict"]
    assert conflict["subject"] == "web:P-1" and conflict["since"] == "2026-11-20T10:00:00+07:00"
    alerts.resolve_alert(engine, conflict["id"], now=T0)
    assert not [a for a in alerts.open_alerts(engine, T0) if a["kind"] == "books_conflict"]


def _company_alerts(engine) -> list[dict]:
    return [a for a in alerts.open_alerts(engine, T0) if a["kind"] == "company_not_set_up"]


def test_a_company_not_set_up_is_an_alert_naming_what_is_missing(engine):
    _import(engine, _order("P-1"), now=EARLIER)  # the receipt/tax invoice still comes out
    [alert] = _company_alerts(engine)
    assert alert["subject"] == "company"
    assert "name, address and tax id are missing" in alert["reason"] and "tax invoice" in alert["reason"]
    assert alert["action"].startswith("set it with shopledger settings company")
    assert "--name" in alert["action"] and "--address" in alert["action"] and "--tax-id" in alert["action"]

    with writing(engine) as conn:
        write_settings(conn, {"company": {"name": "ร้านน้ำผึ้งป่า จำกัด", "address": "เชียงใหม่ 50200",
                                          "tax_id": "", "branch": "00000"}})
    [alert] = _company_alerts(engine)
    assert "its tax id is missing" in alert["reason"] and "--name" not in alert["action"]
    assert "--tax-id" in alert["action"]

    # only a VAT-registered seller's tax invoices need the tax id
    with writing(engine) as conn:
        write_settings(conn, {"vat_registered": False})
    assert _company_alerts(engine) == []
    with writing(engine) as conn:
        write_settings(conn, {"company": {"name": " ", "address": "เชียงใหม่ 50200", "tax_id": "", "branch": "00000"}})
    [alert] = _company_alerts(engine)
    assert "its name is missing" in alert["reason"] and "tax" not in alert["reason"]


def _set_up_company(engine):
    with writing(engine) as conn:
        write_settings(conn, {"company": {"name": "ร้านน้ำผึ้งป่า จำกัด", "address": "เชียงใหม่ 50200",
                                          "tax_id": "0105556012341", "branch": "00000"}})


def test_a_company_set_up_raises_no_alert(engine):
    _set_up_company(engine)
    assert _company_alerts(engine) == []
