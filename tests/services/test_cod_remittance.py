"""A courier's COD statement: matched rows booked once in one entry, every other row
reported with its reason and kept as an alert, and a re-run that books nothing."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.engine import reading
from shopledger.domain.errors import DomainError
from shopledger.services import alerts, cod, order_changes as oc
from shopledger.services.intake import Incoming, take_orders
from tests.builders import make_order_dict

pytestmark = pytest.mark.db
T1 = datetime(2026, 11, 21, 3, 0, tzinfo=timezone.utc)
T2 = datetime(2026, 11, 22, 3, 0, tzinfo=timezone.utc)
T3 = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)


def _cod_orders(engine, shipped: dict[str, tuple[str, str]], delivered: set[str]):
    records = [Incoming(str(i), ext, make_order_dict(external_id=ext, payment_method="cod", payment_status="unpaid",
                                                     paid_at=None))
               for i, ext in enumerate(shipped)]
    take_orders(engine, records, source="shop", actor="test", now=lambda: T1)
    for ext, (carrier, tracking) in shipped.items():
        oc.change_order(engine, "shop", ext, oc.ship(carrier, tracking), "clerk", now=T1)
    for ext in delivered:
        oc.change_order(engine, "shop", ext, oc.deliver(), "courier", now=T2)


def _row(tracking, cod="850.00", fee="15.00", date="24/11/2569"):
    return {"เลขพัสดุ": tracking, "ยอดเก็บเงิน": cod, "ค่าธรรมเนียม": fee, "วันที่โอน": date}


def _remittance_entries(engine):
    with reading(engine) as conn:
        e, l = t.journal_entries, t.journal_lines
        heads = list(conn.execute(select(e).where(e.c.event == "cod_remitted").order_by(e.c.id)))
        return [(h.date.isoformat(), [(r.account, str(r.debit), str(r.credit)) for r in
                                      conn.execute(select(l).where(l.c.entry_id == h.id).order_by(l.c.id))])
                for h in heads]


def _cod_alerts(engine):
    return [a for a in alerts.open_alerts(engine, now=T3) if a["kind"] == "cod_mismatch"]


SHIPPED = {"C-1": ("kerry", "KEX1"), "C-2": ("kerry", "KEX2"), "C-3": ("kerry", "KEX3"),
           "C-4": ("flash", "FL4"), "C-5": ("Kerry Express", "kex5")}
STATEMENT = [
    _row("KEX1", fee="17.00"),          # line 2: matches
    _row("KEX2", cod="800.00"),         # line 3: amount differs
    _row("KEX9", cod="100.00"),         # line 4: nobody shipped it
    _row("KEX1", fee="17.00"),          # line 5: the same parcel twice
    _row("KEX3"),                       # line 6: shipped, not delivered yet
    _row("KEX7", cod="abc"),            # line 7: unreadable amount
    _row("FL4"),                        # line 8: a Flash parcel on a Kerry statement
    _row("KEX5", fee="-15.00"),         # line 9: matches (a fee printed as a deduction)
]


def test_matched_rows_book_one_entry_and_every_mismatch_is_reported(engine):
    _cod_orders(engine, SHIPPED, delivered={"C-1", "C-2", "C-4", "C-5"})
    report = cod.remit_rows(engine, STATEMENT, "Kerry", "kerry-w47.csv", "clerk", now=T3)

    assert [(m["line"], m["order"]) for m in report["matched"]] == [(2, "shop:C-1"), (9, "shop:C-5")]
    assert [(m["line"], m["code"]) for m in report["mismatches"]] == [
        (3, "amount_differs"), (4, "unknown_tracking"), (5, "duplicate_row"), (6, "not_collected"),
        (7, "unreadable_row"), (8, "unknown_tracking")]
    reasons = {m["line"]: m["reason"] for m in report["mismatches"]}
    assert reasons[3] == "amount differs (expected 850.00, statement says 800.00)"
    assert "mark it delivered" in reasons[6]
    # fees 32.00 include VAT 2.09; paid on the statement's date (24/11/2569 = 2026-11-24)
    assert (report["total_cod"], report["total_fee"], report["net"]) == ("1700.00", "32.00", "1668.00")
    assert _remittance_entries(engine) == [("2026-11-24", [
        ("111201", "1668.00", "0.00"), ("521101", "29.91", "0.00"), ("115101", "2.09", "0.00"),
        ("113201", "0.00", "1700.00")])]
    with reading(engine) as conn:
        remitted = {r.tracking_number: r.remittance_id for r in conn.execute(select(t.shipments))}
    assert remitted == {"KEX1": report["remittance_id"], "KEX5": report["remittance_id"], "KEX2": None,
                        "KEX3": None, "FL4": None}

    found = _cod_alerts(engine)
    assert len(found) == 6
    assert {a["subject"] for a in found} >= {"shop:C-2", "kerry:KEX9", "shop:C-1", "shop:C-3", "kerry:FL4"}
    assert all("kerry-w47.csv" in a["reason"] and a["since"] == "2026-11-25T10:00:00+07:00" for a in found)


def test_running_the_same_statement_again_books_nothing(engine):
    _cod_orders(engine, SHIPPED, delivered={"C-1", "C-2", "C-4", "C-5"})
    cod.remit_rows(engine, STATEMENT, "kerry", "kerry-w47.csv", "clerk", now=T3)
    again = cod.remit_rows(engine, STATEMENT, "kerry", "kerry-w47.csv", "clerk", now=T3.replace(hour=9))

    assert again["matched"] == [] and again["remittance_id"] is None and again["total_cod"] == "0.00"
    assert [(m["line"], m["code"]) for m in again["mismatches"]][:1] == [(2, "already_remitted")]
    assert len(_remittance_entries(engine)) == 1
    with reading(engine) as conn:
        assert conn.execute(select(func.count()).select_from(t.cod_remittances)).scalar_one() == 1
    assert len(_cod_alerts(engine)) == 6   # the same mismatches again, not new alerts

    other = cod.remit_rows(engine, [_row("KEX1", fee="17.00")], "kerry", "kerry-w48.csv", "clerk", now=T3)
    assert [m["code"] for m in other["mismatches"]] == ["already_remitted"]
    assert len(_cod_alerts(engine)) == 7   # another statement paying KEX1 again is worth a look


def test_a_later_match_resolves_the_earlier_mismatch(engine):
    _cod_orders(engine, SHIPPED, delivered={"C-1"})
    first = cod.remit_rows(engine, [_row("KEX3")], "kerry", "w47.csv", "clerk", now=T3)
    assert [m["code"] for m in first["mismatches"]] == ["not_collected"]
    assert [a["subject"] for a in _cod_alerts(engine)] == ["shop:C-3"]

    oc.change_order(engine, "shop", "C-3", oc.deliver(), "courier", now=T3)
    second = cod.remit_rows(engine, [_row("KEX3")], "kerry", "w47.csv", "clerk", now=T3)
    assert [m["order"] for m in second["matched"]] == ["shop:C-3"] and second["mismatches"] == []
    assert _cod_alerts(engine) == []


def test_resolving_a_stored_alert_by_hand(engine):
    _cod_orders(engine, {"C-1": ("kerry", "KEX1")}, delivered={"C-1"})
    cod.remit_rows(engine, [_row("KEX9")], "kerry", "w47.csv", "clerk", now=T3)
    [alert] = _cod_alerts(engine)
    done = alerts.resolve_alert(engine, alert["id"], now=T3)
    assert done["resolved_at"] is not None and _cod_alerts(engine) == []


def test_a_statement_without_the_needed_columns_is_refused(engine):
    with pytest.raises(DomainError) as bad:
        cod.remit_rows(engine, [{"parcel": "KEX1", "money": "850.00"}], "kerry", "odd.csv", "clerk", now=T3)
    assert bad.value.code == "statement_columns_missing"


def test_receivable_by_courier_and_age(engine):
    _cod_orders(engine, SHIPPED, delivered={"C-1", "C-2", "C-4"})
    owed = cod.cod_receivable(engine, now=datetime(2026, 12, 1, 3, 0, tzinfo=timezone.utc))   # 9 days on
    assert owed["total"] == owed["ledger_balance"] == "2550.00"
    by_carrier = {c["carrier"]: {b["age"]: (b["amount"], b["count"]) for b in c["buckets"]} for c in owed["carriers"]}
    assert by_carrier["Kerry Express"]["8-14"] == ("1700.00", 2)
    assert by_carrier["Flash Express"]["8-14"] == ("850.00", 1)
