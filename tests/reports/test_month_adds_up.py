"""The accountant's month adds up to the ledger (reports.md), on the demo and on 1,000 random
orders over three months: the VAT report is 213101's movement from documents (a closed period's
documents reconciled line by line), PP30 takes the report's VAT and 115101, profit is the change
in equity, assets = liabilities + equity, stock and receivables are their accounts, settling
leaves the month's 213101 and 115101 at zero and settling again changes nothing."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shopledger.adapters.db import balances, tables as t
from shopledger.adapters.db.engine import reading
from shopledger.domain.accounting.statements import parse_month
from shopledger.domain.errors import DomainError
from shopledger.services import cod
from shopledger.services.demo import cod_payout_path, load_demo
from shopledger.services.reports import holdings, statements, vat
from tests.reports.conftest import MONTHS

pytestmark = pytest.mark.db
D = Decimal


def _tb(engine, as_of: date | None = None) -> dict[str, Decimal]:
    return {r["code"]: D(r["balance"]) for r in statements.trial_balance(engine, as_of)["accounts"]}


def _entries(engine) -> int:
    with reading(engine) as conn:
        return conn.execute(select(func.count()).select_from(t.journal_entries)).scalar_one()


def _kept_equal_lines(engine) -> None:
    with reading(engine) as conn:
        assert balances.per_account_and_day(conn) == balances.lines_per_account_and_day(conn)


def _months_of(engine) -> list[str]:
    with reading(engine) as conn:
        days = conn.execute(select(func.min(t.documents.c.date), func.max(t.documents.c.date))).one()
    months, day = [], days[0].replace(day=1)
    while day <= days[1]:
        months.append(f"{day.year:04d}-{day.month:02d}")
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def _check_month(engine, month: str) -> dict:
    report = vat.output_vat_report(engine, month)
    assert D(report["total_vat"]) == sum((D(r["vat"]) for r in report["rows"]), D(0))
    assert D(report["total_value"]) == sum((D(r["value"]) for r in report["rows"]), D(0))
    # The report's VAT is the month's 213101 from documents, or differs by exactly its reconciling lines.
    assert D(report["difference"]) == D(report["total_vat"]) - D(report["ledger_vat"])
    assert D(report["difference"]) == sum((D(r["vat"]) for r in report["reconciling"]), D(0))
    assert [r["no"] for r in report["rows"]] == list(range(1, len(report["rows"]) + 1))
    assert [(r["date"], r["number"]) for r in report["rows"]] == sorted((r["date"], r["number"]) for r in report["rows"])
    assert all(not r["number"].startswith("IV-") for r in report["rows"])
    sheet = vat.pp30(engine, month)
    assert sheet["output_vat"] == report["total_vat"]
    assert sheet["sales"]["taxable"] == report["total_value"]
    return report


def _check_statements(engine, first: date, last: date, *, booked_in_period: bool = True) -> None:
    pl = statements.profit_and_loss(engine, first, last)
    before = statements.balance_sheet(engine, first - timedelta(days=1))
    after = statements.balance_sheet(engine, last)
    for bs in (before, after):
        assert D(bs["total_assets"]) == D(bs["total_liabilities"]) + D(bs["total_equity"])
    assert D(pl["net_profit"]) == D(after["total_equity"]) - D(before["total_equity"])
    assert D(pl["gross_profit"]) == D(pl["total_revenue"]) - D(pl["total_cost_of_sales"])
    tb = _tb(engine, last)
    assert D(after["total_assets"]) == sum((v for k, v in tb.items() if k.startswith("11")), D(0))
    stock = holdings.stock_valuation(engine, last)
    assert D(stock["total"]) == D(stock["ledger_114101"]) == tb.get("114101", D(0))
    assert D(stock["total"]) == sum((D(r["value"]) for r in stock["rows"]), D(0))
    receivable = holdings.receivables(engine, last)
    assert D(receivable["total"]) == tb.get("113101", D(0))
    assert D(receivable["total"]) == sum((D(v) for v in receivable["buckets"].values()), D(0))
    cod_aged = holdings.cod_aging(engine, last)
    assert D(cod_aged["total"]) == tb.get("113201", D(0))
    sales = holdings.sales(engine, "channel", first, last)
    by_product = holdings.sales(engine, "product", first, last)
    assert sales["total"] == by_product["total"]
    if booked_in_period:  # sales go by the document's date, the P&L by the entry's
        assert D(sales["total_net"]) == D(pl["total_revenue"])


def _settle_month(engine, month: str) -> None:
    m = parse_month(month)
    after_month = datetime.combine(m.last + timedelta(days=1), datetime.min.time(), timezone.utc)
    count = _entries(engine)
    first = vat.settle(engine, month, now=after_month)
    again = vat.settle(engine, month, now=after_month)
    assert again == first  # settling twice changes nothing
    assert _entries(engine) == count + (1 if first["entry"] else 0)
    with reading(engine) as conn:
        from shopledger.adapters.db import report_reads

        settlements = report_reads.entries_with_cause(conn, f"vat_settlement:{month}")
        for account in ("213101", "115101"):  # the month's VAT and its settlement: nothing left
            moved = report_reads.month_movement(conn, account, m.first, m.last, without_causes="vat_settlement:")
            assert moved + sum((l.debit - l.credit for e in settlements for l in e["lines"] if l.account == account),
                               D(0)) == 0
        if settlements and settlements[0]["date"] == m.last:  # settled in the month (not closed)
            others = sum((l.debit - l.credit for e in report_reads.entries_with_cause(conn, "vat_settlement:")
                          if m.first <= e["date"] <= m.last and not e["cause"].startswith(f"vat_settlement:{month}")
                          for l in e["lines"] if l.account == "213101"), D(0))
            assert report_reads.month_movement(conn, "213101", m.first, m.last) == others
    # The worksheet still shows what the month moved; it files the VAT of the documents dated in
    # the month, the settlement moves what the ledger month holds: they part by the reconciling lines.
    sheet = vat.pp30(engine, month)
    difference = D(vat.output_vat_report(engine, month)["difference"])
    assert D(sheet["payable"]) - D(sheet["excess"]) == D(first["payable"]) - D(first["refundable"]) + difference


def test_demo_month_adds_up(engine):
    load_demo(engine, today=date(2026, 12, 10))
    cod.remit_statement(engine, cod_payout_path(engine), "kerry", "test")  # input VAT on the COD fee
    months = _months_of(engine)
    reports = [_check_month(engine, m) for m in months]
    assert any(r["rows"] for r in reports)
    assert all(r["difference"] == "0.00" for r in reports)  # nothing closed: the ledger month is the report's
    with reading(engine) as conn:
        first, last = conn.execute(select(func.min(t.journal_entries.c.date), func.max(t.journal_entries.c.date))).one()
    _check_statements(engine, first, last)
    input_months = [m for m in months if D(vat.pp30(engine, m)["input_vat"])]
    assert input_months, "the COD statement's fee carries input VAT"
    for month in months:
        _settle_month(engine, month)
    tb = _tb(engine)
    assert tb.get("213101", 0) == 0 and tb.get("115101", 0) == 0  # every month settled
    _check_statements(engine, first, last)
    _kept_equal_lines(engine)


def test_three_months_of_random_orders_add_up(engine, three_months):
    reports = {m: _check_month(engine, m) for m in MONTHS}
    # August and September were closed while later versions came: their documents booked on
    # 1 October are reconciling lines of their month and of October, and cancel out over the quarter.
    assert reports["2026-09"]["reconciling"] and D(reports["2026-10"]["difference"]) != 0
    assert D(reports["2026-08"]["difference"]) + D(reports["2026-09"]["difference"]) == -D(reports["2026-10"]["difference"])
    assert sum((D(r["total_vat"]) for r in reports.values()), D(0)) == sum((D(r["ledger_vat"]) for r in reports.values()), D(0))
    assert any(r["kind"] == "credit_note" and D(r["vat"]) < 0 for r in reports["2026-10"]["rows"] + reports["2026-09"]["rows"])
    _check_statements(engine, date(2026, 8, 1), date(2026, 10, 31))
    _check_statements(engine, date(2026, 9, 1), date(2026, 9, 30), booked_in_period=False)
    for month in MONTHS:
        _settle_month(engine, month)
    _kept_equal_lines(engine)


def test_settling_is_refused_before_the_month_ends(engine, three_months):
    with pytest.raises(DomainError) as refused:
        vat.settle(engine, "2026-10", now=datetime(2026, 10, 31, 10, tzinfo=timezone.utc))
    assert refused.value.code == "month_not_over"


def test_paying_after_settling_uses_the_bank_and_is_done_once(engine, three_months):
    november = datetime(2026, 11, 5, 3, tzinfo=timezone.utc)
    with pytest.raises(DomainError) as refused:
        vat.pay(engine, "2026-08", "111201", on=date(2026, 9, 15), now=november)
    assert refused.value.code == "vat_not_settled"
    settled = vat.settle(engine, "2026-08", now=november)
    assert D(settled["payable"]) > 0
    bank_before = _tb(engine).get("111201", D(0))
    paid = vat.pay(engine, "2026-08", "111201", on=date(2026, 9, 15), now=november)
    assert paid["payable"] == settled["payable"] and paid["entry"]
    assert vat.pay(engine, "2026-08", "111201", on=date(2026, 9, 15), now=november) == paid
    assert _tb(engine).get("111201", D(0)) == bank_before - D(paid["payable"])
    assert _tb(engine, date(2026, 9, 30)).get("213301", D(0)) == 0


def test_closing_the_year_moves_profit_to_retained_earnings(engine, three_months):
    pl = statements.profit_and_loss(engine, date(2026, 1, 1), date(2026, 12, 31))
    with pytest.raises(DomainError):
        statements.close_year(engine, 2026, now=datetime(2026, 12, 31, 3, tzinfo=timezone.utc))
    after = datetime(2027, 1, 2, 3, tzinfo=timezone.utc)
    closed = statements.close_year(engine, 2026, now=after)
    assert closed["retained_earnings"] == pl["net_profit"] and closed["entry"]
    assert statements.close_year(engine, 2026, now=after) == closed
    bs = statements.balance_sheet(engine, date(2026, 12, 31))
    assert bs["current_year_earnings"] == "0.00"
    assert {r["code"]: r["amount"] for r in bs["equity"]}["321101"] == pl["net_profit"]
    assert D(bs["total_assets"]) == D(bs["total_liabilities"]) + D(bs["total_equity"])
    # The closing entry is not a loss: the year's P&L is what it was.
    assert statements.profit_and_loss(engine, date(2026, 1, 1), date(2026, 12, 31)) == pl
    tb = _tb(engine, date(2026, 12, 31))
    assert not [code for code, balance in tb.items() if code[0] in "45" and balance]
    _kept_equal_lines(engine)
