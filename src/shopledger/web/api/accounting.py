"""The accountant's month under /reports (docs/reports.md), settling VAT, closing a year, exports."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import Field
from sqlalchemy import Engine

from shopledger.domain.clock import business_date, utc_now
from shopledger.services.reports import exports, holdings, paper, statements, vat
from shopledger.web.api.report_schemas import (
    Aging, BalanceSheet, Ledger, Posted, Pp30, ProfitAndLoss, SalesReport, StockValuation, VatReport, YearClosed,
)
from shopledger.web.api.schemas import MONTH_PATTERN, Day, Shape
from shopledger.web.auth import Caller, api_needs, forbidden
from shopledger.web.deps import engine_of
from shopledger.web.errors import problem_responses

router = APIRouter(tags=["reports"])

MONTH = Query(..., pattern=MONTH_PATTERN, description="YYYY-MM (Asia/Bangkok)", examples=["2026-11"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(data: bytes, media_type: str, name: str) -> Response:
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/reports/vat", dependencies=[Depends(api_needs("reports.read"))],
            response_model=VatReport, summary="Output VAT report (รายงานภาษีขาย) for a month",
            responses={200: {"content": {"text/csv": {}, XLSX: {}, "application/pdf": {}}}})
def vat_report(month: str = MONTH, format: Literal["json", "csv", "xlsx", "pdf"] = Query("json"),
               engine: Engine = Depends(engine_of)):
    if format == "csv":
        return _file(exports.vat_csv(engine, month), "text/csv; charset=utf-8", f"output-vat-{month}.csv")
    if format == "xlsx":
        return _file(exports.vat_xlsx(engine, month), XLSX, f"output-vat-{month}.xlsx")
    if format == "pdf":
        return _file(paper.vat_report_pdf(engine, month), "application/pdf", f"output-vat-{month}.pdf")
    return vat.output_vat_report(engine, month)


@router.get("/reports/pp30", dependencies=[Depends(api_needs("reports.read"))],
            response_model=Pp30, summary="PP30 worksheet (ภ.พ.30) for a month")
def pp30(month: str = MONTH, engine: Engine = Depends(engine_of)) -> dict:
    return vat.pp30(engine, month)


@router.get("/reports/profit-and-loss", dependencies=[Depends(api_needs("reports.read"))],
            response_model=ProfitAndLoss, response_model_by_alias=True,
            summary="Profit and loss for a period")
def profit_and_loss(start: Annotated[Day, Query(alias="from")], end: Annotated[Day, Query(alias="to")],
                    engine: Engine = Depends(engine_of)) -> dict:
    return statements.profit_and_loss(engine, start, end)


@router.get("/reports/balance-sheet", dependencies=[Depends(api_needs("reports.read"))],
            response_model=BalanceSheet, summary="Balance sheet as of a day")
def balance_sheet(as_of: Annotated[Day, Query()], engine: Engine = Depends(engine_of)) -> dict:
    return statements.balance_sheet(engine, as_of)


@router.get("/reports/ledger", dependencies=[Depends(api_needs("reports.read"))],
            response_model=Ledger, summary="General ledger of an account for a period",
            responses=problem_responses(404))
def ledger(account: Annotated[str, Query(max_length=10)], start: Annotated[Day, Query(alias="from")],
           end: Annotated[Day, Query(alias="to")], engine: Engine = Depends(engine_of)) -> dict:
    return statements.ledger(engine, account, start, end)


@router.get("/reports/receivables", dependencies=[Depends(api_needs("reports.read"))],
            response_model=Aging, summary="Receivables aging (113101) by order")
def receivables(as_of: Annotated[Day, Query()], engine: Engine = Depends(engine_of)) -> dict:
    return holdings.receivables(engine, as_of)


@router.get("/reports/cod-aging", dependencies=[Depends(api_needs("reports.read"))],
            response_model=Aging, summary="COD receivable aging (113201) by courier and order")
def cod_aging(as_of: Annotated[Day, Query()], engine: Engine = Depends(engine_of)) -> dict:
    return holdings.cod_aging(engine, as_of)


@router.get("/reports/stock-valuation", dependencies=[Depends(api_needs("reports.read"))],
            response_model=StockValuation, summary="Stock valuation as of a day")
def stock_valuation(as_of: Annotated[Day, Query()], engine: Engine = Depends(engine_of)) -> dict:
    return holdings.stock_valuation(engine, as_of)


@router.get("/reports/sales", response_model=SalesReport, summary="Sales by channel or by product for a period")
def sales(by: Annotated[Literal["channel", "product"], Query()], start: Annotated[Day, Query(alias="from")],
          end: Annotated[Day, Query(alias="to")], caller: Caller = Depends(api_needs("reports.read", "sales.today")),
          engine: Engine = Depends(engine_of)) -> dict:
    """A clerk (`sales.today` without `reports.read`) may ask for today only (from = to = today)."""
    today = business_date(utc_now())
    if not caller.may("reports.read") and not start == end == today:
        raise forbidden(caller.role, ("reports.read",))
    return holdings.sales(engine, by, start, end)


class MonthIn(Shape):
    month: str = Field(pattern=MONTH_PATTERN, examples=["2026-11"])


class PayIn(MonthIn):
    account: str = Field("111201", max_length=10, description="the account the Revenue Department is paid from")
    date: Day | None = Field(None, description="the day paid (default today)")


class YearIn(Shape):
    year: int = Field(ge=1900, le=9998, examples=[2026])


@router.post("/vat/settle", dependencies=[Depends(api_needs("vat.settle"))],
             response_model=Posted, summary="Settle a month's VAT into 213301 / 115201",
             responses=problem_responses(409))
def vat_settle(body: MonthIn, engine: Engine = Depends(engine_of)) -> dict:
    """Idempotent: settling again posts nothing and answers the same. 409 `documents_not_booked`
    while documents of the month have no entry."""
    return vat.settle(engine, body.month)


@router.post("/vat/pay", dependencies=[Depends(api_needs("vat.settle"))],
             response_model=Posted, summary="Pay a month's settled VAT",
             responses=problem_responses(409))
def vat_pay(body: PayIn, engine: Engine = Depends(engine_of)) -> dict:
    return vat.pay(engine, body.month, body.account, on=body.date)


@router.post("/year/close", dependencies=[Depends(api_needs("periods.close"))],
             response_model=YearClosed, summary="Close a year to 321101 retained earnings")
def year_close(body: YearIn, engine: Engine = Depends(engine_of)) -> dict:
    return statements.close_year(engine, body.year)


@router.get("/exports/month", dependencies=[Depends(api_needs("reports.export"))],
            summary="The accountant's pack for a month (XLSX)", response_class=Response,
            responses={200: {"content": {XLSX: {}}}})
def export_month(month: str = MONTH, engine: Engine = Depends(engine_of)) -> Response:
    return _file(exports.month_pack(engine, month), XLSX, f"shopledger-{month}.xlsx")
