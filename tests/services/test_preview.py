"""A dry run of an import (services/preview.py): it writes nothing, on either database, and what it
previews is what posting then makes (documents and their numbers, entries, stock movements)."""
from __future__ import annotations

import itertools
import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import httpx2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect

from shopledger.adapters.connectors.files import read_orders
from shopledger.adapters.db.rehearsal import sequence_states
from shopledger.demo.orders import demo_history, demo_orders
from shopledger.demo_shop.app import shop_transport
from shopledger.demo_shop.store import ShopStore
from shopledger.services import demo, products, sources
from shopledger.services.intake import Incoming, take_orders
from shopledger.services.preview import books_fingerprint, preview_orders, preview_sync
from shopledger.services.sync import run_source_sync
from tests.builders import make_order_dict, priced_order_dict

pytestmark = pytest.mark.db
TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)


def everything(engine) -> dict:
    """Every table's rows as the driver returns them, sorted, with alembic_version, SQLite's
    sqlite_sequence and PostgreSQL's sequences."""
    with engine.connect() as conn:
        names = sorted(inspect(conn).get_table_names())
        if engine.dialect.name == "sqlite" and conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").first():
            names.append("sqlite_sequence")
        dump = {name: sorted(repr(tuple(row)) for row in conn.exec_driver_sql(f'SELECT * FROM "{name}"'))
                for name in names}
        dump["(sequences)"] = sequence_states(conn)
        conn.rollback()
    assert "alembic_version" in dump and dump["alembic_version"]
    return dump


def _records(orders: list[dict], what: str = "demo order") -> list[Incoming]:
    return [Incoming(f"{what} {n}", order["external_id"], order) for n, order in enumerate(orders, 1)]


def _demo_books(engine) -> None:
    """The demo's company and shelves, as `shopledger demo` sets them up before its orders."""
    demo._set_company(engine)
    demo._stock_the_shelves(engine, TODAY)


def test_a_dry_run_of_the_demo_files_and_of_import_data_writes_nothing(engine, tmp_path):
    _demo_books(engine)
    sources.add_source(engine, "web", kind="shop-api", base_url="http://shop.test", token="shop-token")
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:  # a sequence never used yet must stay never used
            assert any(not called for _, called in sequence_states(conn).values())
    before = everything(engine)

    history = preview_orders(engine, _records(demo_history(TODAY)), source=demo.DEMO_SOURCE, actor="demo")
    assert history["created"] > 10 and sum(len(o["documents"]) for o in history["orders"]) > 10
    assert everything(engine) == before

    path = tmp_path / "demo.ndjson"
    path.write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in demo_orders(TODAY)), encoding="utf-8")
    as_file = preview_orders(engine, read_orders(path), source=demo.DEMO_SOURCE, actor="import demo.ndjson",
                             batch_size=7)
    assert as_file["created"] > 10 and as_file["accounts"]
    assert everything(engine) == before

    store = ShopStore(clock=lambda: NOW)
    store.seed_demo(n=30, now=NOW)
    client = httpx2.Client(transport=shop_transport(store, "shop-token"), base_url="http://shop.test")
    pulled = preview_sync(engine, "web", extra_settings={"http_client": client, "page_size": 7})
    assert pulled["status"] == "succeeded" and pulled["pages"] == 5 and pulled["created"] == 30
    assert everything(engine) == before
    assert sources.list_sources(engine)[0]["cursor"] is None


def test_a_dry_run_on_books_with_orders_writes_nothing_and_then_posts_as_previewed(engine):
    _demo_books(engine)
    take_orders(engine, _records(demo_history(TODAY)), source=demo.DEMO_SOURCE, actor="demo")
    before = everything(engine)
    latest = _records(demo_orders(TODAY))
    preview = preview_orders(engine, latest, source=demo.DEMO_SOURCE, actor="demo")
    assert any(o["voided"] for o in preview["orders"]) and preview["updated"] > 0
    assert everything(engine) == before
    assert posted_as_preview(engine, preview, latest, source=demo.DEMO_SOURCE)


