"""One COD order from import to remittance, and a refused COD parcel back into stock.

Every step checks the documents, the journal entries (written as readable text) and the
stock movements it added, not only the end state.
"""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select

from shopledger.adapters.db import reads, tables as t
from shopledger.adapters.db.engine import reading
from shopledger.services import cod, order_changes as oc, order_views, products
from shopledger.services.intake import Incoming, take_orders
from tests.builders import make_order_dict

pytestmark = pytest.mark.db
SETUP = datetime(2026, 11, 19, 3, 0, tzinfo=timezone.utc)
IMPORTED = datetime(2026, 11, 21, 3, 0, tzinfo=timezone.utc)
SHIPPED = datetime(2026, 11, 21, 5, 0, tzinfo=timezone.utc)
DELIVERED = datetime(2026, 11, 22, 5, 0, tzinfo=timezone.utc)
REMITTED = datetime(2026, 11, 25, 5, 0, tzinfo=timezone.utc)
STATEMENT = [{"Tracking No": "KEX123", "COD Amount": "850.00", "Fee": "17.00", "Date": "25/11/2569"}]


def _cod_order(**kw):
    return make_order_dict(external_id="COD-1", payment_method="cod", payment_status="unpaid", paid_at=None,
                           customer={"name": "คุณสมชาย", "address": "เชียงใหม่"}, **kw)


def _setup_stock(engine):
    products.add_product(engine, "HONEY-1L", "น้ำผึ้งป่า 1 ลิตร", "350.00", "180.00", 5, now=SETUP)
    products.add_product(engine, "COMB-200", "รวงผึ้ง 200 กรัม", "120.00", "60.00", 2, now=SETUP)
    products.receive_stock(engine, "HONEY-1L", 10, "180.00", ref="PO-1", now=SETUP)
    products.receive_stock(engine, "COMB-200", 4, "60.00", ref="PO-1", now=SETUP)


def _import(engine):
    report = take_orders(engine, [Incoming("1", "COD-1", _cod_order())], source="import", actor="test",
                         now=lambda: IMPORTED)
    assert report.created == 1 and not report.failed


def _position(engine, sku):
    with reading(engine) as conn:
        row = conn.execute(select(t.products).where(t.products.c.sku == sku)).one()
    return row.on_hand, row.reserved, row.value_satang


def _entries(engine, since_id=0):
    """Journal entries after `since_id` as text: "date event: Dr acct amount, ... / Cr acct amount, ..."."""
    out = []
    with reading(engine) as conn:
        for e in reads.entries(conn):
            if e["id"] <= since_id:
                continue
            debits = ", ".join(f"{l['account']} {l['debit']}" for l in e["lines"] if l["debit"] != "0.00")
            credits = ", ".join(f"{l['account']} {l['credit']}" for l in e["lines"] if l["credit"] != "0.00")
            out.append(f"{e['date']} {e['event']}: Dr {debits} / Cr {credits}")
    return out


def _last_entry_id(engine):
    with reading(engine) as conn:
        return max((e["id"] for e in reads.entries(conn)), default=0)


def _moves(engine, since_id=0):
    with reading(engine) as conn:
        rows = conn.execute(select(t.stock_movements).where(t.stock_movements.c.id > since_id)
                            .order_by(t.stock_movements.c.id))
        return [(m.sku, m.kind, m.on_hand_delta, m.reserved_delta, m.value_delta_satang) for m in rows]


def _last_move_id(engine):
    with reading(engine) as conn:
        return max(conn.execute(select(t.stock_movements.c.id)).scalars(), default=0)


def _documents(engine):
    with reading(engine) as conn:
        return [(d["number"], d["kind"], d["status"], d["date"], d["total"], d["vat"], d["refers_to"])
                for d in reads.documents(conn)]


def _balances(engine):
    with reading(engine) as conn:
        return {a["code"]: Decimal(a["balance"]) for a in reads.trial_balance(conn)["accounts"]}


def _display(engine):
    return order_views.order_detail(engine, "import", "COD-1", now=REMITTED)["display_status"]


def test_stock_received_before_the_order(engine):
    _setup_stock(engine)
    assert _entries(engine) == [
        "2026-11-19 goods_received: Dr 114101 1800.00 / Cr 212101 1800.00",
        "2026-11-19 goods_received: Dr 114101 240.00 / Cr 212101 240.00",
    ]
    assert _moves(engine) == [("HONEY-1L", "receive", 10, 0, 180000), ("COMB-200", "receive", 4, 0, 24000)]


