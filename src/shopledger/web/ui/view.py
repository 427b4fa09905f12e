"""How pages show things: the template set and its filters (baht, Thai dates, labels)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import quote

from fastapi.templating import Jinja2Templates

from shopledger.domain.accounting.chart import DEFAULT_CHART
from shopledger.domain.accounting.particulars import TITLES, branch_label

WEB_DIR = Path(__file__).resolve().parent.parent
HTMX_FILE = WEB_DIR / "static" / "vendor" / "htmx.min.js"

THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
               "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
STATUS_LABELS = {"issued": ("ออกแล้ว", "Issued"), "void": ("ยกเลิก", "Void")}
ACCOUNT_NAMES = {a.code: (a.name_th, a.name_en) for a in DEFAULT_CHART}


def baht(value: object) -> str:
    """'1234.5' -> '1,234.50'; blank for nothing."""
    if value is None or value == "":
        return ""
    try:
        return f"{Decimal(str(value)):,.2f}"
    except InvalidOperation:
        return str(value)


def thai_date(value: object) -> str:
    """'2026-11-20' -> '20 พฤศจิกายน 2569' (Buddhist era, as Thai documents are dated)."""
    if not value:
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return f"{day.day} {THAI_MONTHS[day.month - 1]} {day.year + 543}"


def kind_label(kind: str) -> tuple[str, str]:
    return TITLES.get(kind, (kind, kind))


def status_label(status: str) -> tuple[str, str]:
    return STATUS_LABELS.get(status, (status, status))


def account_name(code: str) -> tuple[str, str]:
    return ACCOUNT_NAMES.get(code, ("", ""))


def htmx_available() -> bool:
    """htmx is progressive here: without the vendored file the pages work as plain links."""
    return HTMX_FILE.is_file()


def line_amount(line: dict) -> str:
    """A line's amount as printed: the snapshot's, else quantity x unit price (credit-note lines)."""
    if line.get("amount") is not None:
        return str(line["amount"])
    try:
        return str(Decimal(str(line.get("unit_price") or 0)) * int(line.get("quantity") or 0))
    except (InvalidOperation, ValueError):
        return ""


def segment(value: object) -> str:
    """One path segment of a link: an id's '/', '%', '?', '#' and spaces must not end it early."""
    return quote(str(value), safe="")


def rate(value: object) -> str:
    """'7.00' -> '7'; '6.50' -> '6.5'."""
    text = str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
    env = templates.env
    env.filters.update(baht=baht, thai_date=thai_date, line_amount=line_amount, rate=rate,
                       segment=segment)
    env.globals.update(kind_label=kind_label, status_label=status_label, account_name=account_name,
                       branch_label=branch_label, htmx_available=htmx_available)
    return templates
