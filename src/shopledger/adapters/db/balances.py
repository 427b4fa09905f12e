"""Balances kept per account and day: what every account moved on each day, in satang.

Written only by `add_movements`, which `books_repo.LedgerBatch.write` calls in the same
transaction as the journal lines it sums (one upsert per account and day of a batch, by delta),
so the kept balances never differ from the lines. Statements read them: accounts x days rows,
however many millions of lines the journal holds.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, func, select, text

from shopledger.adapters.db import tables as t
from shopledger.domain.money import CENT

_b = t.account_day_balances

_UPSERT = ("INSERT INTO account_day_balances (account, day, debit, credit) VALUES ({m}, {m}, {m}, {m}) "
           "ON CONFLICT (account, day) DO UPDATE SET debit = account_day_balances.debit + excluded.debit, "
           "credit = account_day_balances.credit + excluded.credit")


def add_movements(conn: Connection, lines: Iterable[tuple[str, date, int, int]]) -> None:
    """Add (account, day, debit satang, credit satang) lines to the kept balances: summed here
    first, then one row per account and day, straight to the driver as the hot path's inserts."""
    sums: dict[tuple[str, date], list[int]] = defaultdict(lambda: [0, 0])
    for account, day, debit, credit in lines:
        cell = sums[(account, day)]
        cell[0] += debit
        cell[1] += credit
    if not sums:
        return
    sqlite = conn.dialect.name == "sqlite"
    params = [(account, day.isoformat() if sqlite else day, d, c) for (account, day), (d, c) in sorted(sums.items())]
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.executemany(_UPSERT.format(m="?" if sqlite else "%s"), params)
    finally:
        cursor.close()


def rebuild(conn: Connection) -> None:
    """The kept balances worked out again from every line (the migration's backfill; a repair)."""
    conn.execute(_b.delete())
    conn.execute(text(
        "INSERT INTO account_day_balances (account, day, debit, credit) "
        "SELECT l.account, e.date, SUM(l.debit), SUM(l.credit) FROM journal_lines l "
        "JOIN journal_entries e ON e.id = l.entry_id GROUP BY l.account, e.date"))


def _baht(satang: int | None) -> Decimal:
    return (Decimal(satang or 0) / 100).quantize(CENT)


def sums(conn: Connection, *, start: date | None = None, end: date | None = None) -> dict[str, tuple[Decimal, Decimal]]:
    """Debit and credit per account over the days from `start` to `end` (both included; None:
    no bound), as Decimal baht."""
    query = select(_b.c.account, func.sum(_b.c.debit), func.sum(_b.c.credit)).group_by(_b.c.account)
    if start is not None:
        query = query.where(_b.c.day >= start)
    if end is not None:
        query = query.where(_b.c.day <= end)
    return {account: (_baht(d), _baht(c)) for account, d, c in conn.execute(query)}


def last_day(conn: Connection) -> date | None:
    return conn.execute(select(func.max(_b.c.day))).scalar()


def per_account_and_day(conn: Connection) -> dict[tuple[str, date], tuple[int, int]]:
    """Every kept row, for checks (satang)."""
    return {(r.account, r.day): (r.debit, r.credit) for r in conn.execute(select(_b))}


def lines_per_account_and_day(conn: Connection) -> dict[tuple[str, date], tuple[int, int]]:
    """What the kept rows must equal: the lines summed per account and entry day (satang)."""
    l, e = t.journal_lines, t.journal_entries
    query = text("SELECT l.account, e.date, SUM(l.debit), SUM(l.credit) FROM journal_lines l "
                 "JOIN journal_entries e ON e.id = l.entry_id GROUP BY l.account, e.date")
    rows = conn.execute(query.columns(l.c.account, e.c.date, l.c.debit.label("d"), l.c.credit.label("c")))
    return {(account, day): (_satang(d), _satang(c)) for account, day, d, c in rows}


def _satang(value) -> int:
    """A SUM read through the Money type comes back as Decimal baht; as stored it is satang."""
    return int(value * 100) if isinstance(value, Decimal) else int(value)
