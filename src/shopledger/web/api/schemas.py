"""Response shapes of the REST API (interfaces.md), so /openapi.json documents them.

Amounts are decimal strings with two places, never numbers: `Money` carries the pattern.
Shapes are open to new members (`extra="allow"`): clients must ignore what they do not know.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, WithJsonSchema
from pydantic_core import PydanticCustomError

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


# -- running the shop: orders with their display status, stock, shipping, COD, alerts ------

MoneyIn = Annotated[str, Field(pattern=r"^\d+(\.\d{1,2})?$", examples=["180.00"],
                               description="baht as a decimal string (at most two places); a JSON number is refused")]
DisplayStatusName = Annotated[str, Field(examples=["to_ship"], description=(
    "awaiting_payment, checking_payment, to_ship, shipped, delivered, cod_awaiting_remittance, completed, "
    "cancelled, refunded or returned; derived from the two axes, never stored"))]


class StuckReason(Shape):
    kind: str = Field(examples=["stuck_order"])
    code: str = Field(examples=["paid_not_shipped"])
    reason: str = Field(examples=["paid 3 days ago, not shipped"])
    action: str = Field(examples=["ship it or cancel it"])
    since: datetime | None = None


class OrderView(Shape):
    """An order as staff read it (`shopledger orders --json`): both axes and the display status."""

    id: int
    source: str = Field(examples=["import"])
    external_id: str = Field(examples=["BW-100234"])
    channel: str = Field(examples=["website"])
    customer_name: str
    payment_method: str = Field(examples=["bank_transfer"])
    payment_status: str = Field(examples=["paid"])
    fulfillment_status: str = Field(examples=["unfulfilled"])
    cancelled: bool = Field(description="cancelled, refunded or returned: the order counts as cancelled")
    total: Money
    placed_at: datetime
    updated_at: datetime
    display_status: DisplayStatusName
    display_label: str = Field(examples=["To ship"])
    display_label_th: str = Field(examples=["รอจัดส่ง"])
    carrier: str | None = Field(None, examples=["Kerry Express"])
    tracking_number: str | None = None
    tracking_url: str | None = None
    cod_remitted: bool = False
    stuck: list[StuckReason] | None = Field(None, description="with `stuck=true` (and in the detail): why it is stuck")


class ShipmentView(Shape):
    carrier: str = Field(examples=["kerry"])
    carrier_name: str | None = Field(None, examples=["Kerry Express"])
    tracking_number: str
    tracking_url: str | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    returned_at: datetime | None = None
    cod_amount: Money | None = None
    remitted_at: datetime | None = None


class StockMovement(Shape):
    id: int
    at: datetime
    sku: str
    kind: str = Field(examples=["receipt"])
    on_hand_delta: int
    reserved_delta: int
    value_delta: Money
    cause: str | None = None
    ref: str | None = None
    order: str | None = Field(None, examples=["import:BW-100234"])


class OrderEventView(OrderEvent):
    what: str = Field(examples=["payment_status unpaid -> paid; issued RT-202611-00001"])


class OrderDetailView(OrderView):
    data: dict[str, Any] = Field(description="the order as last taken, in the interchange format (orders.md)")
    shipment: ShipmentView | None
    documents: list[Document]
    entries: list[JournalEntry]
    stock_movements: list[StockMovement]
    events: list[OrderEventView]


class StockLevel(Shape):
    sku: str = Field(examples=["HONEY-1L"])
    name: str
    on_hand: int
    reserved: int
    available: int
    avg_cost: Money
    low_stock_at: int | None = None


class Product(StockLevel):
    price: Money
    cost: Money
    value: Money = Field(description="stock value at moving-average cost")
    created_from: str | None = Field(None, description="`unknown_sku` when an order named it before it was set up")


class PlannedMovement(Shape):
    kind: str
    on_hand_delta: int
    value_delta: Money
    cause: str | None = None


class DraftEntry(Shape):
    date: date
    memo: str
    event: str | None = None
    lines: list[EntryLine]


class StockChange(Shape):
    sku: str
    movements: list[PlannedMovement]
    entries: list[DraftEntry]
    stock: Product


class ShipRow(Shape):
    line: int = Field(description="the row's line in the file (the header is line 1); for a JSON list, its position (first = 1)")
    source: str
    external_id: str
    carrier: str
    tracking: str


class ShipFailure(ShipRow):
    reason: str = Field(examples=["order shop:X-9 not found"])


class ShipReport(Shape):
    shipped: list[ShipRow]
    unchanged: list[ShipRow]
    failed: list[ShipFailure]


class CodMatched(Shape):
    line: int
    tracking: str
    order: str
    cod: Money
    fee: Money


class CodMismatch(Shape):
    line: int
    tracking: str | None
    code: str = Field(examples=["unknown_tracking"])
    reason: str
    order: str | None = None


class CodRemittance(Shape):
    carrier: str = Field(examples=["Kerry Express"])
    statement: str = Field(examples=["kerry-w47.csv"])
    remittance_id: int | None = Field(description="null when no row matched (nothing was booked)")
    entry_id: int | None
    paid_on: date | None
    entry_date: date | None
    total_cod: Money
    total_fee: Money
    net: Money
    lines: list[EntryLine]
    matched: list[CodMatched]
    mismatches: list[CodMismatch]


class CodBucket(Shape):
    age: str = Field(examples=["0-7"])
    amount: Money
    count: int


class CodCarrierOwes(Shape):
    carrier: str
    total: Money
    buckets: list[CodBucket]


class CodReceivable(Shape):
    as_of: date
    total: Money
    ledger_balance: Money = Field(description="the balance of 113201 in the books, to compare")
    carriers: list[CodCarrierOwes]


class Alert(Shape):
    kind: str = Field(examples=["stuck_order"], description=(
        "stuck_order, low_stock, oversell, unknown_sku, cod_mismatch, sync_failed (and books_conflict, "
        "company_not_set_up)"))
    subject: str = Field(examples=["import:BW-1"])
    reason: str = Field(examples=["paid 3 days ago, not shipped"])
    since: datetime | None = Field(None, examples=["2026-11-21T09:02:11+07:00"])
    action: str = Field(examples=["ship it or cancel it"])
    id: int | None = Field(None, description="stored alerts only (cod_mismatch, books_conflict): resolve by this id")


class ResolvedAlert(Alert):
    resolved_at: datetime


class Input(BaseModel):
    """A request body: a member it does not know is refused (a typo is not silently ignored)."""

    model_config = ConfigDict(extra="forbid")


# Pydantic's lax mode reads 0 as the date 1970-01-01, `false` as the count 0 and 1 as yes; a
# request means none of these. FastAPI validates the decoded JSON as Python objects, where
# strict mode would refuse even "2026-11-30" for a date, so each kind says what it takes.
_ISO_DAY = re.compile(r"(19[0-9]{2}|[2-9][0-9]{3})-[0-9]{2}-[0-9]{2}")  # from 1900 on: a day before has no books
DAY_PATTERN = "^" + _ISO_DAY.pattern + "$"


def _day_text(value: object) -> object:
    if (isinstance(value, str) and _ISO_DAY.fullmatch(value)) or type(value) is date:
        return value
    raise PydanticCustomError("date_text", "Input should be a date written as YYYY-MM-DD")


def whole_number(value: object) -> object:
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    raise PydanticCustomError("int_type", "Input should be a valid integer")


def _true_or_false(value: object) -> object:
    if isinstance(value, bool) or value in ("true", "false"):
        return value
    raise PydanticCustomError("bool_text", "Input should be true or false")


MONTH_PATTERN = r"^(19[0-9]{2}|[2-9][0-9]{3})-(0[1-9]|1[0-2])$"
"""YYYY-MM from 1900 on (statements.parse_month), as a query gives it."""
DocumentKind = Literal["invoice", "receipt_tax_invoice", "receipt", "credit_note"]
Day = Annotated[date, BeforeValidator(_day_text),
                WithJsonSchema({"type": "string", "format": "date", "pattern": DAY_PATTERN})]
"""A date in a body or a query: the text YYYY-MM-DD, never a number."""
Count = Annotated[int, BeforeValidator(whole_number)]
"""A quantity or a level in a body: a JSON integer (5.0 too, as JSON Schema counts it), never a
boolean, a fraction or text."""
Flag = StrictBool
"""Yes or no in a body: JSON true or false, never 0 or 1."""
QueryFlag = Annotated[bool, BeforeValidator(_true_or_false)]
"""Yes or no in a query: `true` or `false`."""
