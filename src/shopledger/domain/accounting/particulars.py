"""What each document must show (accounting-rules.md), frozen as a snapshot when it is issued.

The snapshot is the legal document: later changes to the company settings or the order do
not touch a document already issued.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from num2words import num2words

from shopledger.domain.accounting.documents import DocumentKind
from shopledger.domain.accounting.vat import DocumentAmounts
from shopledger.domain.money import fmt
from shopledger.domain.orders.model import Customer

TITLES: dict[DocumentKind, tuple[str, str]] = {
    DocumentKind.INVOICE: ("ใบแจ้งหนี้", "Invoice"),
    DocumentKind.RECEIPT_TAX_INVOICE: ("ใบเสร็จรับเงิน/ใบกำกับภาษี", "Receipt / Tax invoice"),
    DocumentKind.RECEIPT: ("ใบเสร็จรับเงิน", "Receipt"),
    DocumentKind.CREDIT_NOTE: ("ใบลดหนี้", "Credit note"),
}


@lru_cache(maxsize=4096)  # shops sell the same few totals over and over
def baht_words(amount: Decimal) -> str:
    """The amount in Thai words: ...บาทถ้วน, or ...บาท...สตางค์."""
    words = num2words(abs(amount), lang="th", to="currency")
    return ("ลบ" + words) if amount < 0 else words


def branch_label(branch: str) -> str:
    if not branch or branch == "00000":
        return "สำนักงานใหญ่"
    return f"สาขาที่ {branch}"


def party(name: str, address: str, tax_id: str, branch: str) -> dict:
    shown = {"name": name, "address": address}
    if tax_id:
        shown |= {"tax_id": tax_id, "branch": branch or "00000", "branch_label": branch_label(branch)}
    return shown


POSTAL_FIELDS = ("building_number", "address_line", "subdistrict_code", "subdistrict", "district_code", "district",
                 "province_code", "province", "postcode")


def seller_postal(company: object) -> dict:
    """The seller's address in parts with its codes, once the company has them: {"postal": {...}}."""
    if not getattr(company, "province_code", ""):
        return {}
    return {"postal": {name: getattr(company, name) for name in POSTAL_FIELDS}}


def buyer_of(customer: Customer) -> dict:
    return party(customer.name, customer.address, customer.tax_id, customer.branch)


def sale_particulars(kind: DocumentKind, day: date, seller: dict, buyer: dict,
                     amounts: DocumentAmounts, order_ref: str) -> dict:
    """Invoice, receipt/tax invoice or receipt: every line, VAT apart from its base, the total."""
    title_th, title_en = TITLES[kind]
    return {
        "title": title_th, "title_en": title_en, "date": day.isoformat(),
        "seller": seller, "buyer": buyer, "order": order_ref,
        "lines": [{"sku": l.sku, "name": l.name, "quantity": l.quantity,
                   "unit_price": fmt(l.unit_price), "discount": fmt(l.discount),
                   "amount": fmt(l.amount), "vat": fmt(l.vat)} for l in amounts.lines],
        "shipping_fee": fmt(amounts.shipping_fee), "discount": fmt(amounts.discount),
        "vat_rate": fmt(amounts.rate), "net": fmt(amounts.net), "vat": fmt(amounts.vat),
        "total": fmt(amounts.total), "total_words": baht_words(amounts.total),
        "prices_include_vat": amounts.prices_include_vat,
    }


def credit_note_particulars(day: date, seller: dict, buyer: dict, order_ref: str, *,
                            corrects: dict, original_value: Decimal, credited_before: Decimal,
                            total: Decimal, vat: Decimal, reason_code: str, reason: str,
                            lines: list[dict]) -> dict:
    """ใบลดหนี้ as Revenue Code 86/10 has it: the tax invoice it corrects, its value, the correct
    value and the difference, all before VAT, then the VAT on the difference, and why.

    `original_value` is the corrected tax invoice's value before VAT, whatever earlier notes
    took off it; those (`credited_before`, before VAT) are shown apart, so that the correct
    value is what the sale is worth once this note is issued."""
    difference = total - vat
    return {
        "title": "ใบลดหนี้", "title_en": "Credit note", "date": day.isoformat(),
        "seller": seller, "buyer": buyer, "order": order_ref, "corrects": corrects,
        "original_value": fmt(original_value), "credited_before": fmt(credited_before),
        "correct_value": fmt(original_value - credited_before - difference),
        "difference": fmt(difference), "vat_on_difference": fmt(vat), "net": fmt(difference),
        "vat": fmt(vat), "total": fmt(total), "total_words": baht_words(total),
        "reason_code": reason_code, "reason": reason, "lines": lines,
    }