def test_import_data_previewed_then_run_makes_the_previewed_books(engine):
    _demo_books(engine)
    sources.add_source(engine, "web", kind="shop-api", base_url="http://shop.test", token="shop-token")
    store = ShopStore(clock=lambda: NOW)
    store.seed_demo(n=20, now=NOW)

    def pulled(kind):
        client = httpx2.Client(transport=shop_transport(store, "shop-token"), base_url="http://shop.test")
        return kind(engine, "web", extra_settings={"http_client": client, "page_size": 6})

    preview = pulled(preview_sync)
    marks = _marks(engine)
    run = pulled(run_source_sync)
    assert run.status == "succeeded" and run.report.created == preview["created"] == 20
    assert _posted(engine, marks) == _previewed(preview)


def test_the_fingerprint_moves_when_the_books_do(engine):
    first = books_fingerprint(engine)
    assert books_fingerprint(engine) == first
    take_orders(engine, _records([make_order_dict(external_id="FP-1")]), source="import", actor="t")
    assert books_fingerprint(engine) != first


# --- preview equals posting ------------------------------------------------------------------

def _marks(engine) -> dict[str, int]:
    with engine.connect() as conn:
        marks = {name: conn.exec_driver_sql(f"SELECT COALESCE(MAX(id), 0) FROM {name}").scalar()
                 for name in ("documents", "journal_entries", "stock_movements")}
        conn.rollback()
    return marks


def _posted(engine, marks: dict[str, int]) -> dict:
    """What a post wrote, read straight from its tables (documents, entries with their lines,
    movements), in the preview's terms."""
    with engine.connect() as conn:
        q = "?" if engine.dialect.name == "sqlite" else "%s"
        documents = sorted(
            (number, kind, str(day), f"{Decimal(total) / 100:.2f}", f"{Decimal(vat) / 100:.2f}", refers_to)
            for number, kind, day, total, vat, refers_to in conn.exec_driver_sql(
                f"SELECT number, kind, date, total, vat, refers_to FROM documents WHERE id > {q}",
                (marks["documents"],)))
        lines: dict[int, list] = {}
        for entry_id, account, debit, credit in conn.exec_driver_sql(
                "SELECT l.entry_id, l.account, l.debit, l.credit FROM journal_lines l "
                f"WHERE l.entry_id > {q} ORDER BY l.id", (marks["journal_entries"],)):
            lines.setdefault(entry_id, []).append((account, f"{Decimal(debit) / 100:.2f}", f"{Decimal(credit) / 100:.2f}"))
        entries = sorted(
            (str(day), memo, document or "", tuple(lines.get(entry_id, ())))
            for entry_id, day, memo, document in conn.exec_driver_sql(
                f"SELECT id, date, memo, document_number FROM journal_entries WHERE id > {q}",
                (marks["journal_entries"],)))
        movements = sorted(
            (sku, kind, on_hand, reserved, f"{Decimal(value) / 100:.2f}")
            for sku, kind, on_hand, reserved, value in conn.exec_driver_sql(
                "SELECT sku, kind, on_hand_delta, reserved_delta, value_delta_satang FROM stock_movements "
                f"WHERE id > {q}", (marks["stock_movements"],)))
        conn.rollback()
    return {"documents": documents, "entries": entries, "movements": movements}


def _previewed(preview: dict) -> dict:
    orders = preview["orders"]
    return {
        "documents": sorted((d["number"], d["kind"], d["date"], d["total"], d["vat"], d["refers_to"])
                            for o in orders for d in o["documents"]),
        "entries": sorted((e["date"], e["memo"], e["document"] or "",
                           tuple((l["account"], l["debit"], l["credit"]) for l in e["lines"]))
                          for o in orders for e in o["entries"]),
        "movements": sorted((m["sku"], m["kind"], m["quantity"], m["reserved"], m["value"])
                            for o in orders for m in o["movements"]),
    }


