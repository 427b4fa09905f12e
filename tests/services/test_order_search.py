"""Order search (interfaces.md v2 `orders --search`): by number, part of a Thai name, a phone
however it is typed, a tracking number; nothing found; with the status and stuck filters and
paging; kept current when an order changes; on both databases."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.engine import writing
from shopledger.adapters.db.migrate import alembic_config
from shopledger.domain.errors import DomainError
from shopledger.domain.orders.search import fold, needles, phone_digits, search_text
from shopledger.services import order_changes as oc, order_views
from shopledger.services.intake import Incoming, take_orders
from tests.builders import make_order_dict

T0 = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)
EARLY = (T0 - timedelta(hours=1)).isoformat()
UNPAID = dict(payment_status="unpaid", paid_at=None)

CUSTOMERS = {
    "BW-1001": ("สมชาย ใจดี", "081-234-5678", {}),
    "BW-1002": ("สุนิสา แก้วมณี", "0898765432", UNPAID),
    "BW-1003": ("วิชัย ศรีสุข", "+66 86 111 2233", {}),
    "INV/2026/77": ("Somchai Jaidee", "02 555 0101", {}),
    "BW-1005": ("นภัสสร ทองดี", "0927654321", UNPAID),
}


def _shop(engine):
    records = [Incoming(ext, ext, make_order_dict(external_id=ext, placed_at=EARLY, updated_at=EARLY,
                                                  customer={"name": name, "phone": phone}, **kw))
               for ext, (name, phone, kw) in CUSTOMERS.items()]
    report = take_orders(engine, records, source="web", actor="import test.json", now=lambda: T0)
    assert not report.failed, report.failed
    oc.change_order(engine, "web", "BW-1003", oc.ship("kerry", "kex 1234 5678"), "clerk", now=T0)


def _found(engine, text, **kw) -> list[str]:
    return [r["external_id"] for r in order_views.list_orders(engine, search=text, now=T0, **kw)]


@pytest.mark.db
def test_search_by_number_name_phone_and_tracking(engine):
    _shop(engine)
    assert _found(engine, "BW-1002") == ["BW-1002"]
    assert _found(engine, "bw-100") == ["BW-1005", "BW-1003", "BW-1002", "BW-1001"]  # part of it, any case
    assert _found(engine, "INV/2026/77") == ["INV/2026/77"]  # '/' and the like are plain text
    assert _found(engine, "สุนิสา") == ["BW-1002"]  # part of a Thai name
    assert _found(engine, "แก้วมณี") == ["BW-1002"]
    assert _found(engine, "  สมชาย   ใจดี ") == ["BW-1001"]  # spaces as typed
    assert _found(engine, "somchai JAIDEE") == ["INV/2026/77"]
    assert _found(engine, "081-234-5678") == ["BW-1001"]  # digits compared: stored as typed with dashes
    assert _found(engine, "0812345678") == ["BW-1001"]
    assert _found(engine, "089 876 5432") == ["BW-1002"]
    assert _found(engine, "+66 89 876 5432") == ["BW-1002"]
    assert _found(engine, "0861112233") == ["BW-1003"]  # stored as +66 86 111 2233
    assert _found(engine, "98765") == ["BW-1002"]  # part of a phone
    assert _found(engine, "KEX12345678") == ["BW-1003"]  # tracking, stored without spaces
    assert _found(engine, "kex 1234 5678") == ["BW-1003"]
    assert _found(engine, "ไม่มีใครชื่อนี้") == []
    assert _found(engine, "%") == [] and _found(engine, "_") == []  # no wildcards
    assert len(_found(engine, "  ")) == 5  # nothing typed: no filter


@pytest.mark.db
def test_search_with_the_status_and_stuck_filters_and_paging(engine):
    _shop(engine)
    assert _found(engine, "bw-100", status="awaiting_payment") == ["BW-1005", "BW-1002"]
    assert _found(engine, "bw-100", status="shipped") == ["BW-1003"]
    assert _found(engine, "สุนิสา", status="to_ship") == []
    later = T0 + timedelta(days=30)  # every order is stuck by then, one way or another
    every_stuck = [r["external_id"] for r in order_views.list_orders(engine, stuck=True, now=later)]
    stuck = [r["external_id"] for r in order_views.list_orders(engine, search="bw-100", stuck=True, now=later)]
    assert stuck == [ext for ext in every_stuck if ext.startswith("BW-100")] == \
        ["BW-1005", "BW-1003", "BW-1002", "BW-1001"]
    assert [r["external_id"] for r in order_views.list_orders(engine, search="bw-100", rule="unpaid", now=later)] \
        == ["BW-1005", "BW-1002"]

    page = order_views.orders_page(engine, search="bw-100", limit=2, offset=1, now=T0)
    assert ([r["external_id"] for r in page.items], page.total, page.has_more) == (["BW-1003", "BW-1002"], 4, True)
    past = order_views.orders_page(engine, search="bw-100", limit=2, offset=10, now=T0)
    assert (past.items, past.total) == ([], 4)
    assert order_views.orders_page(engine, search="nobody", limit=2, now=T0).total == 0
    counted = order_views.orders_page(engine, search="bw-100", status="awaiting_payment", stuck=True, limit=1,
                                      now=later)
    assert ([r["external_id"] for r in counted.items], counted.total) == (["BW-1005"], 2)
    assert order_views.orders_page(engine, search="bw-100", stuck=True, limit=1, now=later).total == 4
    assert [r["external_id"] for r in order_views.iter_orders(engine, search="bw-100", status="awaiting_payment")] \
        == ["BW-1005", "BW-1002"]

    with pytest.raises(DomainError) as too_long:
        order_views.list_orders(engine, search="x" * 301)
    assert too_long.value.code == "invalid_search"


@pytest.mark.db
def test_the_search_text_follows_the_order(engine):
    _shop(engine)
    changed = make_order_dict(external_id="BW-1002", placed_at=EARLY, updated_at=(T0 + timedelta(hours=1)).isoformat(),
                              customer={"name": "สุนิสา ใหม่", "phone": "0611111111"}, **UNPAID)
    take_orders(engine, [Incoming("BW-1002", "BW-1002", changed)], source="web", actor="import again",
                now=lambda: T0 + timedelta(hours=1))
    assert _found(engine, "แก้วมณี") == [] and _found(engine, "สุนิสา ใหม่") == ["BW-1002"]
    assert _found(engine, "061-111-1111") == ["BW-1002"] and _found(engine, "0898765432") == []
    oc.change_order(engine, "web", "BW-1001", oc.ship("flash", "TH0123456789A"), "clerk", now=T0)
    assert _found(engine, "th0123456789a") == ["BW-1001"]


@pytest.mark.db
def test_the_migration_fills_in_orders_stored_before_it(engine):
    """0011 works the search text out for orders already there (from their data and shipment)."""
    from alembic import command

    _shop(engine)
    with writing(engine) as conn:
        conn.execute(update(t.orders).values(search_text=None))
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0011-1")
        command.upgrade(config, "head")
    with engine.connect() as conn:
        texts = dict(conn.execute(select(t.orders.c.external_id, t.orders.c.search_text)).all())
    assert texts["BW-1003"] == "bw-1003\nวิชัย ศรีสุข\n0861112233\nkex12345678"
    assert _found(engine, "086-111-2233") == ["BW-1003"]


def test_folding_and_needles():
    assert fold("  Ｓomchai\tJAIDEE ") == "somchai jaidee"  # NFKC: a full-width letter
    assert phone_digits("(081) 234-5678") == "0812345678"
    assert phone_digits("+66 81 234 5678") == "0812345678"
    assert phone_digits("๐๘๑๒๓๔๕๖๗๘") == "0812345678"  # Thai digits
    assert search_text("BW-1", "สมชาย", "081-234-5678", "KEX 1") == "bw-1\nสมชาย\n0812345678\nkex1"
    assert needles("") == () and needles("   ") == ()
    assert needles("081-234-5678") == ("081-234-5678", "0812345678")
    assert needles("TH 12 34") == ("th 12 34", "th1234")
    assert needles("สมชาย ใจดี") == ("สมชาย ใจดี",)
    assert needles("12") == ("12",)
    with pytest.raises(DomainError):
        needles("ก" * 301)
