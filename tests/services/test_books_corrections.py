"""Accounting corrections through the real import road, on both databases: prices before VAT,
the VAT terms in force, dates never before the tax point, credit note particulars before VAT,
fully refunded paid orders, the refunded payout's date, and no entry without lines."""
from __future__ import annotations

import copy
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from shopledger.adapters.db import reads
from shopledger.adapters.db.engine import reading, writing
from shopledger.adapters.db.settings_repo import set_vat_rate, write_settings
from shopledger.domain.errors import InvalidOrder
from shopledger.services.intake import Incoming, take_orders
from shopledger.services.order_changes import change_order, create_manual_order, mark_paid

pytestmark = pytest.mark.db

D = Decimal
BASE = {"external_id": "X", "channel": "website", "placed_at": "2026-11-20T10:00:00+07:00",
        "updated_at": "2026-11-20T10:00:00+07:00", "payment_status": "unpaid", "fulfillment_status": "unfulfilled",
        "cancelled_at": None, "payment_method": "bank_transfer", "paid_at": None, "currency": "THB",
        "prices_include_vat": True, "customer": {"name": "ลูกค้า"},
        "lines": [{"sku": "A", "name": "a", "quantity": 1, "unit_price": "107.00"}],
        "shipping_fee": "0.00", "discount": "0.00", "total": "107.00", "refunds": []}
PAID = {"payment_status": "paid", "paid_at": "2026-11-21T09:00:00+07:00", "updated_at": "2026-11-21T09:05:00+07:00"}
BEFORE_VAT = {"prices_include_vat": False, "shipping_fee": "50.00", "total": "160.50",
              "lines": [{"sku": "A", "name": "a", "quantity": 1, "unit_price": "100.00"}]}


def version(**changes) -> dict:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


def take(engine, *orders):
    records = [Incoming(f"item {i}", o.get("external_id"), o) for i, o in enumerate(orders, 1)]
    return take_orders(engine, records, source="import", actor="test")


def books(engine):
    """Documents by number, entries in the order posted (whatever order the lists show)."""
    with reading(engine) as conn:
        docs, entries = reads.documents(conn), reads.entries(conn)
    return sorted(docs, key=lambda d: d["number"]), sorted(entries, key=lambda e: e["id"])


def lines_of(entry) -> set[tuple[str, str, str]]:
    return {(l["account"], l["debit"], l["credit"]) for l in entry["lines"]}


def refund(amount: str, created_at: str, rid: str = "R1") -> dict:
    return {"external_id": rid, "amount": amount, "created_at": created_at}


# --- 2. prices before VAT: the shipping fee is already net -----------------------------------


def test_prices_before_vat_book_goods_and_shipping_at_their_net_prices(engine):
    take(engine, version(**BEFORE_VAT), version(external_id="Y", **BEFORE_VAT, **PAID))
    take(engine, version(**BEFORE_VAT, cancelled_at="2026-11-22T09:00:00+07:00",
                         updated_at="2026-11-22T09:00:00+07:00"))
    docs, entries = books(engine)
    by_event = {(e["document"][:2], e["event"]): lines_of(e) for e in entries}
    revenue = {("411101", "0.00", "100.00"), ("411201", "0.00", "50.00")}
    assert by_event["IV", "invoice"] >= revenue | {("113101", "160.50", "0.00"), ("213102", "0.00", "10.50")}
    assert by_event["RT", "receipt"] >= revenue | {("111201", "160.50", "0.00"), ("213101", "0.00", "10.50")}
    assert by_event["IV", "reversal"] >= {("411101", "100.00", "0.00"), ("411201", "50.00", "0.00")}
    with reading(engine) as conn:
        shown = reads.document(conn, next(d["number"] for d in docs if d["kind"] == "receipt_tax_invoice"))
    p = shown["particulars"]
    assert (p["lines"][0]["amount"], p["shipping_fee"], p["net"], p["vat"], p["total"]) == (
        "100.00", "50.00", "150.00", "10.50", "160.50")
    assert p["prices_include_vat"] is False


