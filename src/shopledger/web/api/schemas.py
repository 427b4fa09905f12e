"""Response shapes of the REST API (interfaces.md), so /openapi.json documents them.

Amounts are decimal strings with two places, never numbers: `Money` carries the pattern.
Shapes are open to new members (`extra="allow"`): clients must ignore what they do not know.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Money = Annotated[str, Field(pattern=r"^-?\d+\.\d{2}$", examples=["750.00"],
                             description="baht as a decimal string with two places")]
DocumentKind = Literal["invoice", "receipt_tax_invoice", "receipt", "credit_note"]
DocumentStatus = Literal["issued", "void"]


class Shape(BaseModel):
    model_config = ConfigDict(extra="allow")


class OrderRef(Shape):
    source: str = Field(examples=["import"])
    external_id: str = Field(examples=["BW-100234"])


class Document(Shape):
    number: str = Field(examples=["RT-202611-00001"])
    kind: DocumentKind
    status: DocumentStatus
    date: date
    order: OrderRef
    total: Money
    vat: Money
    refers_to: str | None = Field(None, description="the document this one pays or corrects")
    voided_on: date | None = None


class Party(Shape):
    name: str
    address: str = ""
    tax_id: str | None = None
    branch: str | None = None
    branch_label: str | None = Field(None, examples=["สำนักงานใหญ่"])


class Particulars(Shape):
    """The immutable snapshot printed on the document. Sales documents carry lines, VAT and the
    total; a credit note also `corrects`, `original_value`, `correct_value`, `difference`,
    `vat_on_difference` and the reason."""

    title: str = Field(examples=["ใบเสร็จรับเงิน/ใบกำกับภาษี"])
    title_en: str = Field(examples=["Receipt / Tax invoice"])
    date: date
    seller: Party
    buyer: Party
    order: str = Field(examples=["import:BW-100234"])
    lines: list[dict[str, Any]]
    net: Money
    vat: Money
    total: Money
    total_words: str = Field(examples=["แปดร้อยห้าสิบบาทถ้วน"])
    vat_rate: Money | None = None
    shipping_fee: Money | None = None
    discount: Money | None = None
    corrects: dict[str, Any] | None = None
    original_value: Money | None = None
    correct_value: Money | None = None
    difference: Money | None = None
    vat_on_difference: Money | None = None
    reason_code: str | None = None
    reason: str | None = None


class DocumentDetail(Shape):
    number: str
    kind: DocumentKind
    status: DocumentStatus
    date: date
    voided_on: date | None = None
    total: Money
    vat: Money
    refers_to: str | None = None
    particulars: Particulars


class EntryLine(Shape):
    account: str = Field(examples=["113101"])
    debit: Money
    credit: Money


class JournalEntry(Shape):
    id: int
    date: date
    memo: str
    event: str | None = None
    document: str | None = Field(None, examples=["IV-202611-00001"])
    reverses: int | None = Field(None, description="the id of the entry this one reverses")
    lines: list[EntryLine]


class TrialBalanceRow(Shape):
    code: str
    name: str
    name_en: str | None = None
    debit: Money
    credit: Money
    balance: Money = Field(description="debit - credit")


class TrialBalance(Shape):
    as_of: date
    accounts: list[TrialBalanceRow]
    total_debit: Money
    total_credit: Money


class ImportFailure(Shape):
    external_id: str | None
    reason: str = Field(examples=["total 760.00 does not match lines 750.00"])
    position: str = Field("", examples=["item 3"])


class ImportReport(Shape):
    created: int
    updated: int
    unchanged: int
    failed: list[ImportFailure]


class OrderSummary(Shape):
    id: int
    source: str
    external_id: str
    channel: str
    customer_name: str
    payment_status: str
    fulfillment_status: str
    cancelled: bool = Field(description="cancelled, refunded or returned: the order counts as cancelled")
    cancelled_at: datetime | None = None
    total: Money
    placed_at: datetime
    updated_at: datetime


class OrderEvent(Shape):
    at: datetime
    kind: str = Field(examples=["created"])
    actor: str
    detail: dict[str, Any]


class OrderDetail(OrderSummary):
    data: dict[str, Any] = Field(description="the order as last taken, in the interchange format (orders.md)")
    documents: list[Document]
    entries: list[JournalEntry]
    events: list[OrderEvent]


class Health(BaseModel):
    status: Literal["ok"]
    database: Literal["ok"]
