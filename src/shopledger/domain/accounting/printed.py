"""How figures are written on paper (reports.md): Buddhist-era dates, amounts with thousands,
tax ids grouped as the Revenue Department prints them."""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
               "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


CREDIT_REASONS = {  # a credit note's reason as printed: Thai, then English (Revenue Code 86/10 asks for the reason)
    "cancelled_order": ("ยกเลิกคำสั่งซื้อ", "Order cancelled"),
    "returned_goods": ("รับคืนสินค้า", "Goods returned by the buyer"),
    "refund": ("คืนเงิน", "Refund"),
}


def credit_reason(code: object, text: object = "") -> tuple[str, str, str]:
    """(Thai, English, the merchant's own note) for a credit note's reason code; never the code itself."""
    thai, english = CREDIT_REASONS.get(str(code or ""), ("ลดหนี้", "Credit"))
    note = str(text or "")
    note = note[len("refund "):] if code == "refund" and note.startswith("refund ") else ""
    return thai, english, note


def thai_date(value: object) -> str:
    """'2026-11-27' -> '27 พฤศจิกายน 2569'; blank for nothing."""
    if not value:
        return ""
    day = _day(value)
    return f"{day.day} {THAI_MONTHS[day.month - 1]} {day.year + 543}"


def thai_month(year: int, month: int) -> str:
    """(2026, 11) -> 'พฤศจิกายน 2569'."""
    return f"{THAI_MONTHS[month - 1]} {year + 543}"


def amount(value: object) -> str:
    """'1234.5' -> '1,234.50'; '-46.73' -> '-46.73'; blank for nothing."""
    if value is None or value == "":
        return ""
    try:
        return f"{Decimal(str(value)):,.2f}"
    except InvalidOperation:
        return str(value)


def tax_id(value: object) -> str:
    """'0105556012341' -> '0-1055-56012-34-1' (1-4-5-2-1); anything not 13 digits as given."""
    text = str(value or "")
    if len(text) != 13 or not text.isdigit():
        return text
    return f"{text[0]}-{text[1:5]}-{text[5:10]}-{text[10:12]}-{text[12]}"


def rate(value: object) -> str:
    """'7.00' -> '7'; '6.50' -> '6.5'."""
    text = str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def thai_short_date(value: object) -> str:
    """'2026-11-27' -> '27/11/2569', as the columns of a tax report print it."""
    if not value:
        return ""
    day = _day(value)
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"
