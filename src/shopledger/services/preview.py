"""A dry run of an import: what posting would do, worked out by posting, and nothing kept.

The file's (or the pull's) orders go through the very intake an import uses, inside one
rehearsal (adapters/db/rehearsal.py): a transaction under the books' lock that is rolled back,
PostgreSQL's sequences put back. Before the rollback, what the intake wrote is read back: the
documents with the numbers they got, the entries and their lines, the stock movements with their
cost, the alerts. So a preview is exactly what posting does now, numbers included; posting
differs only if the books change in between, which `books_fingerprint` tells.

Nothing escapes: no statistics are gathered (intake.KeptStatistics skips a rehearsal), no run is
recorded, no cursor moves, no job is queued, and no worker process is used.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, func, select

from shopledger.adapters.db import sync_repo, tables as t
from shopledger.adapters.db.engine import reading
from shopledger.adapters.db.rehearsal import Rehearsal, rehearsing
from shopledger.domain.clock import utc_now
from shopledger.domain.errors import DomainError, NotFound
from shopledger.domain.money import ZERO, fmt
from shopledger.domain.sync.connector import CONNECTORS, ConnectorRegistry, resume_from
from shopledger.services.intake import Incoming, take_orders

# The tables whose newest row says the books moved on (with the counters and settings below).
_MARKED = (t.orders, t.order_events, t.documents, t.journal_entries, t.stock_movements, t.alerts)


def preview_orders(engine: Engine, records: Iterable[Incoming], *, source: str, actor: str,
                   batch_size: int = 1000, orders_shown: int | None = None,
                   now: Callable[[], datetime] = utc_now) -> dict:
    """What importing `records` would do, as `import --json` answers plus the plan per order and
    the totals per account (docs/imports.md). `orders_shown`: at most so many
    orders in detail (all when None); `orders_total` says how many there are."""
    with rehearsing(engine) as rehearsal:
        return _rehearse(rehearsal, records, source, actor, batch_size, orders_shown, now)


def _rehearse(rehearsal: Rehearsal, records: Iterable[Incoming], source: str, actor: str, batch_size: int,
              orders_shown: int | None, now: Callable[[], datetime]) -> dict:
    conn = rehearsal.conn
    marks, started, books = _marks(conn), now(), _fingerprint(conn)
    report = take_orders(rehearsal, records, source=source, actor=actor, batch_size=batch_size, now=now)
    written = _written(conn, marks, started, orders_shown)
    return {"dry_run": True, **report.as_dict(), **written, "books": books}


def preview_sync(engine: Engine, source_name: str, *, connectors: ConnectorRegistry = CONNECTORS,
                 extra_settings: Mapping[str, Any] | None = None, flush_at: int = 1000,
                 orders_shown: int | None = None, now: Callable[[], datetime] = utc_now) -> dict:
    """Import Data as a dry run: the source is pulled from its cursor as a run would, and its
    orders previewed; no run is recorded and the cursor stays where it is. A pull that fails
    part-way previews what was read and says why (`status` failed, `error`)."""
    with reading(engine) as conn:
        source = sync_repo.source_by_name(conn, source_name, with_secrets=True)
    if source is None:
        raise NotFound("source", source_name)
    settings = {"base_url": source.base_url, "token": source.token, "name": source.name} | dict(extra_settings or {})
    records, pages, error = [], 0, None
    # Pulled whole before the rehearsal takes the books' lock: other writers never wait on the shop.
    try:
        for page in connectors.create(source.kind, settings).pull(resume_from(source.cursor)):
            pages += 1
            records += [Incoming(f"page {page.number}", r.external_id, r.data, r.error, r.received)
                        for r in page.records]
    except DomainError as failure:
        error = failure.message
    except Exception as failure:  # noqa: BLE001 - said as a run would say it, never silently
        error = f"unexpected error: {type(failure).__name__}: {failure}"
    preview = preview_orders(engine, records, source=source.name, actor="sync dry run", batch_size=flush_at,
                             orders_shown=orders_shown, now=now)
    return preview | {"source": source.name, "pages": pages, "status": "failed" if error else "succeeded",
                      "error": error}


def books_fingerprint(engine: Engine) -> str:
    """What posting starts from, in a few characters: the newest order, event, document, entry,
    movement and alert, the number counters, the settings and the stock. A preview carries it;
    a post that finds it changed is not the post that was previewed."""
    with reading(engine) as conn:
        return _fingerprint(conn)


def _fingerprint(conn: Connection) -> str:
    facts: list = [conn.execute(select(func.max(table.c.id))).scalar() for table in _MARKED]
    seq = t.document_sequences
    facts.append([list(r) for r in conn.execute(select(seq.c.prefix, seq.c.period, seq.c.next_no)
                                                .order_by(seq.c.prefix, seq.c.period))])
    facts.append([[r.key, r.value] for r in conn.execute(select(t.settings).order_by(t.settings.c.key))])
    facts.append([[r.rate, r.starts_on] for r in conn.execute(select(t.vat_rates).order_by(t.vat_rates.c.starts_on))])
    p = t.products
    facts.append(list(conn.execute(select(func.count(), func.sum(p.c.cost), func.sum(p.c.on_hand),
                                          func.sum(p.c.reserved), func.sum(p.c.value_satang))).one()))
    text = orjson.dumps(facts, default=str, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(text).hexdigest()[:20]


def _marks(conn: Connection) -> dict[str, int]:
    return {table.name: conn.execute(select(func.max(table.c.id))).scalar() or 0 for table in _MARKED}


def _written(conn: Connection, marks: dict[str, int], started: datetime, orders_shown: int | None) -> dict:
    """What the rehearsal wrote, read back before the rollback: per order, and per account."""
    o, ev = t.orders, t.order_events
    first_event = (select(ev.c.order_id, func.min(ev.c.id).label("first")).where(ev.c.id > marks["order_events"])
                   .group_by(ev.c.order_id).subquery())
    touched = select(o.c.id, o.c.source, o.c.external_id).join(first_event, first_event.c.order_id == o.c.id) \
        .order_by(first_event.c.first)
    total = conn.execute(select(func.count()).select_from(first_event)).scalar_one()
    if orders_shown is not None:
        touched = touched.limit(orders_shown)
    orders = {row.id: {"source": row.source, "external_id": row.external_id,
                       "outcome": "created" if row.id > marks["orders"] else "updated",
                       "documents": [], "voided": [], "entries": [], "movements": [], "alerts": []}
              for row in conn.execute(touched)}
    _documents(conn, marks, orders, total)
    _entries(conn, marks, orders, total)
    _movements(conn, marks, orders, total)
    _alerts(conn, marks, orders)
    return {"orders": list(orders.values()), "orders_total": total, "accounts": _accounts(conn, marks),
            "new_products": _new_products(conn, started)}


def _of_shown(column, orders: dict, total: int):
    """Rows of the orders shown: filtered by id only when some are left out (then they are few;
    a list of every order of a big file would be too many parameters for SQLite)."""
    return column.in_(list(orders)) if len(orders) < total else column.isnot(None)


def _in_parts(values: list, size: int = 500) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _documents(conn: Connection, marks: dict[str, int], orders: dict, total: int) -> None:
    d, ev = t.documents, t.order_events
    if not orders:
        return
    for row in conn.execute(select(d).where(d.c.id > marks["documents"], _of_shown(d.c.order_id, orders, total))
                            .order_by(d.c.id)):
        orders[row.order_id]["documents"].append({
            "number": row.number, "kind": row.kind, "date": row.date.isoformat(), "total": fmt(row.total),
            "vat": fmt(row.vat), "refers_to": row.refers_to})
    voided: dict[int, list[str]] = defaultdict(list)
    for row in conn.execute(select(ev.c.order_id, ev.c.detail).where(ev.c.id > marks["order_events"],
                                                                     _of_shown(ev.c.order_id, orders, total))
                            .order_by(ev.c.id)):
        voided[row.order_id] += (row.detail or {}).get("voided", [])
    numbers = [n for ns in voided.values() for n in ns]
    if numbers:
        held = {r.number: r for part in _in_parts(numbers)
                for r in conn.execute(select(d.c.number, d.c.kind, d.c.voided_on).where(d.c.number.in_(part)))}
        for order_id, ns in voided.items():
            orders[order_id]["voided"] = [{"number": n, "kind": held[n].kind,
                                           "voided_on": held[n].voided_on.isoformat() if held[n].voided_on else None}
                                          for n in ns if n in held]


def _entries(conn: Connection, marks: dict[str, int], orders: dict, total: int) -> None:
    e, l = t.journal_entries, t.journal_lines
    if not orders:
        return
    heads = list(conn.execute(select(e).where(e.c.id > marks["journal_entries"], _of_shown(e.c.order_id, orders, total))
                              .order_by(e.c.id)))
    if not heads:
        return
    lines: dict[int, list[dict]] = defaultdict(list)
    shown = {h.id for h in heads}
    for row in conn.execute(select(l).where(l.c.entry_id.between(heads[0].id, heads[-1].id)).order_by(l.c.id)):
        if row.entry_id in shown:
            lines[row.entry_id].append({"account": row.account, "debit": fmt(row.debit), "credit": fmt(row.credit)})
    reversed_ids = [h.reverses_id for h in heads if h.reverses_id is not None]
    reversed_docs = {i: n for part in _in_parts(reversed_ids)
                     for i, n in conn.execute(select(e.c.id, e.c.document_number).where(e.c.id.in_(part)))}
    for h in heads:
        orders[h.order_id]["entries"].append({
            "date": h.date.isoformat(), "memo": h.memo, "event": h.event, "document": h.document_number,
            "reverses": reversed_docs.get(h.reverses_id) if h.reverses_id is not None else None,
            "lines": lines[h.id]})


def _movements(conn: Connection, marks: dict[str, int], orders: dict, total: int) -> None:
    m = t.stock_movements
    if not orders:
        return
    for row in conn.execute(select(m).where(m.c.id > marks["stock_movements"], _of_shown(m.c.order_id, orders, total))
                            .order_by(m.c.id)):
        value = Decimal(row.value_delta_satang) / 100
        unit = (value / row.on_hand_delta).quantize(Decimal("0.01")) if row.on_hand_delta else None
        orders[row.order_id]["movements"].append({
            "sku": row.sku, "kind": row.kind, "quantity": row.on_hand_delta, "reserved": row.reserved_delta,
            "unit_cost": fmt(abs(unit)) if unit is not None else None, "value": fmt(value)})


def _alerts(conn: Connection, marks: dict[str, int], orders: dict) -> None:
    a = t.alerts
    by_subject = {f"{o['source']}:{o['external_id']}": o for o in orders.values()}
    for row in conn.execute(select(a).where(a.c.id > marks["alerts"]).order_by(a.c.id)):
        if row.subject in by_subject:
            by_subject[row.subject]["alerts"].append({"kind": row.kind, "reason": row.reason, "action": row.action})


def _accounts(conn: Connection, marks: dict[str, int]) -> list[dict]:
    """Every line the rehearsal posted, added up per account (all orders, shown or not)."""
    e, l, acc = t.journal_entries, t.journal_lines, t.accounts
    sums = (select(l.c.account, func.sum(l.c.debit).label("debit"), func.sum(l.c.credit).label("credit"))
            .join(e, e.c.id == l.c.entry_id).where(e.c.id > marks["journal_entries"]).group_by(l.c.account)
            .subquery())
    rows = conn.execute(select(sums, acc.c.name_th, acc.c.name_en).join(acc, acc.c.code == sums.c.account)
                        .order_by(sums.c.account))
    return [{"account": r.account, "name": r.name_th, "name_en": r.name_en, "debit": fmt(r.debit or ZERO),
             "credit": fmt(r.credit or ZERO)} for r in rows]


def _new_products(conn: Connection, started: datetime) -> list[dict]:
    """Products an order's unknown SKU would add."""
    p = t.products
    return [{"sku": r.sku, "name": r.name} for r in conn.execute(
        select(p.c.sku, p.c.name).where(p.c.created_from == "unknown_sku", p.c.created_at >= started)
        .order_by(p.c.sku))]
