"""The merchant's settings as the domain reads them (BooksPolicy), and their defaults."""
from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, select

from shopledger.adapters.db import kept_counts
from shopledger.adapters.db import tables as t
from shopledger.adapters.db.upsert import insert_ignoring_duplicates, upsert
from shopledger.domain.accounting.chart import DEFAULT_CHART
from shopledger.domain.accounting.vat import VatRate
from shopledger.domain.sync.policy import BooksPolicy, Company

DEFAULTS: dict[str, object] = {
    "company": {"name": "ร้านของฉัน (My Shop)", "address": "", "tax_id": "", "branch": "00000"},
    "vat_registered": True,
    "payment_accounts": {},
    "closed_through": None,
    "timezone": "Asia/Bangkok",
}


def seed(conn: Connection) -> None:
    """Chart of accounts, default settings and the 7% rate; never overwrites what is there."""
    insert_ignoring_duplicates(conn, t.accounts, [
        {"code": a.code, "name_th": a.name_th, "name_en": a.name_en, "type": str(a.type)} for a in DEFAULT_CHART])
    insert_ignoring_duplicates(conn, t.settings, [{"key": k, "value": v} for k, v in DEFAULTS.items()])
    insert_ignoring_duplicates(conn, t.vat_rates, [{"rate": "7", "starts_on": date(1992, 1, 1)}])


def read_settings(conn: Connection) -> dict:
    """Every setting. A plain read (a page, a list) may use what was read a moment ago (kept_counts:
    until this process writes, at most 2 s); anything that may write reads them afresh, so a
    document is never posted on settings another process has just changed."""
    if not conn.info.get(kept_counts.READING):
        return DEFAULTS | _stored(conn)
    return copy.deepcopy(DEFAULTS | kept_counts.remembered(conn, ("settings",), lambda: _stored(conn)))


def _stored(conn: Connection) -> dict:
    return {row.key: row.value for row in conn.execute(select(t.settings))}


def write_settings(conn: Connection, values: dict) -> None:
    upsert(conn, t.settings, [{"key": k, "value": v} for k, v in values.items()], ["key"], ["value"])


# The low-stock level a product gets when it is created without one (by hand, by the API, or
# when an order names a SKU that is not a product yet); no value: such products get none.
DEFAULT_LOW_STOCK = "default_low_stock_at"


def default_low_stock_level(conn: Connection) -> int | None:
    value = conn.execute(select(t.settings.c.value).where(t.settings.c.key == DEFAULT_LOW_STOCK)).scalar()
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def load_policy(conn: Connection) -> BooksPolicy:
    values = read_settings(conn)
    rates = tuple(VatRate(Decimal(r.rate), r.starts_on) for r in conn.execute(select(t.vat_rates)))
    closed = values.get("closed_through")
    return BooksPolicy(
        vat_registered=bool(values["vat_registered"]),
        vat_rates=rates or BooksPolicy().vat_rates,
        company=Company(**values["company"]),
        payment_accounts=dict(values["payment_accounts"] or {}),
        closed_through=date.fromisoformat(closed) if closed else None,
    )


def set_vat_rate(conn: Connection, rate: Decimal, starts_on: date) -> None:
    upsert(conn, t.vat_rates, [{"rate": str(rate), "starts_on": starts_on}], ["starts_on"], ["rate"])
