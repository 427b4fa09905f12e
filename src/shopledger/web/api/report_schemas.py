"""Response shapes of the accountant's month (docs/reports.md), for /openapi.json."""
from __future__ import annotations

from datetime import date

from pydantic import Field

from shopledger.web.api.schemas import Money, Shape

Month = str


class Company(Shape):
    name: str
    tax_id: str
    branch: str


class VatRow(Shape):
    no: int
    date: date
    number: str
    kind: str
    buyer: str
    buyer_tax_id: str
    buyer_branch: str
    value: Money
    vat: Money
    cancelled: bool


class Reconciling(Shape):
    number: str
    document_date: date
    entry_date: date
    vat: Money = Field(description="what this line adds to the report's VAT over the ledger month's")


class VatReport(Shape):
    month: Month = Field(examples=["2026-11"])
    company: Company
    rows: list[VatRow]
    total_value: Money
    total_vat: Money
    ledger_vat: Money = Field(description="the month's movement of 213101 from documents")
    difference: Money = Field(description="total_vat - ledger_vat; explained by `reconciling`")
    reconciling: list[Reconciling] = []


class Sales(Shape):
    taxable: Money
    zero_rated: Money
    exempt: Money
    total: Money


class Pp30(Shape):
    month: Month
    sales: Sales
    output_vat: Money
    purchases: Money
    input_vat: Money
    payable: Money
    excess: Money
    brought_forward: Money
    net_payable: Money
    net_excess: Money


class AccountAmount(Shape):
    code: str
    name: str
    amount: Money


class ProfitAndLoss(Shape):
    from_: date = Field(alias="from")
    to: date
    revenue: list[AccountAmount]
    total_revenue: Money
    cost_of_sales: list[AccountAmount]
    total_cost_of_sales: Money
    gross_profit: Money
    expenses: list[AccountAmount]
    total_expenses: Money
    net_profit: Money


class BalanceSheet(Shape):
    as_of: date
    assets: list[AccountAmount]
    total_assets: Money
    liabilities: list[AccountAmount]
    total_liabilities: Money
    equity: list[AccountAmount]
    current_year_earnings: Money
    total_equity: Money


class LedgerLine(Shape):
    date: date
    entry: int
    document: str | None
    memo: str
    debit: Money
    credit: Money
    balance: Money


class Ledger(Shape):
    account: str
    opening: Money
    lines: list[LedgerLine]
    closing: Money


class AgedRow(Shape):
    subject: str
    amount: Money
    days: int
    bucket: str


class Aging(Shape):
    as_of: date
    rows: list[AgedRow]
    buckets: dict[str, Money]
    total: Money


class StockRow(Shape):
    sku: str
    quantity: int
    avg_cost: Money
    value: Money


class StockValuation(Shape):
    as_of: date
    rows: list[StockRow]
    total: Money
    ledger_114101: Money


class SalesRow(Shape):
    key: str
    orders: int
    net: Money
    vat: Money
    total: Money


class SalesReport(Shape):
    rows: list[SalesRow]
    total: Money


class Posted(Shape):
    entry: int | None = Field(description="the entry posted (or posted before: doing it again changes nothing)")
    payable: Money
    refundable: Money


class YearClosed(Shape):
    year: int
    entry: int | None
    retained_earnings: Money
