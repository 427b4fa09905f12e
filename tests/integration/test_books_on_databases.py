"""The property of tests/unit/test_books_properties.py through the real import service, on
SQLite and PostgreSQL: random histories of orders go in through `take_orders`, and after every
step the books are read back from the tables (documents, journal_lines, document_sequences)
and checked with the same invariants."""
from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.engine import reading, writing
from shopledger.adapters.db.settings_repo import load_policy, set_vat_rate, write_settings
from shopledger.domain.accounting.documents import DocumentKind, DocumentStatus
from shopledger.domain.accounting.journal import JournalLine
from shopledger.domain.orders.canonical import order_to_dict
from shopledger.services.intake import Incoming, take_orders
from tests.builders import priced_order_dict
from tests.unit.test_books_properties import (
    PLACED, POLICIES, RATE_CHANGED_BEFORE_PAYMENT, SMALL_REFUNDS_THEN_CANCELLED, Ledger, StoredDoc, StoredEntry,
    histories, run_history,
)

pytestmark = pytest.mark.db

_examples = itertools.count(1)

ZERO_TOTAL = ([[priced_order_dict([{"sku": "FREE", "name": "ของแถม", "quantity": 1, "unit_price": "0.00"}],
                                  external_id="Z-1", placed_at=PLACED.isoformat(), updated_at=PLACED.isoformat())]],
              [("new", 0)])


def use_policy(engine, name: str) -> None:
    """Make the stored settings say what POLICIES[name] says."""
    wanted = POLICIES[name]
    with writing(engine) as conn:
        conn.execute(delete(t.vat_rates))
        for rate in wanted.vat_rates:
            set_vat_rate(conn, rate.rate, rate.starts_on)
        closed = wanted.closed_through.isoformat() if wanted.closed_through else None
        write_settings(conn, {"vat_registered": wanted.vat_registered, "closed_through": closed})
    with reading(engine) as conn:
        policy = load_policy(conn)
    assert (policy.vat_registered, policy.vat_rates, policy.closed_through) == (
        wanted.vat_registered, wanted.vat_rates, wanted.closed_through)


def read_ledger(engine, policy) -> Ledger:
    """The books as stored, in the shape of the in-memory ledger."""
    ledger = Ledger(policy)
    d, e, o = t.documents, t.journal_entries, t.orders
    with reading(engine) as conn:
        keys = {row.id: (row.source, row.external_id) for row in conn.execute(select(o.c.id, o.c.source, o.c.external_id))}
        ledger.heads = {(r.source, r.external_id): (r.updated_at, r.fingerprint)
                        for r in conn.execute(select(o.c.source, o.c.external_id, o.c.updated_at, o.c.fingerprint))}
        ledger.docs = [StoredDoc(r.id, keys[r.order_id], r.number, DocumentKind(r.kind), DocumentStatus(r.status),
                                 r.date, r.total, r.vat, r.cause, r.amounts_key, r.refers_to)
                       for r in conn.execute(select(d).order_by(d.c.id))]
        lines: dict[int, list[JournalLine]] = {}
        for r in conn.execute(select(t.journal_lines).order_by(t.journal_lines.c.id)):
            lines.setdefault(r.entry_id, []).append(JournalLine(r.account, r.debit, r.credit))
        ledger.entries = [StoredEntry(r.id, keys[r.order_id], r.cause, r.event, r.date, tuple(lines.get(r.id, ())),
                                      r.document_number, r.reverses_id)
                          for r in conn.execute(select(e).order_by(e.c.id))]
        ledger.next_no = {(r.prefix, r.period): r.next_no for r in conn.execute(select(t.document_sequences))}
    return ledger


def _fresh_ids(orders: list[list[dict]]) -> list[list[dict]]:
    run = next(_examples)
    return [[{**version, "external_id": f"X{run}-{version['external_id']}"} for version in versions]
            for versions in orders]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(history=histories(max_orders=2), policy_name=st.sampled_from(sorted(POLICIES)))
@example(history=ZERO_TOTAL, policy_name="vat-7")
@example(history=RATE_CHANGED_BEFORE_PAYMENT, policy_name="rate-10-from-30th")
@example(history=SMALL_REFUNDS_THEN_CANCELLED, policy_name="vat-7")
def test_random_histories_keep_the_stored_books_right(engine, history, policy_name):
    orders, sequence = history
    use_policy(engine, policy_name)
    policy = POLICIES[policy_name]

    def take(order):
        report = take_orders(engine, [Incoming("1", order.external_id, order_to_dict(order))],
                             source="import", actor="property")
        assert report.failed == [], report.failed

    run_history(_fresh_ids(orders), sequence, policy, take, lambda: read_ledger(engine, policy))


def test_the_ledger_read_back_sees_what_the_service_wrote(engine):
    """A fixed history, to show the reading above is not vacuous."""
    use_policy(engine, "vat-7")
    take_orders(engine, [Incoming("1", "A", priced_order_dict(
        [{"sku": "A", "name": "a", "quantity": 1, "unit_price": "107.00"}], external_id="A",
        payment_status="unpaid", paid_at=None))], source="import", actor="t")
    take_orders(engine, [Incoming("1", "A", priced_order_dict(
        [{"sku": "A", "name": "a", "quantity": 1, "unit_price": "107.00"}], external_id="A",
        cancelled_at="2026-11-25T10:00:00+07:00", updated_at="2026-11-25T10:00:00+07:00",
        payment_status="unpaid", paid_at=None))], source="import", actor="t")
    ledger = read_ledger(engine, POLICIES["vat-7"])
    assert [(d.number, d.status, d.total, d.vat) for d in ledger.docs] == [
        ("IV-202611-00001", DocumentStatus.VOID, 107, 7)]
    assert [(e.event, e.date, e.reverses_id) for e in ledger.entries] == [
        ("invoice", date(2026, 11, 20), None), ("reversal", date(2026, 11, 25), ledger.entries[0].id)]
    assert ledger.next_no == {("IV", "202611"): 2}
    assert sum(l.debit for e in ledger.entries for l in e.lines) == 214