def test_cod_order_import_ship_deliver_remit(engine):
    _setup_stock(engine)
    entry_id, move_id = _last_entry_id(engine), _last_move_id(engine)

    _import(engine)   # awaiting payment: an invoice, revenue booked, goods reserved
    assert _documents(engine) == [("IV-202611-00001", "invoice", "issued", "2026-11-20", "850.00", "55.61", None)]
    assert _entries(engine, entry_id) == [
        "2026-11-20 invoice: Dr 113101 850.00 / Cr 411101 747.66, 411201 46.73, 213102 55.61"]
    assert _moves(engine, move_id) == [("HONEY-1L", "reserve", 0, 2, 0), ("COMB-200", "reserve", 0, 1, 0)]
    assert _position(engine, "HONEY-1L") == (10, 2, 180000)
    assert _display(engine) == "to_ship"
    entry_id, move_id = _last_entry_id(engine), _last_move_id(engine)

    oc.change_order(engine, "import", "COD-1", oc.ship("Kerry Express", "KEX123"), "clerk", now=SHIPPED)
    assert len(_documents(engine)) == 1
    assert _entries(engine, entry_id) == ["2026-11-21 goods_shipped: Dr 511101 420.00 / Cr 114101 420.00"]
    assert _moves(engine, move_id) == [("HONEY-1L", "ship", -2, -2, -36000), ("COMB-200", "ship", -1, -1, -6000)]
    assert _position(engine, "HONEY-1L") == (8, 0, 144000)
    assert _position(engine, "COMB-200") == (3, 0, 18000)
    assert _display(engine) == "shipped"
    entry_id, move_id = _last_entry_id(engine), _last_move_id(engine)

    oc.change_order(engine, "import", "COD-1", oc.deliver(), "courier", now=DELIVERED)   # money collected
    assert _documents(engine)[1] == ("RT-202611-00001", "receipt_tax_invoice", "issued", "2026-11-22", "850.00",
                                     "55.61", "IV-202611-00001")
    assert _entries(engine, entry_id) == [
        "2026-11-22 payment_on_invoice: Dr 113201 850.00, 213102 55.61 / Cr 113101 850.00, 213101 55.61"]
    assert _moves(engine, move_id) == []
    assert _display(engine) == "cod_awaiting_remittance"
    owed = cod.cod_receivable(engine, now=REMITTED)
    assert owed["total"] == owed["ledger_balance"] == "850.00"
    assert owed["carriers"][0]["carrier"] == "Kerry Express"
    assert [b["amount"] for b in owed["carriers"][0]["buckets"]] == ["850.00", "0.00", "0.00", "0.00"]
    entry_id = _last_entry_id(engine)

    report = cod.remit_rows(engine, STATEMENT, "kerry", "kerry-2026-11-25.csv", "clerk", now=REMITTED)
    assert report["mismatches"] == [] and [m["order"] for m in report["matched"]] == ["import:COD-1"]
    # fee 17.00 includes 7% VAT: 1.11 is input VAT, 15.89 the expense; the bank gets 833.00
    assert _entries(engine, entry_id) == [
        "2026-11-25 cod_remitted: Dr 111201 833.00, 521101 15.89, 115101 1.11 / Cr 113201 850.00"]
    with reading(engine) as conn:
        ship = conn.execute(select(t.shipments)).one()
        remittance = conn.execute(select(t.cod_remittances)).one()
    assert ship.carrier == "kerry" and ship.tracking_url.endswith("KEX123")
    assert ship.delivered_at == DELIVERED and ship.remitted_at == REMITTED and ship.remittance_id == remittance.id
    assert (remittance.rows, remittance.total_cod, remittance.total_fee) == (1, Decimal("850.00"), Decimal("17.00"))
    assert remittance.entry_id == report["entry_id"]
    assert _display(engine) == "completed"
    assert _balances(engine).get("113201", 0) == 0 and _balances(engine).get("113101", 0) == 0
    assert cod.cod_receivable(engine, now=REMITTED)["carriers"] == []

    again = cod.remit_rows(engine, STATEMENT, "kerry", "kerry-2026-11-25.csv", "clerk", now=REMITTED)
    assert again["matched"] == [] and [m["code"] for m in again["mismatches"]] == ["already_remitted"]
    assert _last_entry_id(engine) == report["entry_id"]


def test_refused_cod_parcel_comes_back_into_stock(engine):
    _setup_stock(engine)
    _import(engine)
    oc.change_order(engine, "import", "COD-1", oc.ship("flash", "TH0001"), "clerk", now=SHIPPED)
    entry_id, move_id = _last_entry_id(engine), _last_move_id(engine)
    returned = datetime(2026, 11, 25, 5, 0, tzinfo=timezone.utc)

    oc.change_order(engine, "import", "COD-1", oc.give_back(), "clerk", now=returned)
    # the invoice is voided (its entry reversed) and the goods come back at the cost they left with
    assert _entries(engine, entry_id) == [
        "2026-11-25 reversal: Dr 411101 747.66, 411201 46.73, 213102 55.61 / Cr 113101 850.00",
        "2026-11-25 goods_returned: Dr 114101 420.00 / Cr 511101 420.00",
    ]
    assert _moves(engine, move_id) == [("HONEY-1L", "return", 2, 0, 36000), ("COMB-200", "return", 1, 0, 6000)]
    assert _position(engine, "HONEY-1L") == (10, 0, 180000)
    assert _position(engine, "COMB-200") == (4, 0, 24000)
    balances = _balances(engine)
    assert all(balances.get(code, 0) == 0 for code in ("511101", "113101", "411101", "113201"))
    assert balances["114101"] == Decimal("2040.00")
    assert [(d[1], d[2]) for d in _documents(engine)] == [("invoice", "void")]
    with reading(engine) as conn:
        ship = conn.execute(select(t.shipments)).one()
    assert ship.carrier == "flash" and ship.returned_at == returned and ship.remitted_at is None
    assert _display(engine) == "returned"
    assert cod.cod_receivable(engine, now=returned)["total"] == "0.00"