# --- 3. the VAT terms in force on the tax point -----------------------------------------------


def test_prices_before_vat_take_the_rate_in_force_on_the_tax_point(engine):
    with writing(engine) as conn:
        set_vat_rate(conn, D("10"), date(2026, 12, 1))
    december = {"placed_at": "2026-12-02T10:00:00+07:00", "updated_at": "2026-12-02T10:00:00+07:00",
                "prices_include_vat": False, "lines": [{"sku": "A", "name": "a", "quantity": 1, "unit_price": "100.00"}]}
    report = take(engine, version(external_id="TEN", total="110.00", **december),
                  version(external_id="SEVEN", total="107.00", **december),
                  version(external_id="NOV", total="107.00", **{**december, "placed_at": "2026-11-30T10:00:00+07:00"},
                          payment_status="paid", paid_at="2026-11-30T23:00:00+07:00"))
    assert report.created == 2
    [failure] = report.failed
    assert failure.external_id == "SEVEN"
    assert failure.reason == ("total 107.00 does not match lines 100.00 + VAT 10% 10.00 = 110.00"
                              " (prices_include_vat is false)")
    docs, _ = books(engine)
    assert sorted((d["order"]["external_id"], d["total"], d["vat"]) for d in docs) == [
        ("NOV", "107.00", "7.00"), ("TEN", "110.00", "10.00")]


def test_a_merchant_not_registered_for_vat_adds_no_vat_to_prices_before_vat(engine):
    with writing(engine) as conn:
        write_settings(conn, {"vat_registered": False})
    report = take(engine, version(external_id="PLAIN", **{**BEFORE_VAT, "total": "150.00"}, **PAID),
                  version(external_id="TAXED", **BEFORE_VAT, **PAID))
    assert report.created == 1
    [failure] = report.failed
    assert (failure.external_id, failure.reason) == (
        "TAXED", "total 160.50 does not match lines 100.00 + shipping_fee 50.00 = 150.00"
                 " (prices_include_vat is false; not registered for VAT: no VAT added)")
    docs, entries = books(engine)
    assert [(d["kind"], d["total"], d["vat"]) for d in docs] == [("receipt", "150.00", "0.00")]
    assert lines_of(entries[0]) == {("111201", "150.00", "0.00"), ("411101", "0.00", "100.00"),
                                    ("411201", "0.00", "50.00")}


def test_staff_orders_follow_the_merchants_vat_terms_too(engine):
    with writing(engine) as conn:
        write_settings(conn, {"vat_registered": False})
    keyed = version(external_id="M-1", **{**BEFORE_VAT, "total": "150.00"})
    create_manual_order(engine, keyed, "clerk")
    paid = change_order(engine, "manual", "M-1", mark_paid(paid_at=datetime(2026, 11, 21, 2, tzinfo=timezone.utc)),
                        "clerk")
    assert paid.total == D("150.00")
    with pytest.raises(InvalidOrder, match="not registered for VAT"):
        create_manual_order(engine, version(external_id="M-2", **BEFORE_VAT), "clerk")


# --- 4. credit notes and payouts never before the tax point ----------------------------------


def test_a_refund_dated_before_the_payment_is_credited_and_paid_out_on_the_payment_day(engine):
    take(engine, version(**PAID))
    early = version(**{**PAID, "updated_at": "2026-12-03T10:00:00+07:00"},
                    refunds=[refund("50.00", "2026-10-30T10:00:00+07:00")])
    take(engine, early)
    docs, entries = books(engine)
    [note] = [d for d in docs if d["kind"] == "credit_note"]
    assert (note["number"], note["date"]) == ("CN-202611-00001", "2026-11-21")
    assert [e["date"] for e in entries if e["event"] in ("credit_note", "refund_paid")] == ["2026-11-21"] * 2


