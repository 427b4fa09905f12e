"""The accountant's month (reports.md), as plain functions of what the books hold: periods,
profit and loss, balance sheet, aging buckets, and the entries that settle VAT and close a year.

Amounts in and out are Decimal baht; the shapes returned are those of reports.md with money as
decimal strings (fmt)."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from shopledger.domain.accounting.chart import (
    BANK, INPUT_VAT, OUTPUT_VAT, RETAINED_EARNINGS, VAT_PAYABLE, VAT_REFUNDABLE,
)
from shopledger.domain.accounting.journal import EntryDraft, JournalLine, cr, dr, entry
from shopledger.domain.errors import DomainError
from shopledger.domain.money import ZERO, fmt

Sums = dict[str, tuple[Decimal, Decimal]]  # account -> (debit, credit)

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
COST_OF_SALES_PREFIX = "51"
BUCKETS = ("0-30", "31-60", "61-90", "90+")
VAT_SETTLEMENT = "vat_settlement"
VAT_PAYMENT = "vat_payment"
YEAR_CLOSE = "year_close"


@dataclass(frozen=True, slots=True)
class Month:
    year: int
    month: int

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def previous_last(self) -> date:
        return self.first - timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def parse_month(text: str) -> Month:
    """'2026-11' -> Month; anything else is `invalid_month`."""
    found = _MONTH.match(str(text or "").strip())
    if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1900:
        raise DomainError("invalid_month", f"month {str(text)[:20]!r} is not YYYY-MM (e.g. 2026-11)")
    return Month(int(found.group(1)), int(found.group(2)))


def parse_day(text: str, what: str = "date") -> date:
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise DomainError("invalid_date", f"{what} {str(text)[:20]!r} is not YYYY-MM-DD") from None


def check_period(start: date, end: date) -> None:
    if end < start:
        raise DomainError("invalid_period", f"the period ends ({end}) before it starts ({start})")


@dataclass(frozen=True, slots=True)
class ChartAccount:
    code: str
    name_th: str
    name_en: str
    type: str


def _row(acc: ChartAccount, amount: Decimal) -> dict:
    return {"code": acc.code, "name": acc.name_th, "name_en": acc.name_en, "amount": fmt(amount)}


def _total(rows: list[dict]) -> Decimal:
    return sum((Decimal(r["amount"]) for r in rows), ZERO)


def profit_and_loss(chart: list[ChartAccount], sums: Sums, start: date, end: date) -> dict:
    """Revenue (net of returns, 412101 a negative row), cost of sales, gross profit, expenses by
    account, net profit; amounts positive as a reader expects. `sums`: the period's movements."""
    revenue, cost, expenses = [], [], []
    for acc in chart:
        debit, credit = sums.get(acc.code, (ZERO, ZERO))
        if not (debit or credit):
            continue
        if acc.type == "revenue":
            revenue.append(_row(acc, credit - debit))
        elif acc.type == "expense":
            (cost if acc.code.startswith(COST_OF_SALES_PREFIX) else expenses).append(_row(acc, debit - credit))
    total_revenue, total_cost, total_expenses = _total(revenue), _total(cost), _total(expenses)
    gross = total_revenue - total_cost
    return {"from": start.isoformat(), "to": end.isoformat(), "revenue": revenue, "total_revenue": fmt(total_revenue),
            "cost_of_sales": cost, "total_cost_of_sales": fmt(total_cost), "gross_profit": fmt(gross),
            "expenses": expenses, "total_expenses": fmt(total_expenses), "net_profit": fmt(gross - total_expenses)}


def balance_sheet(chart: list[ChartAccount], sums: Sums, as_of: date) -> dict:
    """Assets, liabilities, equity as of a day; revenue and expenses not yet closed to 321101 are
    the current year's earnings, so assets = liabilities + equity to the satang."""
    assets, liabilities, equity = [], [], []
    earnings = ZERO
    for acc in chart:
        debit, credit = sums.get(acc.code, (ZERO, ZERO))
        if acc.type in ("revenue", "expense"):
            earnings += credit - debit
        elif debit != credit:
            if acc.type == "asset":
                assets.append(_row(acc, debit - credit))
            elif acc.type == "liability":
                liabilities.append(_row(acc, credit - debit))
            else:
                equity.append(_row(acc, credit - debit))
    return {"as_of": as_of.isoformat(), "assets": assets, "total_assets": fmt(_total(assets)),
            "liabilities": liabilities, "total_liabilities": fmt(_total(liabilities)),
            "equity": equity, "current_year_earnings": fmt(earnings),
            "total_equity": fmt(_total(equity) + earnings)}


