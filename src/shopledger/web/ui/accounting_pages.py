"""The accountant's pages (menu "Accounting"): P&L, balance sheet, an account's ledger, the output
VAT report and its files, the PP30 worksheet, receivables and COD aging, stock valuation, sales by
channel or product; closing a period or a year, settling and paying VAT; the exports.

Each page calls the same service as its REST route (services/reports); a period picker is a GET
form of date or month inputs with today's (Bangkok) defaults. A value that does not parse, or a
service's refusal (a month not over, VAT not settled), is a notice on a 200 page, worded here.
"""
from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from shopledger.domain.accounting import chart as c
from shopledger.domain.clock import business_date, utc_now
from shopledger.domain.errors import DomainError
from shopledger.services import company
from shopledger.services.reports import exports, holdings, paper, statements, vat
from shopledger.web.auth import guard_page, page_needs
from shopledger.web.deps import engine_of
from shopledger.web.i18n import N_
from shopledger.web.ui.pages import _refused, _same_site, templates

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse, dependencies=[Depends(guard_page)])

# A refusal the page shows, by the service's code (any other: the generic one).
PROBLEMS = {
    "invalid_date": N_("That is not a date."),
    "invalid_month": N_("That is not a month."),
    "invalid_year": N_("That is not a year of the books."),
    "month_not_over": N_("The month is not over yet."),
    "year_not_over": N_("The year is not over yet."),
    "vat_not_settled": N_("Settle the month's VAT first."),
    "documents_not_booked": N_("The month has documents not yet booked."),
    "unknown_account": N_("There is no such account."),
    "invalid_account": N_("VAT is paid from a cash or bank account."),
    "invalid_period": N_("The period does not read: its start is after its end."),
    "period_closed": N_("That period is closed."),
}
OTHER_PROBLEM = N_("That could not be done.")
DONE = {"settled": N_("The month's VAT was settled."), "paid": N_("The month's VAT was paid."),
        "year": N_("The year was closed."), "closed": N_("The books are closed through the day given.")}
SPECIAL_KEYS = {"(shipping)": N_("Shipping"), "(returns not by product)": N_("Returns not by product"),
                "(not matched to an order)": N_("Not matched to an order"), "(no courier)": N_("No courier")}


def _today() -> date:
    return business_date(utc_now())


def _problem(error: DomainError) -> str:
    return PROBLEMS.get(error.code, OTHER_PROBLEM)


def _date(text: str, default: date) -> tuple[date, str | None]:
    if not text:
        return default, None
    try:
        return date.fromisoformat(text), None
    except ValueError:
        return default, PROBLEMS["invalid_date"]


def _month(text: str) -> tuple[str, str | None]:
    default = _today().strftime("%Y-%m")
    if not text:
        return default, None
    try:
        date.fromisoformat(text + "-01")
        return text, None
    except ValueError:
        return default, PROBLEMS["invalid_month"]


def _page(request: Request, view: str, **context):
    return templates.TemplateResponse(request, "accounting.html", {"nav": "accounting", "view": view,
                                                                   "special": SPECIAL_KEYS} | context)


def _run(view_problem: str | None, compute):
    """The report, or None and the problem when the service refused."""
    if view_problem:
        return None, view_problem
    try:
        return compute(), None
    except DomainError as error:
        return None, _problem(error)


@router.get("/accounting", dependencies=[Depends(page_needs("reports.read"))])
def accounting_home(request: Request):
    return _page(request, "home")


@router.get("/accounting/profit-and-loss", dependencies=[Depends(page_needs("reports.read"))])
def profit_and_loss_page(request: Request, start: str = "", end: str = "", engine: Engine = Depends(engine_of)):
    first, p1 = _date(start, _today().replace(day=1))
    last, p2 = _date(end, _today())
    report, problem = _run(p1 or p2, lambda: statements.profit_and_loss(engine, first, last))
    return _page(request, "pl", report=report, problem=problem, start=first, end=last)


@router.get("/accounting/balance-sheet", dependencies=[Depends(page_needs("reports.read"))])
def balance_sheet_page(request: Request, as_of: str = "", engine: Engine = Depends(engine_of)):
    day, p = _date(as_of, _today())
    report, problem = _run(p, lambda: statements.balance_sheet(engine, day))
    return _page(request, "bs", report=report, problem=problem, as_of=day)


@router.get("/accounting/ledger", dependencies=[Depends(page_needs("reports.read"))])
def ledger_page(request: Request, account: str = c.BANK, start: str = "", end: str = "",
                engine: Engine = Depends(engine_of)):
    first, p1 = _date(start, _today().replace(day=1))
    last, p2 = _date(end, _today())
    account = account.strip()[:10]
    report, problem = _run(p1 or p2, lambda: statements.ledger(engine, account, first, last))
    return _page(request, "ledger", report=report, problem=problem, start=first, end=last, account=account)


@router.get("/accounting/vat", dependencies=[Depends(page_needs("reports.read"))])
def vat_page(request: Request, month: str = "", engine: Engine = Depends(engine_of)):
    month, p = _month(month)
    report, problem = _run(p, lambda: vat.output_vat_report(engine, month))
    return _page(request, "vat", report=report, problem=problem, month=month)