def test_a_cancellation_dated_before_the_payment_credits_on_the_payment_day(engine):
    take(engine, version(**PAID))
    take(engine, version(**{**PAID, "updated_at": "2026-11-23T10:00:00+07:00", "payment_status": "refunded"},
                         cancelled_at="2026-11-19T10:00:00+07:00"))
    docs, entries = books(engine)
    assert [(d["kind"], d["date"]) for d in docs] == [("credit_note", "2026-11-21"),
                                                      ("receipt_tax_invoice", "2026-11-21")]
    assert all(e["date"] >= "2026-11-21" for e in entries)


# --- 5. the credit note shows values before VAT ----------------------------------------------


def test_credit_notes_show_values_before_vat_against_the_tax_invoice(engine):
    take(engine, version(**PAID))
    first = refund("50.00", "2026-11-22T10:00:00+07:00")
    take(engine, version(**{**PAID, "updated_at": "2026-11-22T10:00:00+07:00"}, refunds=[first]))
    take(engine, version(**{**PAID, "updated_at": "2026-11-23T10:00:00+07:00"}, refunds=[first],
                         cancelled_at="2026-11-23T10:00:00+07:00"))
    docs, _ = books(engine)
    with reading(engine) as conn:
        notes = [reads.document(conn, d["number"])["particulars"] for d in docs if d["kind"] == "credit_note"]
    shown = [(p["original_value"], p["credited_before"], p["correct_value"], p["difference"],
              p["vat_on_difference"], p["total"]) for p in notes]
    assert shown == [("100.00", "0.00", "53.27", "46.73", "3.27", "50.00"),
                     ("100.00", "46.73", "0.00", "53.27", "3.73", "57.00")]


# --- 6. a paid order fully refunded through its refunds ---------------------------------------


def test_a_paid_order_fully_refunded_through_refunds_raises_no_alert_on_its_next_update(engine):
    take(engine, version(**PAID))
    refunded = {**PAID, "refunds": [refund("107.00", "2026-11-22T10:00:00+07:00")]}
    take(engine, version(**{**refunded, "updated_at": "2026-11-22T10:00:00+07:00"}))
    take(engine, version(**{**refunded, "updated_at": "2026-11-23T10:00:00+07:00"}, fulfillment_status="shipped"))
    with reading(engine) as conn:
        alerts = conn.exec_driver_sql("SELECT key FROM alerts WHERE kind = 'books_conflict'").fetchall()
    assert alerts == []
    docs, _ = books(engine)
    assert [d["kind"] for d in docs] == ["credit_note", "receipt_tax_invoice"]


# --- 7. the refunded payout is dated when the order said refunded -----------------------------


def test_the_refunded_payout_is_dated_when_the_order_first_said_refunded(engine):
    take(engine, version(**PAID))
    cancelled = {**PAID, "cancelled_at": "2026-11-22T10:00:00+07:00"}
    take(engine, version(**{**cancelled, "updated_at": "2026-11-22T10:00:00+07:00"}))
    take(engine, version(**{**cancelled, "updated_at": "2026-11-26T10:00:00+07:00", "payment_status": "refunded"}))
    _, entries = books(engine)
    assert [(e["event"], e["date"]) for e in entries] == [
        ("receipt", "2026-11-21"), ("credit_note", "2026-11-22"), ("refund_paid", "2026-11-26")]


# --- 8. no entry without lines ----------------------------------------------------------------


def test_a_zero_total_order_posts_no_entry_without_lines(engine):
    free = {"lines": [{"sku": "A", "name": "a", "quantity": 1, "unit_price": "0.00"}], "total": "0.00"}
    take(engine, version(**free), version(external_id="Z", **free, **PAID))
    take(engine, version(**free, cancelled_at="2026-11-22T10:00:00+07:00", updated_at="2026-11-22T10:00:00+07:00"))
    docs, entries = books(engine)
    assert sorted((d["kind"], d["status"]) for d in docs) == [("invoice", "void"), ("receipt_tax_invoice", "issued")]
    assert [e for e in entries if not e["lines"]] == []
    with reading(engine) as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM journal_entries").scalar() == 0
