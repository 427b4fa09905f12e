"""Random files mixing good orders with every kind of bad record (issue 7): every good order is
booked, every bad one is listed with a reason in the merchant's words, and the books still
answer and balance. Through the real file reader and the real intake, on both databases."""
from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopledger.adapters.connectors.files import read_orders
from shopledger.adapters.db import reads
from shopledger.adapters.db.engine import reading
from shopledger.services.intake import take_orders

pytestmark = [pytest.mark.db, pytest.mark.slow]

_TECHNICAL = re.compile(r"Traceback|sqlalchemy|psycopg|sqlite3|Error\b|OverflowError|RecursionError|"
                        r"\bINSERT\b|\bSELECT\b|\[SQL|errno|Decimal\(", re.IGNORECASE)


def _good(external_id: str, lines: list[tuple[int, int]], status: str, shipping: int) -> dict:
    total = sum(q * p for q, p in lines) + shipping
    order = {
        "external_id": external_id, "channel": "line", "placed_at": "2026-11-20T10:00:00+07:00",
        "updated_at": "2026-11-21T09:05:00+07:00", "payment_status": "paid" if status == "paid" else "unpaid",
        "fulfillment_status": "unfulfilled", "cancelled_at": "2026-11-21T09:05:00+07:00" if status == "cancelled" else None,
        "payment_method": "bank_transfer", "paid_at": "2026-11-21T09:00:00+07:00" if status == "paid" else None,
        "currency": "THB", "customer": {"name": "ลูกค้า " + external_id},
        "lines": [{"sku": f"SKU-{i}", "name": f"สินค้า {i}", "quantity": q, "unit_price": f"{Decimal(p) / 100:.2f}"}
                  for i, (q, p) in enumerate(lines)],
        "shipping_fee": f"{Decimal(shipping) / 100:.2f}", "total": f"{Decimal(total) / 100:.2f}", "refunds": [],
    }
    return order


def _line(order: dict) -> str:
    return json.dumps(order, ensure_ascii=False)


def _with(order: dict, **changes) -> dict:
    return {**order, **changes}


def _set_line(order: dict, **changes) -> dict:
    return {**order, "lines": [{**order["lines"][0], **changes}] + order["lines"][1:]}


# Each bad kind: a function (a valid order to spoil) -> the NDJSON line of the spoiled record.
BAD_KINDS = {
    "total that does not add up": lambda o: _line(_with(o, total="0.01")),
    "amount of 2^63-1 satang": lambda o: _line(_with(_set_line(o, unit_price="92233720368547758.07", quantity=1),
                                                    lines=[{"sku": "A", "name": "a", "quantity": 1,
                                                            "unit_price": "92233720368547758.07"}],
                                                    shipping_fee="0.00", total="92233720368547758.07")),
    "amount of 1e309 as a number": lambda o: _line(o).replace(f'"total": "{o["total"]}"', '"total": 1e309'),
    "amount 1e309 as text": lambda o: _line(_with(o, total="1e309")),
    "quantity 2^64": lambda o: _line(_set_line(o, quantity=2 ** 64)),
    "date past year 9999 in UTC": lambda o: _line(_with(o, updated_at="9999-12-31T23:00:00-05:00")),
    "date before year 1 in UTC": lambda o: _line(_with(o, placed_at="0001-01-01T00:00:00+07:00")),
    "date before 2000": lambda o: _line(_with(o, placed_at="1999-12-31T10:00:00+07:00")),
    "date years ahead": lambda o: _line(_with(o, updated_at="2099-01-01T10:00:00+07:00")),
    "external id of 250 characters": lambda o: _line(_with(o, external_id=o["external_id"] + "x" * 250)),
    "name of 400 characters": lambda o: _line(_set_line(o, name="ช" * 400)),
    "deeply nested field": lambda o: _line(o).replace('"refunds": []', '"refunds": ' + "[" * 3000 + "]" * 3000),
    "not an object": lambda o: json.dumps([o["external_id"], 1, 2]),
}


@st.composite
def mixed_files(draw):
    goods = draw(st.integers(1, 6))
    kinds = draw(st.lists(st.sampled_from(sorted(BAD_KINDS)), min_size=1, max_size=6))
    rows: list[tuple[str, str, str | None]] = []  # (external_id, text, bad kind)
    for n in range(goods):
        lines = draw(st.lists(st.tuples(st.integers(1, 5), st.integers(100, 99_999)), min_size=1, max_size=3))
        order = _good(f"G{n}", lines, draw(st.sampled_from(["paid", "unpaid", "cancelled"])),
                      draw(st.sampled_from([0, 4000, 5000])))
        rows.append((order["external_id"], _line(order), None))
    for n, kind in enumerate(kinds):
        spoiled = BAD_KINDS[kind](_good(f"B{n}", [(1, 10_700)], "paid", 0))
        rows.append((f"B{n}", spoiled, kind))
    return draw(st.permutations(rows))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rows=mixed_files())
def test_good_orders_are_booked_and_bad_ones_listed_whatever_the_mix(engine, tmp_path, rows):
    path = tmp_path / "orders.ndjson"
    path.write_text("\n".join(text for _, text, _ in rows) + "\n", encoding="utf-8")
    source = f"mix-{abs(hash(tuple(r[1] for r in rows))) % 10**9}"

    report = take_orders(engine, read_orders(path), source=source, actor="test")

    good = {eid for eid, _, kind in rows if kind is None}
    bad = [(eid, kind) for eid, _, kind in rows if kind is not None]
    assert report.created == len(good), report.failed
    assert len(report.failed) == len(bad), ([f.as_dict() for f in report.failed], bad)
    for failure in report.failed:
        assert failure.reason and not _TECHNICAL.search(failure.reason), failure.reason
    with reading(engine) as conn:
        stored = {eid for (eid,) in conn.exec_driver_sql(
            "SELECT external_id FROM orders WHERE source = " + ("?" if engine.dialect.name == "sqlite" else "%s"),
            (source,))}
        balance = reads.trial_balance(conn)
    assert stored == good
    assert balance["total_debit"] == balance["total_credit"]
