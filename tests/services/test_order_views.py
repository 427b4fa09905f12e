"""Orders as staff read them: both axes, the display status (COD remitted from shipments),
filtering by it, and one order with its documents, entries, shipment, stock and history."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from shopledger.domain.errors import Conflict, DomainError, NotFound
from shopledger.services import cod, order_changes as oc, order_views, products
from shopledger.services.intake import Incoming, take_orders
from tests.builders import make_order_dict

pytestmark = pytest.mark.db
T0 = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)
EARLY = (T0 - timedelta(hours=1)).isoformat()
UNPAID = dict(payment_status="unpaid", paid_at=None)
COD = dict(payment_method="cod", **UNPAID)


def _shop(engine):
    for sku, cost in (("HONEY-1L", "180.00"), ("COMB-200", "60.00")):
        products.add_product(engine, sku, sku, "100.00", cost, now=T0)
        products.receive_stock(engine, sku, 20, cost, now=T0)
    orders = {
        "A": UNPAID, "B": dict(payment_status="verifying", paid_at=None), "C": {}, "D": {},
        "E": dict(fulfillment_status="delivered", **UNPAID), "F": COD, "G": COD, "H": {},
        "I": dict(payment_status="refunded"), "J": COD,
    }
    records = [Incoming(ext, ext, make_order_dict(external_id=ext, placed_at=EARLY, updated_at=EARLY, **kw))
               for ext, kw in orders.items()]
    report = take_orders(engine, records, source="web", actor="import test.json", now=lambda: T0)
    assert not report.failed, report.failed
    for ext, carrier, tracking in (("D", "kerry", "K-D"), ("F", "kerry", "K-F"), ("G", "kerry", "K-G"),
                                   ("J", "flash", "F-J")):
        oc.change_order(engine, "web", ext, oc.ship(carrier, tracking), "clerk", now=T0)
    for ext in ("F", "G"):
        oc.change_order(engine, "web", ext, oc.deliver(), "courier", now=T0)
    oc.change_order(engine, "web", "J", oc.give_back(), "clerk", now=T0)
    oc.change_order(engine, "web", "H", oc.cancel(), "clerk", now=T0)
    statement = [{"tracking": "K-G", "cod": "850.00", "fee": "10.00"}]
    assert cod.remit_rows(engine, statement, "kerry", "w.csv", "clerk", now=T0)["mismatches"] == []


def test_every_display_status_and_the_filter(engine):
    _shop(engine)
    rows = order_views.list_orders(engine, now=T0)
    assert {r["external_id"]: r["display_status"] for r in rows} == {
        "A": "awaiting_payment", "B": "checking_payment", "C": "to_ship", "D": "shipped", "E": "delivered",
        "F": "cod_awaiting_remittance", "G": "completed", "H": "cancelled", "I": "refunded", "J": "returned"}
    g = next(r for r in rows if r["external_id"] == "G")
    assert (g["payment_status"], g["fulfillment_status"], g["cod_remitted"]) == ("paid", "delivered", True)
    assert (g["display_label"], g["display_label_th"]) == ("Completed", "สำเร็จ")
    assert g["tracking_url"].endswith("K-G") and g["carrier"] == "Kerry Express"

    for status, expected in (("to_ship", ["C"]), ("cod_awaiting_remittance", ["F"]), ("completed", ["G"]),
                             ("cancelled", ["H"]), ("Awaiting Payment", ["A"]), ("returned", ["J"])):
        assert [r["external_id"] for r in order_views.list_orders(engine, status=status)] == expected
    assert [r["external_id"] for r in order_views.list_orders(engine, limit=2, offset=1)] == ["I", "H"]  # newest first
    with pytest.raises(DomainError) as bad:
        order_views.list_orders(engine, status="lost")
    assert bad.value.code == "invalid_status"


def test_one_order_with_everything_that_hangs_off_it(engine):
    _shop(engine)
    view = order_views.order_detail(engine, "web", "F", now=T0)
    assert view["data"]["external_id"] == "F" and view["data"]["payment_method"] == "cod"
    assert [(d["kind"], d["refers_to"]) for d in view["documents"]] == [
        ("invoice", None), ("receipt_tax_invoice", view["documents"][0]["number"])]
    assert [e["event"] for e in view["entries"]] == ["invoice", "goods_shipped", "payment_on_invoice"]
    assert view["shipment"]["carrier"] == "kerry" and view["shipment"]["tracking_number"] == "K-F"
    assert view["shipment"]["cod_amount"] == "850.00" and view["shipment"]["remitted_at"] is None
    assert [(m["sku"], m["kind"], m["order"]) for m in view["stock_movements"]] == [
        ("HONEY-1L", "reserve", "web:F"), ("COMB-200", "reserve", "web:F"),
        ("HONEY-1L", "ship", "web:F"), ("COMB-200", "ship", "web:F")]
    invoice, receipt = (d["number"] for d in view["documents"])
    assert (invoice, receipt) == ("IV-202611-00004", "RT-202611-00004")   # A, B, E had invoices before F
    assert [(e["actor"], e["what"]) for e in view["events"]] == [
        ("import test.json", f"created: payment unpaid, fulfilment unfulfilled; issued {invoice}"),
        ("clerk", "fulfillment_status unfulfilled -> shipped"),
        ("courier", f"payment_status unpaid -> paid; fulfillment_status shipped -> delivered; issued {receipt}"),
    ]
    assert view["events"][0]["at"] == "2026-11-20T10:00:00+07:00"
    assert view["stuck"] == []
    with pytest.raises(NotFound):
        order_views.order_detail(engine, "web", "nope")


def test_staff_key_in_edit_and_pay_an_order(engine):
    data = make_order_dict(external_id=None, channel="line", **UNPAID)
    order = oc.create_manual_order(engine, data, "clerk", now=T0)
    assert order.source == "manual" and order.external_id == "MO-202611-00001"
    patch = {"lines": [{"sku": "HONEY-1L", "name": "น้ำผึ้ง", "quantity": 1, "unit_price": "350.00"}],
             "shipping_fee": "0.00", "total": "350.00"}
    oc.change_order(engine, "manual", order.external_id, oc.edit(patch), "clerk", now=T0 + timedelta(minutes=5))
    oc.change_order(engine, "manual", order.external_id, oc.mark_verifying(), "clerk", now=T0 + timedelta(minutes=6))
    assert order_views.order_detail(engine, "manual", order.external_id)["display_status"] == "checking_payment"
    oc.change_order(engine, "manual", order.external_id, oc.mark_paid(), "clerk", now=T0 + timedelta(minutes=7))
    view = order_views.order_detail(engine, "manual", order.external_id)
    assert view["display_status"] == "to_ship" and view["total"] == "350.00"
    assert [(d["kind"], d["status"]) for d in view["documents"]] == [
        ("invoice", "void"), ("invoice", "issued"), ("receipt_tax_invoice", "issued")]
    assert [e["what"].split(";")[0] for e in view["events"]][1:] == [
        "total 850.00 -> 350.00", "payment_status unpaid -> verifying", "payment_status verifying -> paid"]
    with pytest.raises(Conflict):
        oc.change_order(engine, "manual", order.external_id, oc.edit(patch), "clerk")
