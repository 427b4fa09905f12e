"""Trial balance, profit and loss, balance sheet (from the balances kept per account and day),
the general ledger of an account, and closing a year to retained earnings."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Engine, select

from shopledger.adapters.db import balances, reads, report_reads, tables as t
from shopledger.adapters.db.books_repo import LedgerBatch
from shopledger.adapters.db.engine import reading, writing
from shopledger.domain.accounting import statements as s
from shopledger.domain.accounting.chart import RETAINED_EARNINGS
from shopledger.domain.clock import business_date, utc_now
from shopledger.domain.errors import DomainError, NotFound
from shopledger.domain.money import ZERO, fmt


def trial_balance(engine: Engine, as_of: date | None = None) -> dict:
    with reading(engine) as conn:
        return reads.trial_balance(conn, as_of)


def profit_and_loss(engine: Engine, start: date, end: date) -> dict:
    """The period's movements less the year-closing entries in it (closing is not a loss)."""
    s.check_period(start, end)
    with reading(engine) as conn:
        sums = balances.sums(conn, start=start, end=end)
        closing = report_reads.lines_of_cause(conn, s.YEAR_CLOSE + ":", start, end)
        return s.profit_and_loss(report_reads.chart(conn), _less(sums, closing), start, end)


def _less(sums: s.Sums, taken: s.Sums) -> s.Sums:
    out = dict(sums)
    for account, (debit, credit) in taken.items():
        d, c = out.get(account, (ZERO, ZERO))
        out[account] = (d - debit, c - credit)
    return out


def balance_sheet(engine: Engine, as_of: date) -> dict:
    with reading(engine) as conn:
        return s.balance_sheet(report_reads.chart(conn), balances.sums(conn, end=as_of), as_of)


def ledger(engine: Engine, account: str, start: date, end: date) -> dict:
    """Opening balance (kept balances before `start`), each line with its running balance
    (debit - credit), closing balance."""
    s.check_period(start, end)
    with reading(engine) as conn:
        if conn.execute(select(t.accounts.c.code).where(t.accounts.c.code == account)).scalar() is None:
            raise NotFound("account", account)
        debit, credit = balances.sums(conn, end=start - timedelta(days=1)).get(account, (ZERO, ZERO))
        opening = running = debit - credit
        lines = []
        for r in report_reads.ledger_lines(conn, account, start, end):
            running += r.debit - r.credit
            lines.append({"date": r.date.isoformat(), "entry": r.entry, "document": r.document_number,
                          "memo": r.memo, "debit": fmt(r.debit), "credit": fmt(r.credit), "balance": fmt(running)})
        return {"account": account, "from": start.isoformat(), "to": end.isoformat(), "opening": fmt(opening),
                "lines": lines, "closing": fmt(running)}


def close_year(engine: Engine, year: int, *, now: datetime | None = None) -> dict:
    """Revenue and expense accounts closed to 321101 by an entry dated 31 December. Closing again
    posts only what was booked into the year since (nothing: the same answer, no entry)."""
    now = now or utc_now()
    if not 1900 <= year <= 9998:
        raise DomainError("invalid_year", f"year {year} is not a year of the books")
    if business_date(now) <= date(year, 12, 31):
        raise DomainError("year_not_over", f"{year} is not over yet: close it from {year + 1}-01-01 on")
    cause = f"{s.YEAR_CLOSE}:{year}"
    with writing(engine) as conn:
        earlier = report_reads.entries_with_cause(conn, cause)
        draft = s.year_close(year, report_reads.chart(conn), balances.sums(conn, end=date(year, 12, 31)))
        if draft is not None:
            batch = LedgerBatch()
            batch.add_entry(None, cause if not earlier else f"{cause}:{len(earlier) + 1}", draft, now)
            batch.write(conn)
            earlier = report_reads.entries_with_cause(conn, cause)
        moved = sum((l.credit - l.debit for e in earlier for l in e["lines"] if l.account == RETAINED_EARNINGS), ZERO)
        return {"year": year, "entry": earlier[-1]["id"] if earlier else None, "retained_earnings": fmt(moved)}
