"""Output VAT report (รายงานภาษีขาย), the PP30 worksheet, and settling and paying a month's VAT."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Connection, Engine, select

from shopledger.adapters.db import balances, report_reads, settings_repo, tables as t
from shopledger.adapters.db.books_repo import LedgerBatch
from shopledger.adapters.db.engine import reading, writing
from shopledger.domain.accounting import chart as c
from shopledger.domain.accounting.statements import (
    VAT_PAYMENT, VAT_SETTLEMENT, Month, parse_month, pp30 as pp30_sheet, vat_payment, vat_settlement,
)
from shopledger.domain.clock import business_date, utc_now
from shopledger.domain.errors import Conflict, DomainError
from shopledger.domain.money import ZERO, fmt


def _company(conn: Connection) -> dict:
    company = settings_repo.read_settings(conn)["company"] or {}
    return {"name": company.get("name", ""), "tax_id": company.get("tax_id", ""),
            "branch": company.get("branch") or "00000"}


def output_vat_report(engine: Engine, month: str | Month) -> dict:
    month = parse_month(month) if isinstance(month, str) else month
    with reading(engine) as conn:
        return _report(conn, month)


def _report(conn: Connection, month: Month) -> dict:
    rows, total_value, total_vat = [], ZERO, ZERO
    for no, doc in enumerate(report_reads.tax_documents(conn, month.first, month.last), 1):
        buyer = (doc["particulars"] or {}).get("buyer") or {}
        cancelled = doc["status"] == "void"
        sign = -1 if doc["kind"] == "credit_note" else 1
        value = ZERO if cancelled else sign * (doc["total"] - doc["vat"])
        vat = ZERO if cancelled else sign * doc["vat"]
        total_value += value
        total_vat += vat
        rows.append({"no": no, "date": doc["date"].isoformat(), "number": doc["number"], "kind": doc["kind"],
                     "buyer": buyer.get("name", ""), "buyer_tax_id": buyer.get("tax_id", ""),
                     "buyer_branch": buyer.get("branch", "") if buyer.get("tax_id") else "",
                     "value": fmt(value), "vat": fmt(vat), "cancelled": cancelled})
    ledger_vat = report_reads.document_movement(conn, c.OUTPUT_VAT, month.first, month.last)
    reconciling = [{"number": r["number"], "document_date": r["document_date"].isoformat(),
                    "entry_date": r["entry_date"].isoformat(),
                    "vat": fmt(r["vat"] if month.first <= r["document_date"] <= month.last else -r["vat"])}
                   for r in report_reads.vat_out_of_month(conn, c.OUTPUT_VAT, month.first, month.last)]
    return {"month": str(month), "company": _company(conn), "rows": rows, "total_value": fmt(total_value),
            "total_vat": fmt(total_vat), "ledger_vat": fmt(ledger_vat), "difference": fmt(total_vat - ledger_vat),
            "reconciling": reconciling}


def pp30(engine: Engine, month: str | Month) -> dict:
    month = parse_month(month) if isinstance(month, str) else month
    with reading(engine) as conn:
        return _pp30(conn, month)


def _pp30(conn: Connection, month: Month) -> dict:
    taxable = zero_rated = output_vat = ZERO
    for doc in report_reads.tax_documents(conn, month.first, month.last):
        if doc["status"] == "void":
            continue
        sign = -1 if doc["kind"] == "credit_note" else 1
        value = sign * (doc["total"] - doc["vat"])
        rate = Decimal(str((doc["particulars"] or {}).get("vat_rate") or "0"))
        if doc["vat"] or rate:
            taxable += value
        else:
            zero_rated += value
        output_vat += sign * doc["vat"]
    input_vat = report_reads.month_movement(conn, c.INPUT_VAT, month.first, month.last,
                                            without_causes=VAT_SETTLEMENT + ":")
    purchases = report_reads.purchases_with_input_vat(conn, c.INPUT_VAT, month.first, month.last)
    brought_forward = _refundable_through(conn, month.previous_last)
    return pp30_sheet(month, taxable=taxable, zero_rated=zero_rated, exempt=ZERO, output_vat=output_vat,
                      purchases=purchases, input_vat=input_vat, brought_forward=brought_forward)


def _refundable_through(conn: Connection, day: date) -> Decimal:
    debit, credit = balances.sums(conn, end=day).get(c.VAT_REFUNDABLE, (ZERO, ZERO))
    return debit - credit


# --- Settling and paying ------------------------------------------------------------------------

def _cause(prefix: str, month: Month, earlier: list[dict]) -> str:
    base = f"{prefix}:{month}"
    return base if not earlier else f"{base}:{len(earlier) + 1}"


def _line_sum(entries: list[dict], account: str) -> Decimal:
    """Debit less credit of `account` over these entries' lines."""
    return sum((l.debit - l.credit for e in entries for l in e["lines"] if l.account == account), ZERO)


