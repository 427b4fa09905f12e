"""CLI: the accountant's month (docs/reports.md) — reports, VAT, closing a year, exports, PDFs."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Optional

import typer

from shopledger.bootstrap import default_engine
from shopledger.cli.output import domain_errors, emit_json, table
from shopledger.domain.accounting.statements import parse_day
from shopledger.domain.errors import DomainError

vat_app = typer.Typer(no_args_is_help=True, help="Settle the month's VAT and pay it.")
year_app = typer.Typer(no_args_is_help=True, help="Close a year to retained earnings.")
export_app = typer.Typer(no_args_is_help=True, help="Files for the accountant.")

MONTH = typer.Option(..., "--month", help="YYYY-MM (Asia/Bangkok)")
OUT = typer.Option(None, "-o", "--output", help="the file to write")
AS_JSON = typer.Option(False, "--json", help="one JSON object")


def _day(text: Optional[str], what: str) -> date:
    if not text:
        raise DomainError("invalid_date", f"{what} is required (YYYY-MM-DD)")
    return parse_day(text, what)


def _write(data: bytes, out: Optional[Path], what: str) -> None:
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    out.write_bytes(data)
    typer.echo(f"{what} written to {out} ({len(data):,} bytes)", err=True)


# --- report ... ---------------------------------------------------------------------------------

@domain_errors
def vat_report(month: str = MONTH, as_json: bool = AS_JSON,
               as_csv: bool = typer.Option(False, "--csv", help="CSV (UTF-8), to -o or standard output"),
               as_xlsx: bool = typer.Option(False, "--xlsx", help="XLSX, to -o"),
               as_pdf: bool = typer.Option(False, "--pdf", help="PDF, to -o"), out: Optional[Path] = OUT) -> None:
    """Output VAT report (รายงานภาษีขาย) for a month: receipts/tax invoices and credit notes."""
    from shopledger.services.reports import exports, paper, vat

    engine = default_engine()
    if sum((as_json, as_csv, as_xlsx, as_pdf)) > 1:
        raise DomainError("invalid_request", "choose one of --json, --csv, --xlsx, --pdf")
    if (as_xlsx or as_pdf) and out is None:
        raise DomainError("invalid_request", "--xlsx and --pdf write a file: give it with -o FILE")
    if as_csv:
        return _write(exports.vat_csv(engine, month), out, "output VAT report")
    if as_xlsx:
        return _write(exports.vat_xlsx(engine, month), out, "output VAT report")
    if as_pdf:
        return _write(paper.vat_report_pdf(engine, month), out, "output VAT report")
    report = vat.output_vat_report(engine, month)
    if as_json:
        return emit_json(report)
    c = report["company"]
    typer.echo(f"รายงานภาษีขาย / output VAT report {report['month']}  {c['name']}  tax id {c['tax_id']}  "
               f"branch {c['branch']}")
    table(report["rows"], ["no", "date", "number", "buyer", "buyer_tax_id", "buyer_branch", "value", "vat", "cancelled"])
    typer.echo(f"total value {report['total_value']}  total VAT {report['total_vat']}  "
               f"213101 from documents {report['ledger_vat']}  difference {report['difference']}")
    for line in report["reconciling"]:
        typer.echo(f"  reconciling: {line['number']} dated {line['document_date']} booked {line['entry_date']} "
                   f"VAT {line['vat']}")


@domain_errors
def pp30_report(month: str = MONTH, as_json: bool = AS_JSON) -> None:
    """PP30 worksheet (ภ.พ.30): sales, output VAT, input VAT (115101), payable or excess."""
    from shopledger.services.reports import vat

    sheet = vat.pp30(default_engine(), month)
    if as_json:
        return emit_json(sheet)
    from shopledger.services.reports.exports import PP30_LABELS

    typer.echo(f"ภ.พ.30 / PP30 worksheet {sheet['month']}")
    for path, label in PP30_LABELS:
        value = sheet
        for key in path:
            value = value[key]
        typer.echo(f"  {label:<60} {value:>14}")


@domain_errors
def profit_and_loss(start: str = typer.Option(..., "--from"), end: str = typer.Option(..., "--to"),
                    as_json: bool = AS_JSON) -> None:
    """Profit and loss for a period: revenue less returns, cost of sales, expenses, net profit."""
    from shopledger.services.reports import statements

    pl = statements.profit_and_loss(default_engine(), _day(start, "--from"), _day(end, "--to"))
    if as_json:
        return emit_json(pl)
    typer.echo(f"profit and loss {pl['from']} .. {pl['to']}")
    for part, total in (("revenue", "total_revenue"), ("cost_of_sales", "total_cost_of_sales"),
                        ("expenses", "total_expenses")):
        typer.echo(f"{part.replace('_', ' ')}")
        for r in pl[part]:
            typer.echo(f"  {r['code']}  {r['name']:<40} {r['amount']:>14}")
        typer.echo(f"  {'total':<48} {pl[total]:>14}")
        if part == "cost_of_sales":
            typer.echo(f"gross profit {pl['gross_profit']:>50}")
    typer.echo(f"net profit {pl['net_profit']:>52}")


@domain_errors
def balance_sheet(as_of: str = typer.Option(..., "--as-of"), as_json: bool = AS_JSON) -> None:
    """Balance sheet as of a day: assets = liabilities + equity."""
    from shopledger.services.reports import statements

    bs = statements.balance_sheet(default_engine(), _day(as_of, "--as-of"))
    if as_json:
        return emit_json(bs)
    typer.echo(f"balance sheet as of {bs['as_of']}")
    for part in ("assets", "liabilities", "equity"):
        typer.echo(part)
        for r in bs[part]:
            typer.echo(f"  {r['code']}  {r['name']:<40} {r['amount']:>14}")
        if part == "equity":
            typer.echo(f"  {'current year earnings':<48} {bs['current_year_earnings']:>14}")
        typer.echo(f"  {'total':<48} {bs['total_' + part]:>14}")


@domain_errors
def ledger(account: str = typer.Option(..., "--account"), start: str = typer.Option(..., "--from"),
           end: str = typer.Option(..., "--to"), as_json: bool = AS_JSON) -> None:
    """General ledger of an account: opening, each line with its running balance, closing."""
    from shopledger.services.reports import statements

    gl = statements.ledger(default_engine(), account, _day(start, "--from"), _day(end, "--to"))
    if as_json:
        return emit_json(gl)
    typer.echo(f"ledger {gl['account']} {gl['from']} .. {gl['to']}  opening {gl['opening']}")
    table(gl["lines"], ["date", "entry", "document", "memo", "debit", "credit", "balance"])
    typer.echo(f"closing {gl['closing']}")


def _aged(report: dict, as_json: bool, title: str) -> None:
    if as_json:
        return emit_json(report)
    typer.echo(f"{title} as of {report['as_of']}")
    table(report["rows"], ["subject", "since", "days", "bucket", "amount"])
    typer.echo("  ".join(f"{k}: {v}" for k, v in report["buckets"].items()) + f"  total {report['total']}")


@domain_errors
def receivables(as_of: str = typer.Option(..., "--as-of"), as_json: bool = AS_JSON) -> None:
    """Receivables aging (113101) by order: 0-30, 31-60, 61-90, over 90 days."""
    from shopledger.services.reports import holdings

    _aged(holdings.receivables(default_engine(), _day(as_of, "--as-of")), as_json, "receivables (113101)")


@domain_errors
def cod_aging(as_of: str = typer.Option(..., "--as-of"), as_json: bool = AS_JSON) -> None:
    """COD aging (113201) by courier and order."""
    from shopledger.services.reports import holdings

    _aged(holdings.cod_aging(default_engine(), _day(as_of, "--as-of")), as_json, "COD receivable (113201)")


@domain_errors
def stock_valuation(as_of: str = typer.Option(..., "--as-of"), as_json: bool = AS_JSON) -> None:
    """Stock valuation as of a day: per SKU quantity, average cost and value; total = 114101."""
    from shopledger.services.reports import holdings

    sv = holdings.stock_valuation(default_engine(), _day(as_of, "--as-of"))
    if as_json:
        return emit_json(sv)
    table(sv["rows"], ["sku", "name", "quantity", "avg_cost", "value"])
    typer.echo(f"total {sv['total']}  ledger 114101 {sv['ledger_114101']}  (as of {sv['as_of']})")


@domain_errors
def sales(by: str = typer.Option(..., "--by", help="channel or product"), start: str = typer.Option(..., "--from"),
          end: str = typer.Option(..., "--to"), as_json: bool = AS_JSON) -> None:
    """Sales by channel or by product for a period (net of credit notes and voided invoices)."""
    from shopledger.services.reports import holdings

    report = holdings.sales(default_engine(), by, _day(start, "--from"), _day(end, "--to"))
    if as_json:
        return emit_json(report)
    table(report["rows"], ["key", "orders", "net", "vat", "total"])
    typer.echo(f"total {report['total']}")


# --- vat settle / pay, year close -----------------------------------------------------------------

def _show_result(result: dict, as_json: bool, what: str) -> None:
    if as_json:
        return emit_json(result)
    entry = f"entry #{result['entry']}" if result["entry"] else "no entry (nothing to post)"
    typer.echo(f"{what} {result.get('month', result.get('year'))}: {entry}; "
               + "  ".join(f"{k} {v}" for k, v in result.items() if k not in ("entry", "month", "year")))


@vat_app.command("settle")
@domain_errors
def vat_settle(month: str = MONTH, as_json: bool = AS_JSON) -> None:
    """Move the month's output and input VAT into 213301 (payable) or 115201 (refundable). Again: nothing."""
    from shopledger.services.reports import vat

    _show_result(vat.settle(default_engine(), month), as_json, "VAT settled for")


