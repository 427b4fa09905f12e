"""What the lists filter on in the database agrees with the domain: for every combination of the
facts the display status and the stuck rules read, the SQL filter on the state stored beside
each order picks exactly the orders the Python functions pick (on SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from itertools import product

import pytest
from sqlalchemy import select, update

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.engine import reading, writing
from shopledger.adapters.db.settings_repo import write_settings
from shopledger.domain.orders.model import FulfillmentStatus as F
from shopledger.domain.orders.model import PaymentStatus as P
from shopledger.domain.orders.status import DisplayStatus, status_of
from shopledger.domain.orders.stuck import OrderFacts, StuckRules, stuck_reasons
from shopledger.services import order_changes as oc, order_state, order_views
from shopledger.services.intake import Incoming, take_orders
from tests.builders import make_order_dict

pytestmark = pytest.mark.db
T0 = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)
PLACED, CANCELLED, PAID, SEEN = T0 - 10 * DAY, T0 - 9 * DAY, T0 - 9 * DAY, T0 - 8 * DAY
SHIPPED, STATE_CHANGED, DELIVERED, RETURNED, REMITTED = T0 - 7 * DAY, T0 - 6 * DAY, T0 - 5 * DAY, T0 - 4 * DAY, T0 - 3 * DAY
# payment, fulfilment, cancelled, COD, remitted, state changed since first seen, goods back in stock
COMBOS = list(product(P, F, (False, True), (False, True), (False, True), (None, STATE_CHANGED), (True, False)))


def _facts(i: int, combo) -> OrderFacts:
    payment, fulfilment, cancelled, cod, remitted, changed, restocked = combo
    since = changed if changed is not None else (None if fulfilment is F.UNFULFILLED else SEEN)
    return OrderFacts(f"t:O-{i}", payment, fulfilment, PLACED,
                      cancelled=cancelled or payment is P.REFUNDED or fulfilment is F.RETURNED, is_cod=cod,
                      cod_remitted=remitted, returned_restocked=restocked, status_since=since,
                      paid_at=PAID if payment in (P.PAID, P.REFUNDED) else None,
                      shipped_at=SHIPPED if fulfilment is not F.UNFULFILLED else None,
                      delivered_at=DELIVERED if fulfilment is F.DELIVERED else None,
                      returned_at=RETURNED if fulfilment is F.RETURNED else None)


def _write_every_combination(engine) -> None:
    """Rows as the books would hold them, straight in, then their state worked out."""
    orders, shipments, moves = [], [], []
    for i, combo in enumerate(COMBOS, 1):
        facts, (payment, fulfilment, cancelled, cod, remitted, changed, restocked) = _facts(i, combo), combo
        orders.append({"id": i, "source": "t", "external_id": f"O-{i}", "channel": "website", "placed_at": PLACED,
                       "updated_at": PLACED, "payment_status": str(payment), "fulfillment_status": str(fulfilment),
                       "payment_method": "cod" if cod else "bank_transfer",
                       "cancelled_at": CANCELLED if cancelled else None, "paid_at": facts.paid_at,
                       "total": Decimal("1.00"), "customer_name": "c", "data": {}, "fingerprint": "f",
                       "created_at": SEEN, "changed_at": SEEN, "state_changed_at": changed})
        shipments.append({"order_id": i, "carrier": "kerry", "carrier_name": "Kerry Express", "tracking_number": f"K{i}",
                          "shipped_at": facts.shipped_at, "delivered_at": facts.delivered_at,
                          "returned_at": facts.returned_at, "cod_amount": Decimal("1.00") if cod else None,
                          "remitted_at": REMITTED if remitted else None})
        if not restocked:
            moves.append({"sku": "X", "kind": "ship", "on_hand_delta": -1, "reserved_delta": 0,
                          "value_delta_satang": 0, "order_id": i, "refund_id": "", "cause": "c", "ref": "r", "at": SHIPPED})
    with writing(engine) as conn:
        conn.execute(t.products.insert().values(sku="X", name="X", price=Decimal("1.00"), cost=Decimal("1.00"),
                                                on_hand=0, reserved=0, value_satang=0, last_unit_cost_satang=0,
                                                created_from="manual", created_at=SEEN))
        conn.execute(t.orders.insert(), orders)
        conn.execute(t.shipments.insert(), shipments)
        conn.execute(t.stock_movements.insert(), moves)
        order_state.refresh(conn, range(1, len(COMBOS) + 1))


def _ids(rows) -> set[int]:
    return {r["id"] for r in rows}


def test_every_display_status_filter_picks_what_the_domain_says(engine):
    _write_every_combination(engine)
    expected = {status: set() for status in DisplayStatus}
    for i, (payment, fulfilment, cancelled, cod, remitted, _, _) in enumerate(COMBOS, 1):
        expected[status_of(payment, fulfilment, cancelled=cancelled, is_cod=cod, cod_remitted=remitted)].add(i)
    for status, ids in expected.items():
        assert _ids(order_views.list_orders(engine, status=status.value)) == ids, status
        assert order_views.orders_page(engine, status=status.value, limit=5).total == len(ids)
    assert all(expected.values())   # the combinations reach every status


@pytest.mark.parametrize("settings", [{}, {"unpaid_after": "12h", "undelivered_after": "off", "unremitted_after": "1d"}])
def test_the_stuck_filter_picks_what_the_rules_say_at_any_moment(engine, settings):
    _write_every_combination(engine)
    with writing(engine) as conn:
        write_settings(conn, {"stuck_rules": settings})
    rules = StuckRules.from_settings(settings)
    for now in (T0 - 8 * DAY, T0 - 5 * DAY, T0 - 2 * DAY, T0, T0 + 30 * DAY):
        reasons = {i: stuck_reasons(_facts(i, combo), rules, now) for i, combo in enumerate(COMBOS, 1)}
        stuck = {i for i, found in reasons.items() if found}
        assert _ids(order_views.list_orders(engine, stuck=True, now=now)) == stuck, now
        assert order_views.orders_page(engine, stuck=True, now=now, limit=1).total == len(stuck)
        for code in ("unpaid", "payment_check", "unshipped", "undelivered", "unremitted", "unrestocked"):
            by_rule = {i for i, found in reasons.items() if code in {r.code for r in found}}
            assert _ids(order_views.list_orders(engine, rule=code, now=now)) == by_rule, (now, code)
        shown = order_views.list_orders(engine, stuck=True, now=now, limit=20)
        assert all(row["stuck"] == [order_views.reason_view(r) for r in reasons[row["id"]]] for row in shown)
    assert stuck   # some orders are stuck a month on


def test_an_unknown_rule_is_refused(engine):
    with pytest.raises(order_views.DomainError) as refused:
        order_views.list_orders(engine, rule="lost")
    assert refused.value.code == "invalid_rule"


def test_orders_from_an_older_database_get_their_state_filled_in(engine):
    records = [Incoming(ext, ext, make_order_dict(external_id=ext, payment_status="unpaid", paid_at=None,
                                                  placed_at=PLACED.isoformat(), updated_at=PLACED.isoformat()))
               for ext in ("A", "B")]
    take_orders(engine, records, source="web", actor="test", now=lambda: SEEN)
    oc.change_order(engine, "web", "A", oc.mark_verifying(), "buyer", now=STATE_CHANGED)
    columns = ("state_changed_at", "display_status", "payment_wait", "payment_wait_since")

    def stored() -> dict:
        with reading(engine) as conn:
            return {row.external_id: tuple(getattr(row, c) for c in columns)
                    for row in conn.execute(select(t.orders.c.external_id, *(t.orders.c[c] for c in columns)))}

    before = stored()
    assert before["A"] == (STATE_CHANGED, "checking_payment", "payment_check", STATE_CHANGED)
    with writing(engine) as conn:   # as a database migrated from before these columns holds them
        conn.execute(update(t.orders).values({c: None for c in columns}))
    assert order_views.list_orders(engine, status="checking_payment") == []
    assert order_state.fill_in_missing(engine, batch=1) == 2
    assert stored() == before
    assert [r["external_id"] for r in order_views.list_orders(engine, status="checking_payment")] == ["A"]


def test_orders_written_through_every_road_carry_the_state_a_refresh_would_give(engine):
    """Intake writes the state with the row, from its plan; it must be what reading the order,
    its shipment and its stock back would give."""
    from shopledger.services import cod, products

    products.add_product(engine, "HONEY-1L", "HONEY-1L", "100.00", "180.00", 1, now=SEEN)
    products.receive_stock(engine, "HONEY-1L", 20, "180.00", now=SEEN)
    kinds = {"U": dict(payment_status="unpaid", paid_at=None), "V": dict(payment_status="verifying", paid_at=None),
             "P": {}, "C": dict(payment_method="cod", payment_status="unpaid", paid_at=None),
             "R": dict(payment_status="refunded"), "X": dict(cancelled_at=PLACED.isoformat()),
             "S": dict(fulfillment_status="shipped", shipment={"carrier": "kerry", "tracking_number": "KS",
                                                                "shipped_at": PLACED.isoformat()})}
    records = [Incoming(ext, ext, make_order_dict(external_id=ext, placed_at=PLACED.isoformat(),
                                                  updated_at=PLACED.isoformat(), **kw)) for ext, kw in kinds.items()]
    assert not take_orders(engine, records, source="web", actor="test", now=lambda: SEEN).failed
    oc.change_order(engine, "web", "C", oc.ship("kerry", "KC"), "clerk", now=SHIPPED)
    oc.change_order(engine, "web", "C", oc.deliver(), "courier", now=DELIVERED)
    oc.change_order(engine, "web", "P", oc.ship("flash", "FP"), "clerk", now=SHIPPED)
    oc.change_order(engine, "web", "P", oc.give_back(), "clerk", now=RETURNED)
    oc.change_order(engine, "web", "U", oc.cancel(), "clerk", now=RETURNED)
    oc.change_order(engine, "web", "V", oc.mark_paid(), "clerk", now=RETURNED)
    assert not cod.remit_rows(engine, [{"tracking": "KC", "cod": "850.00", "fee": "10.00"}], "kerry", "k.csv",
                              "clerk", now=REMITTED)["mismatches"]
    with reading(engine) as conn:
        ids = list(conn.scalars(select(t.orders.c.id)))
        assert len(ids) == len(kinds) and order_state.stale(conn, ids) == []
    shown = {r["external_id"]: r["display_status"] for r in order_views.list_orders(engine)}
    assert shown == {"U": "cancelled", "V": "to_ship", "P": "returned", "C": "completed", "R": "refunded",
                     "X": "cancelled", "S": "shipped"}
    for external_id, status in shown.items():
        assert [r["external_id"] for r in order_views.list_orders(engine, status=status)
                if r["external_id"] == external_id] == [external_id]
