"""Open alerts, in the shape of interfaces.md: {kind, subject, reason, since, action}.

Derived at read time from what the data already says (the company's particulars, stuck
orders, stock positions, products created from an unknown SKU, failed sync runs), so the import path keeps no
alert state. Only what cannot be derived later is stored (alerts table): COD statement rows
that did not match and books conflicts; those stay open until resolved.

Each alert also carries `message`: {reason, action, params}, the keys of its sentences and the
facts in them, from which the pages say the reason and the action in the person's language
(web/ui/messages.py); `reason` and `action` stay the English sentences of the CLI and REST API.

Stuck orders are counted and read per rule in the database (services/alert_segments.py):
a page or the stream of all alerts never holds every stuck order, and the grouped view
(`alert_groups`) says how many each rule holds instead of listing them.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import Connection, Engine

from shopledger.adapters.db import alerts_repo, kept_counts, settings_repo, shop_reads, stock_repo
from shopledger.adapters.db.engine import reading, writing
from shopledger.domain.clock import utc_now
from shopledger.domain.errors import NotFound
from shopledger.domain.orders.stuck import StuckRules, stuck_reasons
from shopledger.domain.stock.alerts import StockAlertKind, stock_alerts, unknown_sku_alert
from shopledger.services.alert_segments import Segment, every, group_of, listed, page_of, stuck_alert, stuck_segments
from shopledger.services.company import company_missing, how_to_set, missing_words
from shopledger.services.listing import Page
from shopledger.services.order_state import facts_of
from shopledger.services.order_views import failed_syncs, iso, stuck_rules

STORED_KINDS = ("cod_mismatch", "books_conflict")
_ORDER = ("company_not_set_up",
          "stuck_order", "sync_failed", "oversell", "low_stock", "unknown_sku", "cod_mismatch", "books_conflict")


def open_alerts(engine: Engine, now: datetime | None = None) -> list[dict]:
    """Every open alert: most urgent kind first, stuck orders rule by rule, oldest first within."""
    return list(iter_alerts(engine, now))


def iter_alerts(engine: Engine, now: datetime | None = None) -> Iterator[dict]:
    """open_alerts, yielded while the database hands the stuck orders over."""
    with reading(engine) as conn:
        yield from every(_segments(conn, now or utc_now()))


def alerts_page(engine: Engine, *, limit: int, offset: int = 0, now: datetime | None = None) -> Page:
    with reading(engine) as conn:
        segments = _segments(conn, now or utc_now())
        return Page(page_of(segments, limit, offset), sum(s.count for s in segments), offset)


def alert_groups(engine: Engine, now: datetime | None = None) -> list[dict]:
    """One line per kind (per rule for stuck orders): how many, since when, what to do, where to look."""
    with reading(engine) as conn:
        return [group_of(s) for s in _segments(conn, now or utc_now()) if s.count]


def _segments(conn: Connection, now: datetime) -> list[Segment]:
    rules, failures = stuck_rules(conn), failed_syncs(conn)
    stock, unknown = _product_alerts(conn)
    segments = [listed("company_not_set_up", _company(conn)), *stuck_segments(conn, rules, now, failures),
                listed("sync_failed", _sync_failures(conn, rules, now, failures), "/sync-runs"),
                *(listed(str(kind), [a for a in stock if a["kind"] == kind], "/stock") for kind in StockAlertKind
                  if kind is not StockAlertKind.UNKNOWN_SKU),
                listed("unknown_sku", unknown, "/stock"),
                *(_stored(conn, kind) for kind in STORED_KINDS)]
    return sorted(segments, key=lambda s: _ORDER.index(s.kind) if s.kind in _ORDER else len(_ORDER))


def resolve_alert(engine: Engine, alert_id: int, now: datetime | None = None) -> dict:
    """Close a stored alert (a COD mismatch or books conflict) someone has dealt with."""
    with writing(engine) as conn:
        row = alerts_repo.resolve_by_id(conn, alert_id, now or utc_now())
    if row is None:
        raise NotFound("alert", alert_id)
    return _stored_view(row) | {"resolved_at": iso(row.resolved_at)}


def stored_alerts(engine: Engine, kind: str, limit: int) -> list[dict]:
    """The oldest open stored alerts of a kind (each with the `id` it is resolved by)."""
    with reading(engine) as conn:
        return [_stored_view(row) for row in alerts_repo.open_rows(conn, [kind], limit=limit)]


def _alert(kind: str, subject: str, reason: str, since: datetime | None, action: str, message: dict | None = None,
           **extra) -> dict:
    return {"kind": kind, "subject": subject, "reason": reason, "since": iso(since), "action": action,
            "message": message or message_of(kind)} | extra


def message_of(reason: str, params: dict | None = None, action: str | None = None) -> dict:
    """An alert's sentences as keys and facts (web/ui/messages.py words them)."""
    return {"reason": reason, "action": action or reason, "params": params or {}}


def _company(conn: Connection) -> list[dict]:
    """Documents still come out without the seller's particulars; this says what to fill in."""
    values = settings_repo.read_settings(conn)
    missing = company_missing(values)
    if not missing:
        return []
    one = len(missing) == 1
    reason = (f"the company is not set up: its {missing_words(missing)} {'is' if one else 'are'} missing, "
              f"so the documents issued now go out without {'it' if one else 'them'}")
    if "tax_id" in missing:
        reason += " (a tax invoice must show the seller's tax id)"
    key = "company_not_set_up.tax_id" if "tax_id" in missing else "company_not_set_up"
    params = {"missing": missing, "command": how_to_set(missing).removeprefix("set it with "), "count": len(missing)}
    return [_alert("company_not_set_up", "company", reason, None, how_to_set(missing),
                   message_of(key, params, "company_not_set_up"))]


