"""Open alerts, in the shape of interfaces.md: {kind, subject, reason, since, action}.

Derived at read time from what the data already says (the company's particulars, stuck
orders, stock positions, products created from an unknown SKU, failed sync runs), so the import path keeps no
alert state. Only what cannot be derived later is stored (alerts table): COD statement rows
that did not match and books conflicts; those stay open until resolved.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine

from shopledger.adapters.db import alerts_repo, settings_repo, shop_reads, stock_repo
from shopledger.adapters.db.engine import reading, writing
from shopledger.domain.clock import utc_now
from shopledger.domain.errors import NotFound
from shopledger.domain.stock.alerts import StockAlertKind, stock_alerts, unknown_sku_alert
from shopledger.services.company import company_missing, how_to_set, missing_words
from shopledger.services.order_views import failed_syncs, iso, stuck_orders

STORED_KINDS = ("cod_mismatch", "books_conflict")
_ORDER = ("company_not_set_up",
          "stuck_order", "sync_failed", "oversell", "low_stock", "unknown_sku", "cod_mismatch", "books_conflict")


def open_alerts(engine: Engine, now: datetime | None = None) -> list[dict]:
    """Every open alert, grouped by kind (most urgent first), oldest first within a kind."""
    now = now or utc_now()
    with reading(engine) as conn:
        products = shop_reads.product_rows(conn)
        found = (_company(conn) + _stuck(conn, now) + _sync_failures(conn) + _stock(conn, products)
                 + _unknown_skus(conn, products) + _stored(conn))
    return sorted(found, key=lambda a: (_ORDER.index(a["kind"]) if a["kind"] in _ORDER else len(_ORDER),
                                        a["since"] or "", a["subject"]))


def resolve_alert(engine: Engine, alert_id: int, now: datetime | None = None) -> dict:
    """Close a stored alert (a COD mismatch or books conflict) someone has dealt with."""
    with writing(engine) as conn:
        row = alerts_repo.resolve_by_id(conn, alert_id, now or utc_now())
    if row is None:
        raise NotFound("alert", alert_id)
    return _stored_view(row) | {"resolved_at": iso(row.resolved_at)}


def _alert(kind: str, subject: str, reason: str, since: datetime | None, action: str, **extra) -> dict:
    return {"kind": kind, "subject": subject, "reason": reason, "since": iso(since), "action": action} | extra


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
    return [_alert("company_not_set_up", "company", reason, None, how_to_set(missing))]


def _stuck(conn: Connection, now: datetime) -> list[dict]:
    return [_alert(r.kind, f"{row.source}:{row.external_id}", r.reason, r.since, r.action, code=r.code)
            for row, reasons in stuck_orders(conn, now) for r in reasons]


def _sync_failures(conn: Connection) -> list[dict]:
    """A source whose latest run failed, and orders that failed in it but were never stored
    (a stored one already carries its failure among its stuck reasons)."""
    found = []
    for run in shop_reads.latest_finished_runs(conn):
        if run.status == "failed":
            found.append(_alert("sync_failed", run.source, f"the last sync of {run.source} failed: {run.error}",
                                run.ended_at or run.started_at,
                                "check the source's address and token, then run the sync again"))
    failures = failed_syncs(conn)
    stored = {(row.source, row.external_id) for row in shop_reads.order_rows_by_key(conn, failures)}
    for (source, external_id), (why, when) in sorted(failures.items()):
        if (source, external_id) not in stored:
            found.append(_alert("sync_failed", f"{source}:{external_id}", f"last sync failed: {why}", when,
                                "fix the order at its source, then run the sync again"))
    return found


def _stock(conn: Connection, products: list) -> list[dict]:
    found = []
    for product in products:
        position = stock_repo.position_of(product)
        for alert in stock_alerts(product.sku, product.name, position, product.low_stock_at):
            level = -1 if alert.kind is StockAlertKind.OVERSELL else product.low_stock_at
            since = shop_reads.available_fell_at(conn, product.sku, position.available, level, product.created_at)
            found.append(_alert(str(alert.kind), alert.subject, alert.reason, since, alert.action))
    return found


def _unknown_skus(conn: Connection, products: list) -> list[dict]:
    unknown = [p for p in products if p.created_from == "unknown_sku"]
    sellers = shop_reads.first_orders_of(conn, [p.sku for p in unknown])
    found = []
    for product in unknown:
        alert = unknown_sku_alert(product.sku, sellers.get(product.sku, "(unknown)"), product.created_at)
        found.append(_alert(str(alert.kind), alert.subject, alert.reason, alert.since, alert.action))
    return found


def _stored(conn: Connection) -> list[dict]:
    return [_stored_view(row) for row in alerts_repo.open_rows(conn, STORED_KINDS)]


def _stored_view(row) -> dict:
    return _alert(row.kind, row.subject, row.reason, row.since, row.action, id=row.id)
