"""Actions recorded after the fact (`--at`): shipped, delivered, goods in and a COD payout dated
when they happened give movements, entries and documents on that Bangkok day; a date in a closed
period, ahead of the clock, or before the order's last change is refused with its reason."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.engine import reading
from shopledger.domain.clock import BANGKOK, parse_at
from shopledger.domain.errors import DomainError
from shopledger.services import bulk_ship, cod, company, order_changes as oc, products
from shopledger.services.intake import Incoming, take_orders
from tests.builders import make_order_dict

pytestmark = pytest.mark.db
NOW = datetime(2026, 11, 30, 3, 0, tzinfo=timezone.utc)  # 10:00 in Bangkok
IMPORTED = datetime(2026, 11, 21, 3, 0, tzinfo=timezone.utc)


def _import(engine, *orders):
    take_orders(engine, [Incoming(o["external_id"], o["external_id"], o) for o in orders], source="web",
                actor="t", now=lambda: IMPORTED)


def _cod(external_id):
    return make_order_dict(external_id=external_id, payment_method="cod", payment_status="unpaid", paid_at=None)


def _stock_in(engine, at="2026-11-19T09:00"):
    for sku in ("HONEY-1L", "COMB-200"):
        products.add_product(engine, sku, sku, "100.00")
        products.receive_stock(engine, sku, 50, "60.00", ref="PO-1", now=NOW, at=parse_at(at))


def _entries(engine, event):
    with reading(engine) as conn:
        e = t.journal_entries
        return [(r.date, r.memo) for r in conn.execute(select(e.c.date, e.c.memo).where(e.c.event == event)
                                                       .order_by(e.c.id))]


def _movements(engine, kind):
    with reading(engine) as conn:
        m = t.stock_movements
        return [r.at.astimezone(BANGKOK) for r in conn.execute(select(m.c.at).where(m.c.kind == kind)
                                                               .order_by(m.c.id))]


def _shipment(engine, external_id):
    with reading(engine) as conn:
        s, o = t.shipments, t.orders
        row = conn.execute(select(s).join(o, o.c.id == s.c.order_id).where(o.c.external_id == external_id)).one()
        return row


def _documents(engine, external_id):
    with reading(engine) as conn:
        d, o = t.documents, t.orders
        return [(r.kind, r.date) for r in conn.execute(select(d.c.kind, d.c.date).join(o, o.c.id == d.c.order_id)
                                                        .where(o.c.external_id == external_id).order_by(d.c.id))]


def test_back_dated_goods_in_is_dated_then_and_averaged_in_the_order_it_is_recorded(engine):
    products.add_product(engine, "HONEY-1L", "Honey", "350.00")
    products.receive_stock(engine, "HONEY-1L", 10, "100.00", now=NOW)                        # today
    result = products.receive_stock(engine, "HONEY-1L", 10, "200.00", now=NOW, at=parse_at("2026-11-19T09:00"))
    assert result["entries"][0]["date"] == "2026-11-19"
    assert result["stock"]["avg_cost"] == "150.00"  # the recorded order; docs/stock.md says why
    assert [m.date() for m in _movements(engine, "receive")] == [date(2026, 11, 30), date(2026, 11, 19)]
    assert _movements(engine, "receive")[1].hour == 9
    assert [d for d, _ in _entries(engine, "goods_received")] == [date(2026, 11, 30), date(2026, 11, 19)]
    count = products.count_stock(engine, "HONEY-1L", 19, now=NOW, at=parse_at("2026-11-20T18:00:00+07:00"))
    assert count["entries"][0]["date"] == "2026-11-20"


def test_back_dated_ship_of_a_paid_order_posts_its_cost_on_that_day(engine):
    _stock_in(engine)
    _import(engine, make_order_dict(external_id="P-1"))
    bulk_ship.ship_one(engine, "web", "P-1", "kerry", "KEX1", "clerk", now=NOW, at=parse_at("2026-11-25T15:30"))
    shipment = _shipment(engine, "P-1")
    assert shipment.shipped_at.astimezone(BANGKOK) == datetime(2026, 11, 25, 15, 30, tzinfo=BANGKOK)
    assert [d for d, _ in _entries(engine, "goods_shipped")] == [date(2026, 11, 25)]
    assert {m.date() for m in _movements(engine, "ship")} == {date(2026, 11, 25)}


def test_back_dated_ship_and_delivery_of_a_cod_order_issue_its_receipt_on_the_day_delivered(engine):
    _stock_in(engine)
    _import(engine, _cod("C-1"))
    bulk_ship.ship_rows(engine, [{"source": "web", "order": "C-1", "carrier": "Kerry", "tracking": "KEX9"}],
                        "clerk", now=NOW, at=parse_at("2026-11-25T15:30"))
    oc.change_order(engine, "web", "C-1", oc.deliver(), "clerk", now=NOW, at=parse_at("2026-11-27T11:00"))
    assert _documents(engine, "C-1") == [("invoice", date(2026, 11, 20)), ("receipt_tax_invoice", date(2026, 11, 27))]
    shipment = _shipment(engine, "C-1")
    assert shipment.delivered_at.astimezone(BANGKOK) == datetime(2026, 11, 27, 11, 0, tzinfo=BANGKOK)
    assert [d for d, _ in _entries(engine, "goods_shipped")] == [date(2026, 11, 25)]
    payout = cod.remit_rows(engine, [{"เลขพัสดุ": "KEX9", "ยอดเก็บเงิน": "850.00", "ค่าธรรมเนียม": "15.00"}],
                            "kerry", "kerry.csv", "clerk", now=NOW, at=parse_at("2026-11-28T16:00"))
    assert (payout["paid_on"], payout["entry_date"]) == ("2026-11-28", "2026-11-28")
    assert _shipment(engine, "C-1").remitted_at.astimezone(BANGKOK).date() == date(2026, 11, 28)


def test_a_return_dated_earlier_than_now_puts_the_goods_back_on_that_day(engine):
    _stock_in(engine)
    _import(engine, make_order_dict(external_id="P-2"))
    bulk_ship.ship_one(engine, "web", "P-2", "flash", "TH2", "clerk", now=NOW, at=parse_at("2026-11-24T10:00"))
    oc.change_order(engine, "web", "P-2", oc.give_back(), "clerk", now=NOW, at=parse_at("2026-11-26T10:00"))
    assert {m.date() for m in _movements(engine, "return")} == {date(2026, 11, 26)}
    assert _shipment(engine, "P-2").returned_at.astimezone(BANGKOK).date() == date(2026, 11, 26)
    assert sorted(d for d, _ in _entries(engine, "goods_shipped")) + sorted(d for d, _ in _entries(engine, "goods_returned")) \
        == [date(2026, 11, 24), date(2026, 11, 26)]


@pytest.mark.parametrize("when, code", [("2026-11-22T23:59", "closed_period"),
                                        ("2026-11-30T11:00", "time_in_future"),
                                        ("2026-11-25T12:00", "before_last_change")])
def test_a_closed_future_or_too_early_date_is_refused_and_nothing_moves(engine, when, code):
    _stock_in(engine, at="2026-11-23T09:00")
    _import(engine, make_order_dict(external_id="P-3", updated_at="2026-11-26T09:00:00+07:00"))
    company.update_settings(engine, closed_through=date(2026, 11, 22))
    with pytest.raises(DomainError) as refused:
        bulk_ship.ship_one(engine, "web", "P-3", "kerry", "KEX3", "clerk", now=NOW, at=parse_at(when))
    assert refused.value.code == code
    assert _entries(engine, "goods_shipped") == []
    if code != "before_last_change":
        with pytest.raises(DomainError) as again:
            products.receive_stock(engine, "HONEY-1L", 1, "60.00", now=NOW, at=parse_at(when))
        assert again.value.code == code and "2026-11-" in again.value.message
        with pytest.raises(DomainError):
            bulk_ship.ship_rows(engine, [{"source": "web", "order": "P-3", "carrier": "kerry", "tracking": "K"}],
                                "clerk", now=NOW, at=parse_at(when))
    assert len(_movements(engine, "receive")) == 2


def test_a_few_minutes_ahead_is_a_clock_not_the_future(engine):
    _stock_in(engine)
    products.receive_stock(engine, "HONEY-1L", 1, "60.00", now=NOW, at=NOW + timedelta(minutes=4))


@pytest.mark.parametrize("text, expected", [
    ("2026-11-28T15:30", datetime(2026, 11, 28, 8, 30, tzinfo=timezone.utc)),
    ("2026-11-28 15:30:00+07:00", datetime(2026, 11, 28, 8, 30, tzinfo=timezone.utc)),
    ("2026-11-28T08:30Z", datetime(2026, 11, 28, 8, 30, tzinfo=timezone.utc)),
    ("2026-11-28", datetime(2026, 11, 27, 17, 0, tzinfo=timezone.utc)),
])
def test_parse_at_reads_bangkok_time_without_an_offset(text, expected):
    assert parse_at(text) == expected


@pytest.mark.parametrize("text", ["", "yesterday", "28/11/2026"])
def test_parse_at_says_what_is_wrong(text):
    with pytest.raises(ValueError):
        parse_at(text)
