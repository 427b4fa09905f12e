"""Document numbers: a prefix, the year and month, five digits, gapless per prefix and month."""
from __future__ import annotations

from datetime import date

from shopledger.domain.accounting.documents import DocumentKind

PREFIXES: dict[DocumentKind, str] = {
    DocumentKind.INVOICE: "IV",
    DocumentKind.RECEIPT_TAX_INVOICE: "RT",
    DocumentKind.RECEIPT: "RE",
    DocumentKind.CREDIT_NOTE: "CN",
}


def period_of(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}"


def format_number(prefix: str, period: str, sequence: int) -> str:
    return f"{prefix}-{period}-{sequence:05d}"