@vat_app.command("pay")
@domain_errors
def vat_pay(month: str = MONTH, account: str = typer.Option("111201", "--account", help="paid from (bank 111201)"),
            on: Optional[str] = typer.Option(None, "--date", help="the day paid (default today)"),
            as_json: bool = AS_JSON) -> None:
    """Pay the Revenue Department the month's settled VAT: Dr 213301 / Cr the account."""
    from shopledger.services.reports import vat

    day = parse_day(on, "--date") if on else None
    _show_result(vat.pay(default_engine(), month, account, on=day), as_json, "VAT paid for")


@year_app.command("close")
@domain_errors
def year_close(year: int = typer.Option(..., "--year"), as_json: bool = AS_JSON) -> None:
    """Close revenue and expense accounts to 321101 retained earnings, dated 31 December."""
    from shopledger.services.reports import statements

    _show_result(statements.close_year(default_engine(), year), as_json, "year closed")


# --- export ... -----------------------------------------------------------------------------------

@export_app.command("month")
@domain_errors
def export_month(month: str = MONTH, out: Path = typer.Option(..., "-o", "--output", help="FILE.xlsx")) -> None:
    """The accountant's pack: trial balance, journal, output VAT, PP30, receivables, stock valuation."""
    from shopledger.services.reports import exports

    _write(exports.month_pack(default_engine(), month), out, "month pack")


