"""Orders through the import service onto the books, on both databases."""
from __future__ import annotations

from decimal import Decimal

import pytest

from shopledger.adapters.db import reads
from shopledger.adapters.db.engine import reading
from shopledger.services.intake import Incoming, take_orders
from tests.builders import make_order_dict

pytestmark = pytest.mark.db


def _take(engine, *orders, source="import"):
    records = [Incoming(f"item {i}", o.get("external_id"), o) for i, o in enumerate(orders, 1)]
    return take_orders(engine, records, source=source, actor="test")


def _books(engine):
    with reading(engine) as conn:
        return reads.documents(conn), reads.entries(conn), reads.trial_balance(conn)


def test_paid_order_gets_one_receipt_tax_invoice_and_balanced_entry(engine):
    report = _take(engine, make_order_dict())
    assert (report.created, report.failed) == (1, [])
    docs, entries, tb = _books(engine)
    assert [(d["number"], d["kind"], d["total"], d["vat"]) for d in docs] == [
        ("RT-202611-00001", "receipt_tax_invoice", "850.00", "55.61")]
    lines = {(l["account"], l["debit"], l["credit"]) for l in entries[0]["lines"]}
    assert lines == {("111201", "850.00", "0.00"), ("411101", "0.00", "747.66"),
                     ("411201", "0.00", "46.73"), ("213101", "0.00", "55.61")}
    assert tb["total_debit"] == tb["total_credit"] == "850.00"


def test_unpaid_then_paid_gets_invoice_then_payment_and_receipt(engine):
    _take(engine, make_order_dict(payment_status="unpaid", paid_at=None, updated_at="2026-11-20T10:15:00+07:00"))
    _take(engine, make_order_dict())
    docs, entries, tb = _books(engine)
    assert [(d["number"], d["kind"], d["refers_to"]) for d in docs] == [
        ("IV-202611-00001", "invoice", None), ("RT-202611-00001", "receipt_tax_invoice", "IV-202611-00001")]
    balances = {a["code"]: Decimal(a["balance"]) for a in tb["accounts"]}
    assert balances["113101"] == 0 and balances["213102"] == 0
    assert balances["213101"] == Decimal("-55.61") and balances["111201"] == Decimal("850.00")


def test_reimporting_the_same_orders_changes_nothing(engine):
    first = _take(engine, make_order_dict(), make_order_dict(external_id="BW-2", payment_status="unpaid", paid_at=None))
    again = _take(engine, make_order_dict(), make_order_dict(external_id="BW-2", payment_status="unpaid", paid_at=None))
    assert (first.created, again.created, again.updated, again.unchanged) == (2, 0, 0, 2)
    docs, entries, _ = _books(engine)
    assert len(docs) == 2 and len(entries) == 2


def test_an_older_version_changes_nothing(engine):
    _take(engine, make_order_dict())
    older = make_order_dict(payment_status="unpaid", paid_at=None, updated_at="2026-11-20T10:15:00+07:00")
    report = _take(engine, older)
    assert report.unchanged == 1
    docs, _, _ = _books(engine)
    assert [d["kind"] for d in docs] == ["receipt_tax_invoice"]


def test_cancelled_receipted_order_gets_credit_note_and_refund(engine):
    _take(engine, make_order_dict())
    _take(engine, make_order_dict(payment_status="refunded", cancelled_at="2026-11-22T09:00:00+07:00",
                                  updated_at="2026-11-22T09:00:00+07:00"))
    docs, entries, tb = _books(engine)
    assert [(d["kind"], d["number"], d["refers_to"]) for d in docs] == [
        ("receipt_tax_invoice", "RT-202611-00001", None), ("credit_note", "CN-202611-00001", "RT-202611-00001")]
    balances = {a["code"]: Decimal(a["balance"]) for a in tb["accounts"]}
    assert balances.get("213101") == 0 and balances.get("213201") == 0 and balances.get("111201") == 0


def test_bad_orders_are_listed_and_the_good_ones_imported(engine):
    report = _take(engine, make_order_dict(), make_order_dict(external_id="BAD-1", total="999.00"),
                   make_order_dict(external_id="BW-3"))
    assert report.created == 2
    assert [(f.external_id, "total" in f.reason) for f in report.failed] == [("BAD-1", True)]
