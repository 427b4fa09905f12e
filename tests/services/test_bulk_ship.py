"""Shipping from a sheet: each row its own transaction, bad rows reported with their reason."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.engine import reading
from shopledger.domain.errors import DomainError
from shopledger.services import bulk_ship, order_changes as oc
from shopledger.services.intake import Incoming, take_orders
from tests.builders import make_order_dict

pytestmark = pytest.mark.db
NOW = datetime(2026, 11, 21, 3, 0, tzinfo=timezone.utc)


def _orders(engine, *ids):
    take_orders(engine, [Incoming(i, i, make_order_dict(external_id=i)) for i in ids], source="web", actor="t",
                now=lambda: NOW)


def _shipments(engine):
    with reading(engine) as conn:
        query = select(t.orders.c.external_id, t.shipments.c.carrier, t.shipments.c.tracking_number).join(
            t.shipments, t.shipments.c.order_id == t.orders.c.id).order_by(t.orders.c.external_id)
        return [tuple(row) for row in conn.execute(query)]


def test_a_sheet_with_thai_headers_and_a_bad_row(engine, tmp_path):
    _orders(engine, "A-1", "A-2", "A-3")
    oc.change_order(engine, "web", "A-3", oc.cancel(), "clerk", now=NOW)
    sheet = tmp_path / "ship.csv"
    sheet.write_text("\ufeffแหล่งที่มา,เลขที่คำสั่งซื้อ,บริษัทขนส่ง,เลขพัสดุ\n"
                     "web,A-1,เคอรี่,kex 0001\n"
                     "web,NOPE,flash,TH1\n"
                     "\n"
                     "web,A-3,flash,TH3\n"
                     "web,A-2,J&T,JT2\n"
                     "web,A-2,jt,,\n", encoding="utf-8")
    report = bulk_ship.ship_file(engine, sheet, "clerk", now=NOW)

    assert [(r["line"], r["external_id"]) for r in report["shipped"]] == [(2, "A-1"), (6, "A-2")]
    assert [(r["line"], r["external_id"], r["reason"]) for r in report["failed"]] == [
        (3, "NOPE", "order web:NOPE not found"),
        (5, "A-3", "a cancelled order is not shipped"),
        (7, "A-2", "no tracking number"),
    ]
    assert _shipments(engine) == [("A-1", "kerry", "KEX0001"), ("A-2", "jt", "JT2")]


def test_the_same_sheet_twice_changes_nothing(engine):
    _orders(engine, "A-1")
    rows = [{"Source": "web", "Order ID": "A-1", "Courier": "Kerry Express", "Tracking Number": "KEX1"}]
    assert len(bulk_ship.ship_rows(engine, rows, "clerk", now=NOW)["shipped"]) == 1
    with reading(engine) as conn:
        versions = conn.execute(select(t.order_events)).all()
    again = bulk_ship.ship_rows(engine, rows, "clerk", now=NOW)
    assert again["shipped"] == [] and [r["external_id"] for r in again["unchanged"]] == ["A-1"]
    with reading(engine) as conn:
        assert len(conn.execute(select(t.order_events)).all()) == len(versions)
    fixed = bulk_ship.ship_rows(engine, [rows[0] | {"Tracking Number": "KEX2"}], "clerk", now=NOW)
    assert len(fixed["shipped"]) == 1 and _shipments(engine) == [("A-1", "kerry", "KEX2")]


def test_a_default_source_and_a_sheet_without_needed_columns(engine):
    _orders(engine, "A-1")
    report = bulk_ship.ship_rows(engine, [{"order": "A-1", "carrier": "flash", "tracking": "TH1"}], "clerk",
                                 default_source="web", now=NOW)
    assert len(report["shipped"]) == 1
    with pytest.raises(DomainError) as bad:
        bulk_ship.ship_rows(engine, [{"order": "A-1", "carrier": "flash", "tracking": "TH1"}], "clerk", now=NOW)
    assert bad.value.code == "ship_file_columns_missing"
