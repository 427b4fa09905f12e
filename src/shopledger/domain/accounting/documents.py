"""Sales documents an order holds, and what they add up to.

A document, once issued, is never edited: an invoice may be voided (it keeps its number), a
receipt/tax invoice is only ever answered by credit notes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from shopledger.domain.money import ZERO


class DocumentKind(StrEnum):
    INVOICE = "invoice"  # ใบแจ้งหนี้
    RECEIPT_TAX_INVOICE = "receipt_tax_invoice"  # ใบเสร็จรับเงิน/ใบกำกับภาษี
    RECEIPT = "receipt"  # ใบเสร็จรับเงิน, for a merchant not registered for VAT
    CREDIT_NOTE = "credit_note"  # ใบลดหนี้


RECEIPT_KINDS = frozenset({DocumentKind.RECEIPT_TAX_INVOICE, DocumentKind.RECEIPT})


class DocumentStatus(StrEnum):
    ISSUED = "issued"
    VOID = "void"


class Holding(StrEnum):
    """The column of the accounting-rules table: what the order already holds."""

    NONE = "none"
    INVOICE_OPEN = "invoice_open"
    RECEIPTED = "receipted"
    CLOSED = "closed"  # invoice void and none open, or the receipt credited for cancellation


CANCEL_CAUSE = "cancel"
REFUND_CAUSE_PREFIX = "refund:"
REFUNDED_STATUS_CAUSE = "refunded"


@dataclass(frozen=True, slots=True)
class HeldDocument:
    id: int
    kind: DocumentKind
    status: DocumentStatus
    number: str
    date: date
    total: Decimal
    vat: Decimal
    cause: str
    amounts_key: str = ""


@dataclass(frozen=True, slots=True)
class OrderBooks:
    """Everything already on the books for one order: its documents and refunds paid out."""

    documents: tuple[HeldDocument, ...] = ()
    refunds_paid: dict[str, Decimal] = field(default_factory=dict)

    @property
    def open_invoice(self) -> HeldDocument | None:
        for doc in self.documents:
            if doc.kind is DocumentKind.INVOICE and doc.status is DocumentStatus.ISSUED:
                return doc
        return None

    @property
    def receipt(self) -> HeldDocument | None:
        for doc in self.documents:
            if doc.kind in RECEIPT_KINDS:
                return doc
        return None

    @property
    def credit_notes(self) -> tuple[HeldDocument, ...]:
        return tuple(d for d in self.documents if d.kind is DocumentKind.CREDIT_NOTE)

    @property
    def credited_total(self) -> Decimal:
        return sum((d.total for d in self.credit_notes), ZERO)

    @property
    def credited_vat(self) -> Decimal:
        return sum((d.vat for d in self.credit_notes), ZERO)

    def has_credit_note(self, cause: str) -> bool:
        return any(d.cause == cause for d in self.credit_notes)

    @property
    def refunded_total(self) -> Decimal:
        return sum(self.refunds_paid.values(), ZERO)

    @property
    def invoice_count(self) -> int:
        return sum(1 for d in self.documents if d.kind is DocumentKind.INVOICE)

    @property
    def holding(self) -> Holding:
        if not self.documents:
            return Holding.NONE
        receipt = self.receipt
        if receipt is not None:
            # a free order's receipt (0.00) is not "fully credited" by no credit note at all
            refunded_whole = receipt.total > ZERO and self.credited_total >= receipt.total
            return Holding.CLOSED if self.has_credit_note(CANCEL_CAUSE) or refunded_whole else Holding.RECEIPTED
        if self.open_invoice is not None:
            return Holding.INVOICE_OPEN
        if any(d.kind is DocumentKind.INVOICE for d in self.documents):
            return Holding.CLOSED
        return Holding.NONE


def with_document(books: OrderBooks, doc: HeldDocument) -> OrderBooks:
    return OrderBooks(books.documents + (doc,), books.refunds_paid)


def with_void(books: OrderBooks, number: str) -> OrderBooks:
    docs = tuple(_voided(d) if d.number == number else d for d in books.documents)
    return OrderBooks(docs, books.refunds_paid)


def with_refund_paid(books: OrderBooks, cause: str, amount: Decimal) -> OrderBooks:
    return OrderBooks(books.documents, books.refunds_paid | {cause: amount})


def _voided(doc: HeldDocument) -> HeldDocument:
    return HeldDocument(doc.id, doc.kind, DocumentStatus.VOID, doc.number, doc.date, doc.total, doc.vat,
                        doc.cause, doc.amounts_key)