VAT_FILES = {"pdf": (paper.vat_report_pdf, "application/pdf"), "csv": (exports.vat_csv, "text/csv; charset=utf-8"),
             "xlsx": (exports.vat_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}


def _vat_file(engine: Engine, month: str, fmt: str) -> Response:
    month, _ = _month(month)
    make, media = VAT_FILES[fmt]
    return Response(make(engine, month), media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="vat-{month}.{fmt}"'})


@router.get("/accounting/vat.pdf", dependencies=[Depends(page_needs("reports.read"))])
def vat_pdf(month: str = "", engine: Engine = Depends(engine_of)):
    return _vat_file(engine, month, "pdf")


@router.get("/accounting/vat.csv", dependencies=[Depends(page_needs("reports.read"))])
def vat_csv(month: str = "", engine: Engine = Depends(engine_of)):
    return _vat_file(engine, month, "csv")


@router.get("/accounting/vat.xlsx", dependencies=[Depends(page_needs("reports.read"))])
def vat_xlsx(month: str = "", engine: Engine = Depends(engine_of)):
    return _vat_file(engine, month, "xlsx")


@router.get("/accounting/pp30", dependencies=[Depends(page_needs("reports.read"))])
def pp30_page(request: Request, month: str = "", engine: Engine = Depends(engine_of)):
    month, p = _month(month)
    report, problem = _run(p, lambda: vat.pp30(engine, month))
    return _page(request, "pp30", report=report, problem=problem, month=month)


@router.get("/accounting/aging", dependencies=[Depends(page_needs("reports.read"))])
def aging_page(request: Request, as_of: str = "", engine: Engine = Depends(engine_of)):
    day, p = _date(as_of, _today())
    report, problem = _run(p, lambda: {"receivables": holdings.receivables(engine, day),
                                       "cod": holdings.cod_aging(engine, day)})
    return _page(request, "aging", report=report, problem=problem, as_of=day)


@router.get("/accounting/stock-valuation", dependencies=[Depends(page_needs("reports.read"))])
def stock_valuation_page(request: Request, as_of: str = "", engine: Engine = Depends(engine_of)):
    day, p = _date(as_of, _today())
    report, problem = _run(p, lambda: holdings.stock_valuation(engine, day))
    return _page(request, "valuation", report=report, problem=problem, as_of=day)


@router.get("/accounting/sales", dependencies=[Depends(page_needs("reports.read"))])
def sales_page(request: Request, by: str = "channel", start: str = "", end: str = "",
               engine: Engine = Depends(engine_of)):
    by = by if by in ("channel", "product") else "channel"
    first, p1 = _date(start, _today().replace(day=1))
    last, p2 = _date(end, _today())
    report, problem = _run(p1 or p2, lambda: holdings.sales(engine, by, first, last))
    return _page(request, "sales", report=report, problem=problem, start=first, end=last, by=by)


@router.get("/accounting/close", dependencies=[Depends(page_needs("periods.close", "vat.settle"))])
def close_page(request: Request, done: str = "", problem: str = "", engine: Engine = Depends(engine_of)):
    settings = company.show_settings(engine)
    today = _today()
    last_month = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    return _page(request, "close", closed_through=settings.get("closed_through"), done=DONE.get(done),
                 problem=PROBLEMS.get(problem, OTHER_PROBLEM) if problem else None,
                 last_month=last_month, last_year=today.year - 1, today=today)


def _after(request: Request, action) -> Response:
    if not _same_site(request):
        return _refused(request)
    try:
        done = action()
    except DomainError as error:
        return RedirectResponse(f"/accounting/close?problem={error.code}", status_code=303)
    return RedirectResponse(f"/accounting/close?done={done}", status_code=303)


def _form_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DomainError("invalid_date", f"{text!r} is not a date") from None


@router.post("/accounting/close/period", dependencies=[Depends(page_needs("periods.close"))])
def close_period(request: Request, closed_through: str = Form(""), engine: Engine = Depends(engine_of)):
    def action():
        company.update_settings(engine, closed_through=_form_date(closed_through))
        return "closed"
    return _after(request, action)


@router.post("/accounting/close/year", dependencies=[Depends(page_needs("periods.close"))])
def close_year(request: Request, year: str = Form(""), engine: Engine = Depends(engine_of)):
    def action():
        if not year.strip().isdigit():
            raise DomainError("invalid_year", "not a year")
        statements.close_year(engine, int(year))
        return "year"
    return _after(request, action)


@router.post("/accounting/vat/settle", dependencies=[Depends(page_needs("vat.settle"))])
def settle_vat(request: Request, month: str = Form(""), engine: Engine = Depends(engine_of)):
    def action():
        vat.settle(engine, month)
        return "settled"
    return _after(request, action)


@router.post("/accounting/vat/pay", dependencies=[Depends(page_needs("vat.settle"))])
def pay_vat(request: Request, month: str = Form(""), paid_on: str = Form(""), engine: Engine = Depends(engine_of)):
    def action():
        vat.pay(engine, month, on=_form_date(paid_on) if paid_on else None)
        return "paid"
    return _after(request, action)


@router.get("/accounting/exports", dependencies=[Depends(page_needs("reports.export"))])
def exports_page(request: Request, month: str = ""):
    month, problem = _month(month)
    return _page(request, "exports", month=month, problem=problem)


@router.get("/accounting/exports/month.xlsx", dependencies=[Depends(page_needs("reports.export"))])
def month_pack(month: str = "", engine: Engine = Depends(engine_of)):
    month, _ = _month(month)
    return Response(exports.month_pack(engine, month),
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="books-{month}.xlsx"'})


@router.get("/accounting/exports/books.beancount", dependencies=[Depends(page_needs("reports.export"))])
def beancount(engine: Engine = Depends(engine_of)):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "books.beancount"
        exports.write_beancount(engine, path)
        body = path.read_bytes()
    return Response(body, media_type="text/plain; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="books.beancount"'})
