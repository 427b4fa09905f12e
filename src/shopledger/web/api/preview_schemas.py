"""The answer of POST /imports?dry_run=true: what the import would do (services/preview.py;
docs/imports.md). Amounts are decimal strings, as everywhere."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from shopledger.web.api.schemas import ImportReport, Money, Shape


class PlannedDocument(Shape):
    number: str = Field(examples=["RT-202611-00001"], description="the number it would get now")
    kind: str = Field(examples=["receipt_tax_invoice"])
    date: str = Field(examples=["2026-11-20"])
    total: Money
    vat: Money
    refers_to: str | None = Field(description="the document it pays or corrects (a credit note's tax invoice)")


class PlannedVoid(Shape):
    number: str
    kind: str
    voided_on: str | None


class PlannedLine(Shape):
    account: str = Field(examples=["411101"])
    debit: Money
    credit: Money


class PlannedEntry(Shape):
    date: str
    memo: str
    event: str
    document: str | None
    reverses: str | None = Field(description="the document whose entry it reverses")
    lines: list[PlannedLine]


class PlannedMovement(Shape):
    sku: str
    kind: str = Field(examples=["ship"])
    quantity: int = Field(description="change of the goods on hand")
    reserved: int = Field(description="change of the goods reserved")
    unit_cost: Money | None = Field(description="the cost each unit moves at (none for a reservation)")
    value: Money


class PlannedAlert(Shape):
    kind: str
    reason: str
    action: str


class PlannedOrder(Shape):
    source: str
    external_id: str
    outcome: Literal["created", "updated"]
    documents: list[PlannedDocument]
    voided: list[PlannedVoid]
    entries: list[PlannedEntry]
    movements: list[PlannedMovement]
    alerts: list[PlannedAlert]


class AccountTotal(Shape):
    account: str
    name: str
    name_en: str
    debit: Money
    credit: Money


class NewProduct(Shape):
    sku: str
    name: str


class ImportPreview(ImportReport):
    dry_run: Literal[True]
    orders: list[PlannedOrder] = Field(description="the first orders_shown orders in detail, in file order")
    orders_total: int = Field(description="how many orders would be created or updated")
    accounts: list[AccountTotal] = Field(description="every line posted, added up per account (all orders)")
    new_products: list[NewProduct]
    books: str = Field(description="a fingerprint of the books the preview was made on")
