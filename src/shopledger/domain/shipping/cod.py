"""Cash on delivery: a courier's payout statement, matched to orders and booked.

Statement rows arrive already read (CSV/XLSX -> dicts of strings, headers as in the file);
headers are matched loosely because every courier names its columns differently.

Decisions a statement does not settle on its own:
- the fee column INCLUDES 7% VAT (Thai couriers invoice their COD fee VAT-inclusive), so
  the VAT in it is claimed as input VAT and only the rest is an expense;
- dates are day/month/year (the Thai way, never month/day), ISO is accepted, and a year
  above 2400 is a Buddhist Era year (2569 -> 2026);
- a fee printed negative (a deduction) is taken as its size;
- only tracking and COD amount are required columns; fee defaults to 0, date to None.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from shopledger.domain.accounting.chart import BANK, COD_FEES, COD_RECEIVABLE, INPUT_VAT
from shopledger.domain.accounting.journal import EntryDraft, cr, dr, entry
from shopledger.domain.clock import business_date
from shopledger.domain.errors import DomainError
from shopledger.domain.limits import MAX_AMOUNT, MAX_TOTAL
from shopledger.domain.money import ZERO, MoneyError, fmt, parse_money, round_half_up
from shopledger.domain.shipping.carriers import fold, normalize_tracking

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "tracking": ("tracking", "tracking_no", "tracking number", "tracking id", "awb",
                 "เลขพัสดุ", "เลขที่พัสดุ", "หมายเลขพัสดุ"),
    "cod": ("cod", "cod amount", "amount", "cod value", "ยอดเก็บเงิน", "ยอดเก็บเงินปลายทาง", "ยอด cod"),
    "fee": ("fee", "cod fee", "fee amount", "ค่าธรรมเนียม", "ค่าธรรมเนียม cod"),
    "date": ("date", "paid date", "date paid", "payment date", "transfer date", "remit date",
             "วันที่โอน", "วันที่ชำระ"),
}
_REQUIRED = ("tracking", "cod")
_ALIAS_TO_FIELD = {fold(alias): name for name, aliases in HEADER_ALIASES.items() for alias in aliases}


@dataclass(frozen=True, slots=True)
class StatementRow:
    line: int          # the row's line in the file, the header being line 1
    tracking: str
    cod: Decimal
    fee: Decimal
    paid_on: date | None


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int
    tracking: str
    reason: str


def map_headers(headers: Iterable[str]) -> dict[str, str]:
    """field name -> the header the file used for it; the first matching column wins."""
    found: dict[str, str] = {}
    for header in headers:
        name = _ALIAS_TO_FIELD.get(fold(header))
        if name and name not in found:
            found[name] = header
    return found


def _amount(text: str, field: str, limit: Decimal) -> Decimal:
    cleaned = (text or "").replace("฿", "").replace("THB", "").strip()
    return parse_money(cleaned or "0", field=field, limit=limit)


_DMY = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$")
_YMD = re.compile(r"^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})$")


def parse_paid_date(text: str) -> date | None:
    """Year first or day/month/year (a time after the date is ignored); a BE year is converted."""
    text = (text or "").strip()
    if not text:
        return None
    head = text.split()[0].split("T")[0]
    if match := _YMD.match(head):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DMY.match(head):
        day, month, year = (int(part) for part in match.groups())
    else:
        raise ValueError(f"date {text!r} is not day/month/year or YYYY-MM-DD")
    if year > 2400:
        year -= 543
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"date {text!r} is not a real day") from None


def _parse_row(line: int, row: Mapping[str, str], columns: Mapping[str, str]) -> StatementRow | RowProblem:
    tracking = normalize_tracking(row.get(columns["tracking"]) or "")
    if not tracking:
        return RowProblem(line, "", "no tracking number")
    try:
        cod = _amount(row.get(columns["cod"]) or "", "COD amount", MAX_TOTAL)
        fee = abs(_amount(row.get(columns["fee"], "") if "fee" in columns else "", "fee", MAX_AMOUNT))
        paid_on = parse_paid_date(row.get(columns["date"], "")) if "date" in columns else None
    except (MoneyError, ValueError) as problem:
        return RowProblem(line, tracking, str(problem))
    if cod <= ZERO:
        return RowProblem(line, tracking, f"COD amount {fmt(cod)} is not positive")
    return StatementRow(line, tracking, cod, fee, paid_on)


def _blank(row: Mapping[str, str]) -> bool:
    return not any((value or "").strip() for value in row.values())


def parse_statement(rows: Sequence[Mapping[str, str]]) -> list[StatementRow | RowProblem]:
    """Each non-blank row -> a StatementRow or the reason it could not be read.

    Raises `statement_columns_missing` when there is no tracking or COD amount column:
    that is the file's problem, not one row's.
    """
    headers = list(dict.fromkeys(header for row in rows for header in row))
    columns = map_headers(headers)
    missing = [name for name in _REQUIRED if name not in columns]
    if rows and missing:
        raise DomainError("statement_columns_missing",
                          f"the statement has no {' or '.join(missing)} column",
                          {"missing": missing, "headers": headers})
    return [_parse_row(index + 2, row, columns)
            for index, row in enumerate(rows) if not _blank(row)]


@dataclass(frozen=True, slots=True)
class CodExpectation:
    """What we expect a courier to pay for one parcel."""

    order_key: str
    amount: Decimal
    remitted: bool = False


@dataclass(frozen=True, slots=True)
class CodMatch:
    row: StatementRow
    order_key: str


@dataclass(frozen=True, slots=True)
class CodMismatch:
    """A statement row not booked. `code`: unreadable_row, duplicate_row, unknown_tracking,
    already_remitted, amount_differs."""

    line: int
    tracking: str
    code: str
    reason: str
    order_key: str | None = None


def _check(row: StatementRow, expected: CodExpectation | None) -> tuple[str, str] | None:
    if expected is None:
        return "unknown_tracking", f"unknown tracking number {row.tracking}"
    if expected.remitted:
        return "already_remitted", f"{row.tracking} was already remitted"
    if row.cod != expected.amount:
        return ("amount_differs", f"amount differs (expected {fmt(expected.amount)}, "
                                  f"statement says {fmt(row.cod)})")
    return None


def match_rows(rows: Iterable[StatementRow | RowProblem],
               expected: Mapping[str, CodExpectation]) -> tuple[list[CodMatch], list[CodMismatch]]:
    """Match rows to parcels by tracking number; a parcel is matched once per statement."""
    by_tracking = {normalize_tracking(key): value for key, value in expected.items()}
    matched: list[CodMatch] = []
    mismatches: list[CodMismatch] = []
    seen: set[str] = set()
    for row in rows:
        if isinstance(row, RowProblem):
            mismatches.append(CodMismatch(row.line, row.tracking, "unreadable_row", row.reason))
            continue
        expectation = by_tracking.get(row.tracking)
        key = expectation.order_key if expectation else None
        if row.tracking in seen:
            mismatches.append(CodMismatch(row.line, row.tracking, "duplicate_row",
                                          f"duplicate row in this statement for {row.tracking}", key))
            continue
        seen.add(row.tracking)
        problem = _check(row, expectation)
        if problem:
            mismatches.append(CodMismatch(row.line, row.tracking, *problem, key))
        else:
            matched.append(CodMatch(row, expectation.order_key))
    return matched, mismatches


def fee_vat(fee: Decimal, vat_rate: Decimal) -> Decimal:
    """The VAT inside a VAT-inclusive fee: fee x rate / (1 + rate), half-up to the satang."""
    return round_half_up(fee * vat_rate / (1 + vat_rate))


def remittance_entry(day: date, total_cod: Decimal, total_fee: Decimal, vat_rate: Decimal,
                     memo: str = "COD remittance", *, claim_vat: bool = True) -> EntryDraft | None:
    """Dr 111201 bank (cod - fee); Dr 521101 fee net of VAT; Dr 115101 VAT; Cr 113201 cod.

    `claim_vat` False (a merchant not VAT-registered) expenses the whole fee.
    """
    if total_fee < ZERO or total_fee > total_cod:
        raise DomainError("invalid_remittance",
                          f"a fee of {fmt(total_fee)} cannot come out of COD of {fmt(total_cod)}",
                          {"cod": fmt(total_cod), "fee": fmt(total_fee)})
    vat = fee_vat(total_fee, vat_rate) if claim_vat else ZERO
    return entry(day, memo, "cod_remitted",
                 dr(BANK, total_cod - total_fee),
                 dr(COD_FEES, total_fee - vat),
                 dr(INPUT_VAT, vat),
                 cr(COD_RECEIVABLE, total_cod))


def matched_entry(day: date, matched: Sequence[CodMatch], vat_rate: Decimal, memo: str,
                  *, claim_vat: bool = True) -> EntryDraft | None:
    """The remittance entry for the matched rows of one statement; None if nothing matched."""
    if not matched:
        return None
    total_cod = sum((match.row.cod for match in matched), ZERO)
    total_fee = sum((match.row.fee for match in matched), ZERO)
    return remittance_entry(day, total_cod, total_fee, vat_rate, memo, claim_vat=claim_vat)


# -- the COD receivable by courier and age ------------------------------------------------

AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-7", 0, 7), ("8-14", 8, 14), ("15-30", 15, 30), (">30", 31, None),
)


@dataclass(frozen=True, slots=True)
class CodOutstanding:
    """One parcel's COD not yet remitted; `since` is when the courier collected it."""

    order_key: str
    carrier: str
    amount: Decimal
    since: datetime


@dataclass(frozen=True)
class CodAgeing:
    carrier: str
    amounts: dict[str, Decimal]
    counts: dict[str, int]

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), ZERO)


def age_bucket(days: int) -> str:
    for name, low, high in AGE_BUCKETS:
        if days >= low and (high is None or days <= high):
            return name
    return AGE_BUCKETS[0][0]   # collected "in the future" (clock skew) counts as fresh


def cod_ageing(rows: Iterable[CodOutstanding], now: datetime) -> list[CodAgeing]:
    """Outstanding COD per courier in age buckets; age in whole Bangkok calendar days."""
    today = business_date(now)
    table: dict[str, CodAgeing] = {}
    for row in rows:
        bucket = age_bucket((today - business_date(row.since)).days)
        line = table.setdefault(row.carrier, CodAgeing(
            row.carrier, {name: ZERO for name, *_ in AGE_BUCKETS},
            {name: 0 for name, *_ in AGE_BUCKETS}))
        line.amounts[bucket] += row.amount
        line.counts[bucket] += 1
    return [table[carrier] for carrier in sorted(table)]