def bucket(days: int) -> str:
    if days <= 30:
        return BUCKETS[0]
    if days <= 60:
        return BUCKETS[1]
    if days <= 90:
        return BUCKETS[2]
    return BUCKETS[3]


def aging(as_of: date, rows: list[dict]) -> dict:
    """`rows`: {"subject", "amount" (Decimal), "since" (date), ...}; oldest first, with buckets."""
    shown, buckets, total = [], dict.fromkeys(BUCKETS, ZERO), ZERO
    for row in sorted(rows, key=lambda r: (r["since"], r["subject"])):
        days = max((as_of - row["since"]).days, 0)
        name = bucket(days)
        buckets[name] += row["amount"]
        total += row["amount"]
        extra = {k: v for k, v in row.items() if k not in ("subject", "amount", "since")}
        shown.append({"subject": row["subject"], "amount": fmt(row["amount"]), "days": days, "bucket": name,
                      "since": row["since"].isoformat()} | extra)
    return {"as_of": as_of.isoformat(), "rows": shown, "buckets": {k: fmt(v) for k, v in buckets.items()},
            "total": fmt(total)}


# --- VAT: the PP30 worksheet, settling the month, paying the Revenue Department ---------------

def pp30(month: Month, *, taxable: Decimal, zero_rated: Decimal, exempt: Decimal, output_vat: Decimal,
         purchases: Decimal, input_vat: Decimal, brought_forward: Decimal) -> dict:
    """ภ.พ.30 as a worksheet: payable or excess this month, then net of the excess brought forward."""
    difference = output_vat - input_vat
    payable, excess = max(difference, ZERO), max(-difference, ZERO)
    used = min(payable, brought_forward)
    return {"month": str(month),
            "sales": {"taxable": fmt(taxable), "zero_rated": fmt(zero_rated), "exempt": fmt(exempt),
                      "total": fmt(taxable + zero_rated + exempt)},
            "output_vat": fmt(output_vat), "purchases": fmt(purchases), "input_vat": fmt(input_vat),
            "payable": fmt(payable), "excess": fmt(excess), "brought_forward": fmt(brought_forward),
            "net_payable": fmt(payable - used), "net_excess": fmt(excess + brought_forward - used)}


def vat_settlement(month: Month, day: date, output_vat: Decimal, input_vat: Decimal
                   ) -> tuple[EntryDraft | None, Decimal, Decimal]:
    """Dr 213101 the month's output VAT, Cr 115101 its input VAT, the difference Cr 213301 (payable)
    or Dr 115201 (refundable). `output_vat`/`input_vat`: what is left in the month (credit - debit
    of 213101, debit - credit of 115101); either may be negative after a late correction."""
    difference = output_vat - input_vat
    payable, refundable = max(difference, ZERO), max(-difference, ZERO)
    lines = [_side(OUTPUT_VAT, output_vat), _side(INPUT_VAT, -input_vat), cr(VAT_PAYABLE, payable),
             dr(VAT_REFUNDABLE, refundable)]
    draft = entry(day, f"VAT settled for {month} (ภ.พ.30)", VAT_SETTLEMENT, *lines)
    return draft, payable, refundable


def _side(account: str, amount: Decimal) -> JournalLine:
    """A debit of `amount`, or a credit of its opposite when it is negative."""
    return dr(account, amount) if amount >= 0 else cr(account, -amount)


def vat_payment(month: Month, day: date, owed: Decimal, refundable: Decimal, account: str = BANK
                ) -> tuple[EntryDraft | None, Decimal, Decimal]:
    """Paying the month's VAT: Dr 213301 what is owed, Cr 115201 the excess brought forward used
    against it, Cr the paying account for the rest. Returns (entry, paid, excess left)."""
    used = min(owed, max(refundable, ZERO))
    paid = owed - used
    draft = entry(day, f"VAT paid for {month} (ภ.พ.30)", VAT_PAYMENT, dr(VAT_PAYABLE, owed),
                  cr(VAT_REFUNDABLE, used), cr(account, paid))
    return draft, paid, refundable - used


def year_close(year: int, chart: list[ChartAccount], sums: Sums) -> EntryDraft | None:
    """Revenue and expense accounts closed to 321101 retained earnings, dated 31 December."""
    lines, earnings = [], ZERO
    for acc in chart:
        if acc.type not in ("revenue", "expense"):
            continue
        debit, credit = sums.get(acc.code, (ZERO, ZERO))
        if debit == credit:
            continue
        lines.append(_side(acc.code, credit - debit))  # a credit balance is closed by a debit
        earnings += credit - debit
    if not lines:
        return None
    lines.append(_side(RETAINED_EARNINGS, -earnings))
    return entry(date(year, 12, 31), f"Year {year} closed to retained earnings", YEAR_CLOSE, *lines)
