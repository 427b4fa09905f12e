"""Pure pieces of the accountant's month: how figures are printed, months, aging buckets, the
VAT settlement and payment entries, closing a year."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shopledger.domain.accounting import printed
from shopledger.domain.accounting.statements import (
    ChartAccount, aging, balance_sheet, bucket, parse_month, pp30, profit_and_loss, vat_payment, vat_settlement,
    year_close,
)
from shopledger.domain.errors import DomainError

pytestmark = pytest.mark.unit
D = Decimal
CHART = [ChartAccount("111201", "เงินฝากธนาคาร", "Bank", "asset"), ChartAccount("213101", "ภาษีขาย", "Output VAT", "liability"),
         ChartAccount("321101", "กำไรสะสม", "Retained earnings", "equity"),
         ChartAccount("411101", "รายได้", "Sales", "revenue"), ChartAccount("412101", "รับคืน", "Returns", "revenue"),
         ChartAccount("511101", "ต้นทุนขาย", "COGS", "expense"), ChartAccount("521101", "ค่าธรรมเนียม", "Fees", "expense")]


def test_printed_figures():
    assert printed.thai_date("2026-11-27") == "27 พฤศจิกายน 2569"
    assert printed.thai_short_date(date(2026, 1, 5)) == "05/01/2569"
    assert printed.thai_month(2026, 11) == "พฤศจิกายน 2569"
    assert printed.amount("1234.5") == "1,234.50" and printed.amount(D("-46.73")) == "-46.73"
    assert printed.amount("1234567.891") == "1,234,567.89" and printed.amount(None) == ""
    assert printed.tax_id("0105556012341") == "0-1055-56012-34-1"
    assert printed.tax_id("1234567890121") == "1-2345-67890-12-1"
    assert printed.tax_id("12345") == "12345" and printed.rate("7.00") == "7"


def test_months_and_buckets():
    m = parse_month("2024-02")
    assert (m.first, m.last, m.previous_last, str(m)) == (date(2024, 2, 1), date(2024, 2, 29), date(2024, 1, 31), "2024-02")
    for bad in ("2026-13", "2026-1", "11-2026", "", "2026-00"):
        with pytest.raises(DomainError):
            parse_month(bad)
    assert [bucket(d) for d in (0, 30, 31, 60, 61, 90, 91)] == ["0-30", "0-30", "31-60", "31-60", "61-90", "61-90", "90+"]
    aged = aging(date(2026, 11, 30), [{"subject": "a", "amount": D("10.00"), "since": date(2026, 8, 1)},
                                      {"subject": "b", "amount": D("5.50"), "since": date(2026, 11, 29)}])
    assert aged["buckets"] == {"0-30": "5.50", "31-60": "0.00", "61-90": "0.00", "90+": "10.00"} and aged["total"] == "15.50"


def test_profit_and_loss_and_balance_sheet():
    sums = {"111201": (D("1070.00"), D("0")), "213101": (D("3.27"), D("70.00")), "411101": (D("0"), D("1000.00")),
            "412101": (D("46.73"), D("0")), "511101": (D("400.00"), D("0")), "521101": (D("10.00"), D("0"))}
    pl = profit_and_loss(CHART, sums, date(2026, 11, 1), date(2026, 11, 30))
    assert [r["amount"] for r in pl["revenue"]] == ["1000.00", "-46.73"] and pl["total_revenue"] == "953.27"
    assert (pl["gross_profit"], pl["total_expenses"], pl["net_profit"]) == ("553.27", "10.00", "543.27")
    bs = balance_sheet(CHART, sums | {"111201": (D("1070.00"), D("460.00"))}, date(2026, 11, 30))  # balanced
    assert D(bs["total_assets"]) == D(bs["total_liabilities"]) + D(bs["total_equity"])


def test_vat_settlement_and_payment():
    m = parse_month("2026-11")
    draft, payable, refundable = vat_settlement(m, m.last, D("459.84"), D("12.60"))
    assert (payable, refundable) == (D("447.24"), D("0"))
    assert {(l.account, l.debit, l.credit) for l in draft.lines} == {
        ("213101", D("459.84"), D("0.00")), ("115101", D("0.00"), D("12.60")), ("213301", D("0.00"), D("447.24"))}
    draft, payable, refundable = vat_settlement(m, m.last, D("5.00"), D("12.60"))
    assert (payable, refundable) == (D("0"), D("7.60")) and ("115201", D("7.60"), D("0.00")) in {
        (l.account, l.debit, l.credit) for l in draft.lines}
    assert vat_settlement(m, m.last, D("0.00"), D("0.00"))[0] is None
    paid, cash, left = vat_payment(m, date(2026, 12, 15), D("447.24"), D("7.60"))
    assert (cash, left) == (D("439.64"), D("0.00"))
    assert {(l.account, l.debit, l.credit) for l in paid.lines} == {
        ("213301", D("447.24"), D("0.00")), ("115201", D("0.00"), D("7.60")), ("111201", D("0.00"), D("439.64"))}
    sheet = pp30(m, taxable=D("6569.16"), zero_rated=D("0"), exempt=D("0"), output_vat=D("459.84"),
                 purchases=D("180.00"), input_vat=D("12.60"), brought_forward=D("7.60"))
    assert (sheet["payable"], sheet["net_payable"], sheet["net_excess"]) == ("447.24", "439.64", "0.00")


def test_year_close():
    sums = {"411101": (D("0"), D("1000.00")), "412101": (D("46.73"), D("0")), "511101": (D("400.00"), D("0"))}
    draft = year_close(2026, CHART, sums)
    lines = {(l.account, l.debit, l.credit) for l in draft.lines}
    assert draft.date == date(2026, 12, 31)
    assert ("321101", D("0.00"), D("553.27")) in lines and ("411101", D("1000.00"), D("0.00")) in lines
    assert year_close(2026, CHART, {}) is None