def _month_over(month: Month, today: date, what: str) -> None:
    if today <= month.last:
        raise DomainError("month_not_over", f"{month} is not over yet ({what} once it has ended, from "
                                            f"{(month.last + timedelta(days=1)).isoformat()} on)")


def settle(engine: Engine, month: str | Month, *, now: datetime | None = None) -> dict:
    """Dr 213101 / Cr 115101, the difference to 213301 or 115201, dated the month's last day (the
    first open day when that is closed). Settling again posts only what changed since (nothing:
    the same answer, no entry)."""
    month = parse_month(month) if isinstance(month, str) else month
    now = now or utc_now()
    _month_over(month, business_date(now), "settle it")
    with writing(engine) as conn:
        unbooked = report_reads.tax_documents_not_booked(conn, month.first, month.last)
        if unbooked:
            raise Conflict("documents_not_booked", f"{month} has documents not yet booked ({', '.join(unbooked)}); "
                                                   "settle once they are", {"documents": unbooked})
        earlier = report_reads.entries_with_cause(conn, f"{VAT_SETTLEMENT}:{month}")
        # What the month moved, less what earlier settlements of it already took away.
        output_vat = -report_reads.month_movement(conn, c.OUTPUT_VAT, month.first, month.last,
                                                  without_causes=VAT_SETTLEMENT + ":") - _line_sum(earlier, c.OUTPUT_VAT)
        input_vat = report_reads.month_movement(conn, c.INPUT_VAT, month.first, month.last,
                                                without_causes=VAT_SETTLEMENT + ":") + _line_sum(earlier, c.INPUT_VAT)
        policy = settings_repo.load_policy(conn)
        draft, _, _ = vat_settlement(month, policy.open_day(month.last), output_vat, input_vat)
        if draft is not None:
            batch = LedgerBatch()
            batch.add_entry(None, _cause(VAT_SETTLEMENT, month, earlier), draft, now)
            batch.write(conn)
            earlier = report_reads.entries_with_cause(conn, f"{VAT_SETTLEMENT}:{month}")
        return _settled(month, earlier)


def _settled(month: Month, settlements: list[dict]) -> dict:
    return {"month": str(month), "entry": settlements[-1]["id"] if settlements else None,
            "payable": fmt(-_line_sum(settlements, c.VAT_PAYABLE)),
            "refundable": fmt(_line_sum(settlements, c.VAT_REFUNDABLE))}


def pay(engine: Engine, month: str | Month, account: str = c.BANK, *, on: date | None = None,
        now: datetime | None = None) -> dict:
    """Paying the Revenue Department what the month's settlement left in 213301: Dr 213301, Cr the
    excess brought forward in 115201 as far as it goes, Cr `account` the rest. Once per month
    (again: the same answer, no entry)."""
    month = parse_month(month) if isinstance(month, str) else month
    now = now or utc_now()
    day = on or business_date(now)
    if day <= month.last:
        raise DomainError("invalid_date", f"VAT for {month} is paid after the month, not on {day.isoformat()}")
    with writing(engine) as conn:
        _payment_account(conn, account)
        settlements = report_reads.entries_with_cause(conn, f"{VAT_SETTLEMENT}:{month}")
        if not settlements:
            raise Conflict("vat_not_settled", f"settle {month} first: shopledger vat settle --month {month}")
        payments = report_reads.entries_with_cause(conn, f"{VAT_PAYMENT}:{month}")
        owed = -_line_sum(settlements, c.VAT_PAYABLE) - _line_sum(payments, c.VAT_PAYABLE)
        day = settings_repo.load_policy(conn).open_day(day)
        refundable = _refundable_through(conn, day)
        if owed > ZERO:
            draft, _, _ = vat_payment(month, day, owed, refundable, account)
            batch = LedgerBatch()
            batch.add_entry(None, _cause(VAT_PAYMENT, month, payments), draft, now)
            batch.write(conn)
            payments = report_reads.entries_with_cause(conn, f"{VAT_PAYMENT}:{month}")
        paid = sum((l.credit - l.debit for p in payments for l in p["lines"]
                    if l.account not in (c.VAT_PAYABLE, c.VAT_REFUNDABLE)), ZERO)
        return {"month": str(month), "entry": payments[-1]["id"] if payments else None, "payable": fmt(paid),
                "refundable": fmt(_refundable_through(conn, date.max))}


def _payment_account(conn: Connection, account: str) -> None:
    kind = conn.execute(select(t.accounts.c.type).where(t.accounts.c.code == account)).scalar()
    if kind is None:
        raise DomainError("unknown_account", f"account {account} is not in the chart of accounts")
    if kind != "asset":
        raise DomainError("invalid_account", f"VAT is paid from a cash or bank account, not {account} ({kind})")