def posted_as_preview(engine, preview: dict, records: list[Incoming], *, source: str, batch_size: int = 1000) -> bool:
    marks = _marks(engine)
    report = take_orders(engine, records, source=source, actor="post", batch_size=batch_size)
    assert report.as_dict() == {k: preview[k] for k in ("created", "updated", "unchanged", "failed")}
    assert _posted(engine, marks) == _previewed(preview)
    totals: dict[str, list[Decimal]] = {}
    for _, _, _, lines in _posted(engine, marks)["entries"]:
        for account, debit, credit in lines:
            sums = totals.setdefault(account, [Decimal(0), Decimal(0)])
            sums[0] += Decimal(debit)
            sums[1] += Decimal(credit)
    assert {a["account"]: [Decimal(a["debit"]), Decimal(a["credit"])] for a in preview["accounts"]} == totals
    return True


PLACED = datetime(2026, 11, 20, 10, 0, tzinfo=timezone(timedelta(hours=7)))
_examples = itertools.count()


@st.composite
def order_versions(draw, external_id: str) -> list[dict]:
    """One to three versions of an order, each a little further along its life."""
    lines = [{"sku": draw(st.sampled_from(["PV-A", "PV-B", "PV-NEW"])), "name": "สินค้า",
              "quantity": draw(st.integers(1, 3)), "unit_price": f"{draw(st.integers(0, 90_000)) / 100:.2f}"}
             for _ in range(draw(st.integers(1, 2)))]
    fee = draw(st.sampled_from(["0.00", "40.00"]))
    method = draw(st.sampled_from(["bank_transfer", "cod", "promptpay"]))
    versions, moment, paid_at = [], PLACED, None
    for step in draw(st.lists(st.sampled_from(["unpaid", "paid", "shipped", "cancelled", "refunded", "returned"]),
                              min_size=1, max_size=3)):
        moment += timedelta(hours=draw(st.sampled_from([1, 5, 30])))
        paid = step in ("paid", "shipped", "refunded", "returned") or (step == "cancelled" and paid_at is not None)
        paid_at = (paid_at or moment) if paid else None
        total_after = priced_order_dict(lines, shipping_fee=fee)["total"]
        versions.append(priced_order_dict(
            lines, shipping_fee=fee, external_id=external_id, placed_at=PLACED.isoformat(),
            updated_at=moment.isoformat(), payment_method=method,
            payment_status="refunded" if step == "refunded" else "paid" if paid else "unpaid",
            paid_at=paid_at.isoformat() if paid_at else None,
            fulfillment_status={"shipped": "shipped", "returned": "returned"}.get(step, "unfulfilled"),
            shipment={"carrier": "kerry", "tracking_number": f"K{external_id}", "shipped_at": moment.isoformat()}
            if step in ("shipped", "returned") else None,
            cancelled_at=moment.isoformat() if step == "cancelled" else None,
            refunds=[{"external_id": "R1", "amount": total_after, "created_at": moment.isoformat(), "restock": True}]
            if step == "refunded" else []))
    return versions


@st.composite
def order_files(draw):
    """A file of new orders, then a file of later versions of some of them (and new ones)."""
    n = next(_examples)
    histories = [draw(order_versions(f"PV{n}-{i}")) for i in range(draw(st.integers(1, 5)))]
    first = [versions[0] for versions in histories]
    later = [v for versions in histories for v in versions[1:]] + draw(order_versions(f"PV{n}-late"))
    if draw(st.booleans()):
        later.append(make_order_dict(external_id=f"PV{n}-bad", total="1.00"))
    return first, draw(st.permutations(later)), draw(st.sampled_from([1, 2, 1000]))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(files=order_files())
def test_posting_right_after_a_preview_makes_what_it_previewed(engine, tmp_path, files):
    if not products.stock_levels(engine):
        for sku, cost in (("PV-A", "120.00"), ("PV-B", "33.33")):
            products.add_product(engine, sku, sku, "200.00", cost)
            products.receive_stock(engine, sku, 50, cost, ref="opening")
    for orders, name in zip(files[:2], ("first", "later")):
        path = tmp_path / f"{name}.ndjson"
        path.write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in orders), encoding="utf-8")
        before = everything(engine)
        preview = preview_orders(engine, read_orders(path), source="pv", actor="t", batch_size=files[2])
        assert everything(engine) == before
        assert posted_as_preview(engine, preview, list(read_orders(path)), source="pv", batch_size=files[2])