@export_app.command("beancount")
@domain_errors
def export_beancount(out: Path = typer.Option(..., "-o", "--output", help="FILE.beancount")) -> None:
    """The whole books as Beancount text (bean-check accepts it; the same trial balance)."""
    from shopledger.services.reports import exports

    count = exports.write_beancount(default_engine(), out)
    typer.echo(f"{count:,} transactions written to {out}", err=True)


# --- documents pdf ----------------------------------------------------------------------------------

@domain_errors
def documents_pdf(number: Optional[str] = typer.Argument(None, help="a document number, e.g. RT-202611-00001"),
                  copy: bool = typer.Option(False, "--copy", help="สำเนา / Copy instead of ต้นฉบับ / Original"),
                  month: Optional[str] = typer.Option(None, "--month", help="every document of a month, YYYY-MM"),
                  day: Optional[str] = typer.Option(None, "--day", help="every document of a day, YYYY-MM-DD"),
                  numbers: Optional[str] = typer.Option(None, "--numbers", help="a list: RT-202611-00001,CN-..."),
                  kind: Optional[str] = typer.Option(None, "--kind", help="with --month/--day: only this kind"),
                  out: Optional[Path] = OUT) -> None:
    """A document as PDF (A4, Thai first), or many in one PDF (--month, --day, --numbers)."""
    from shopledger.services.reports import paper

    engine = default_engine()
    chosen = sum(x is not None for x in (number, month, day, numbers))
    if chosen != 1:
        raise DomainError("invalid_request", "give one document NUMBER, or one of --month, --day, --numbers")
    if number is not None:
        data = paper.document_pdf(engine, number, copy=copy)
        out = out or Path(f"{number}{'-copy' if copy else ''}.pdf")
    else:
        if out is None:
            raise DomainError("invalid_request", "many documents go to one file: give it with -o FILE")
        listed = [n.strip() for n in numbers.split(",") if n.strip()] if numbers is not None else None
        if listed is not None and not listed:
            raise DomainError("invalid_request", "--numbers lists no document number")
        data = paper.documents_pdf(engine, month=month, day=parse_day(day, "--day") if day else None,
                                   numbers=listed, kind=kind, copy=copy)
    _write(data, out, "PDF")


def register(app: typer.Typer, report_app: typer.Typer, documents_app: typer.Typer) -> None:
    for name, command in (("vat", vat_report), ("pp30", pp30_report), ("profit-and-loss", profit_and_loss),
                          ("balance-sheet", balance_sheet), ("ledger", ledger), ("receivables", receivables),
                          ("cod-aging", cod_aging), ("stock-valuation", stock_valuation), ("sales", sales)):
        report_app.command(name)(command)
    app.add_typer(vat_app, name="vat")
    app.add_typer(year_app, name="year")
    app.add_typer(export_app, name="export")
    documents_app.command("pdf")(documents_pdf)
