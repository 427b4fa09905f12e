"""What the reconciler decides for an order: plain values, carried out by the posting service."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from shopledger.domain.accounting.documents import HeldDocument


@dataclass(frozen=True, slots=True)
class IssueInvoice:
    """Bill the order: revenue booked against accounts receivable, VAT not yet due."""


@dataclass(frozen=True, slots=True)
class VoidInvoice:
    invoice: HeldDocument
    reason: str
    on: date


@dataclass(frozen=True, slots=True)
class IssueReceipt:
    """A receipt/tax invoice (or a plain receipt when not VAT-registered). With an invoice it
    records the payment against it; without one it books the revenue directly."""

    against_invoice: HeldDocument | None


@dataclass(frozen=True, slots=True)
class IssueCreditNote:
    cause: str
    total: Decimal
    vat: Decimal
    reason_code: str  # cancelled_order, returned_goods, refund
    reason: str
    on: date
    refund_id: str | None = None


@dataclass(frozen=True, slots=True)
class PayRefund:
    cause: str
    amount: Decimal
    on: date


@dataclass(frozen=True, slots=True)
class RaiseAlert:
    code: str
    reason: str
    action: str


Action = IssueInvoice | VoidInvoice | IssueReceipt | IssueCreditNote | PayRefund | RaiseAlert