def _sync_failures(conn: Connection, rules: StuckRules, now: datetime, failures: dict) -> list[dict]:
    """A source whose latest run failed, and orders that failed in it: a stored one as its stuck
    reason says (after the sync_failed_after setting), one never stored at once."""
    found = []
    for run in shop_reads.latest_finished_runs(conn):
        if run.status == "failed":
            found.append(_alert("sync_failed", run.source, f"the last sync of {run.source} failed: {run.error}",
                                run.ended_at or run.started_at,
                                "check the source's address and token, then run the sync again",
                                message_of("sync_failed.source", {"source": run.source, "error": run.error})))
    stored = {(row.source, row.external_id): row for row in shop_reads.order_rows_by_key(conn, failures)}
    for (source, external_id), (why, when) in sorted(failures.items()):
        row = stored.get((source, external_id))
        if row is None:
            found.append(_alert("sync_failed", f"{source}:{external_id}", f"last sync failed: {why}", when,
                                "fix the order at its source, then run the sync again",
                                message_of("sync_failed.order", {"why": why})))
        else:
            found += [stuck_alert(row, r) for r in stuck_reasons(facts_of(row, 0, (why, when)), rules, now)
                      if r.kind == "sync_failed"]
    return found


def _product_alerts(conn: Connection) -> tuple[list[dict], list[dict]]:
    """Low stock, oversold and unknown SKUs: read from every product, so a list of alerts asked
    for again a moment later (nothing written since, at most 2 s) uses what was found."""
    def found() -> tuple[list[dict], list[dict]]:
        products = shop_reads.product_rows(conn)
        return _stock(conn, products), _unknown_skus(conn, products)

    if not conn.info.get(kept_counts.READING):
        return found()
    stock, unknown = kept_counts.remembered(conn, ("product_alerts",), found)
    return [dict(a) for a in stock], [dict(a) for a in unknown]


def _stock(conn: Connection, products: list) -> list[dict]:
    found = []
    for product in products:
        position = stock_repo.position_of(product)
        for alert in stock_alerts(product.sku, product.name, position, product.low_stock_at):
            oversold = alert.kind is StockAlertKind.OVERSELL
            since = product.oversold_since if oversold else product.low_since
            if since is None:  # not noted (a row written another way): replay its movements
                since = shop_reads.available_fell_at(conn, product.sku, position.available,
                                                     -1 if oversold else product.low_stock_at, product.created_at)
            found.append(_alert(str(alert.kind), alert.subject, alert.reason, since, alert.action,
                                message_of(str(alert.kind), alert.params)))
    return found


def _unknown_skus(conn: Connection, products: list) -> list[dict]:
    unknown = [p for p in products if p.created_from == "unknown_sku"]
    sellers = shop_reads.first_orders_of(conn, [p.sku for p in unknown])
    found = []
    for product in unknown:
        alert = unknown_sku_alert(product.sku, sellers.get(product.sku, "(unknown)"), product.created_at)
        found.append(_alert(str(alert.kind), alert.subject, alert.reason, alert.since, alert.action,
                            message_of(str(alert.kind), alert.params)))
    return found


def _stored(conn: Connection, kind: str) -> Segment:
    count, oldest = alerts_repo.open_summary(conn, kind)
    return Segment(kind, count,
                   lambda offset, limit: [_stored_view(r) for r in alerts_repo.open_rows(conn, [kind], limit=limit,
                                                                                          offset=offset)],
                   lambda: (_stored_view(r) for r in alerts_repo.iter_open(conn, kind)), oldest=iso(oldest),
                   link="/alerts#stored")


def _stored_view(row) -> dict:
    return _alert(row.kind, row.subject, row.reason, row.since, row.action, stored_message(row), id=row.id)


# A stored alert keeps the English sentence it was raised with; its sentence's key is in its
# `key` (cod.py: cod_mismatch:<courier>:<tracking>:<code>; order_books.py: <code>:<order>) and its
# facts in the sentence our own code wrote. What cannot be read back is shown as it was stored.
_COD_ROW = re.compile(r" statement (?P<statement>.+), line (?P<line>\d+): (?P<why>.*)$", re.S)
_COD_AMOUNTS = re.compile(r"expected (?P<expected>-?[\d.]+), statement says (?P<got>-?[\d.]+)")
_BOOKS = {
    "receipted_order_unpaid": re.compile(r"^order is (?P<status>\S+) but receipt (?P<receipt>\S+) was issued$"),
    "receipted_amount_changed": re.compile(r"total now (?P<total>-?[\d.]+)\) since receipt (?P<receipt>\S+) "
                                           r"\((?P<receipt_total>-?[\d.]+)\)"),
    "paid_after_cancellation": re.compile(r""),
    "refund_without_receipt": re.compile(r""),
}


def stored_message(row) -> dict:
    if row.kind == "cod_mismatch":
        parts = row.key.split(":")
        found = _COD_ROW.search(row.reason)
        if len(parts) >= 4 and found:
            code, place = parts[-1], ":".join(parts[2:-1])
            params = {"courier": parts[1], "statement": found["statement"], "line": int(found["line"]),
                      "tracking": "" if "#" in place else place, "why": found["why"]}
            amounts = _COD_AMOUNTS.search(found["why"]) if code == "amount_differs" else None
            if code != "amount_differs" or amounts:
                return message_of(f"cod_mismatch.{code}", params | (amounts.groupdict() if amounts else {}),
                                  "cod_mismatch")
    elif row.kind == "books_conflict":
        code = row.key.split(":", 1)[0]
        found = _BOOKS[code].search(row.reason) if code in _BOOKS else None
        if found:
            return message_of(f"books_conflict.{code}", found.groupdict())
    return message_of(row.kind, {"why": row.reason})
