"""An ETDA e-Tax Invoice & e-Receipt document (ขมธอ. 3-2560, schema v2.1) as plain data.

Built from a document's particulars snapshot (domain/etax/build.py), checked by the product's
own rules (domain/etax/checks.py), written as XML by adapters/etax/xml.py. Every amount is
Decimal baht with two places, before VAT unless its name says otherwise.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from shopledger.domain.accounting.documents import DocumentKind

GUIDELINE_ID = "ER3-2560"  # ขมธอ. 3-2560
GUIDELINE_VERSION = "v2.1"
CURRENCY = "THB"
COUNTRY = "TH"


@dataclass(frozen=True, slots=True)
class Form:
    """Which ETDA document a kind of ours is: the root element and the TypeCode."""

    root: str  # TaxInvoice | DebitCreditNote | Invoice | Receipt (+ "_CrossIndustryInvoice")
    type_code: str

    @property
    def has_creation_time(self) -> bool:
        return self.root != "Invoice"  # Invoice_CrossIndustryInvoice has no CreationDateTime


FORMS: dict[DocumentKind, Form] = {
    DocumentKind.RECEIPT_TAX_INVOICE: Form("TaxInvoice", "T03"),  # ใบเสร็จรับเงิน/ใบกำกับภาษี
    DocumentKind.CREDIT_NOTE: Form("DebitCreditNote", "81"),  # ใบลดหนี้
    DocumentKind.INVOICE: Form("Invoice", "380"),  # ใบแจ้งหนี้
    DocumentKind.RECEIPT: Form("Receipt", "T01"),  # ใบรับ (ใบเสร็จรับเงิน), a merchant not registered for VAT
}

# What a credit note may correct: a tax invoice in any of ETDA's forms (DCN-AdditionalReferencedDocument-001).
TAX_INVOICE_CODES = frozenset({"388", "T02", "T03", "T04", "T05", "T06", "80", "81"})


class Scheme:
    """How a party's id is read (SpecifiedTaxRegistration/ID/@schemeID)."""

    TXID = "TXID"  # 13-digit tax id + 5-digit branch, 18 characters
    NIDN = "NIDN"  # 13-digit national (citizen) id
    OTHR = "OTHR"  # none given: the id is "N/A"


NO_ID = "N/A"


@dataclass(frozen=True, slots=True)
class Address:
    """PostalTradeAddress. The seller's is structured (codes of TISI 1099 / DOPA); a buyer's
    is the free text of the order in `line_one`/`line_two` with the postcode found in it."""

    postcode: str = ""
    line_one: str = ""
    line_two: str = ""
    district_code: str = ""  # CityName: 4 digits (อำเภอ/เขต)
    subdistrict_code: str = ""  # CitySubDivisionName: 6 digits (ตำบล/แขวง)
    province_code: str = ""  # CountrySubDivisionID: 2 digits (จังหวัด)
    building_number: str = ""  # บ้านเลขที่
    country: str = COUNTRY


@dataclass(frozen=True, slots=True)
class Party:
    name: str
    scheme: str
    id: str
    address: Address | None = None


@dataclass(frozen=True, slots=True)
class Reference:
    """AdditionalReferencedDocument: the tax invoice a credit note corrects."""

    number: str
    issued_on: date
    type_code: str


@dataclass(frozen=True, slots=True)
class Note:
    subject: str
    content: str


@dataclass(frozen=True, slots=True)
class Tax:
    """ApplicableTradeTax: VAT at `rate` percent on `basis` is `amount`."""

    rate: Decimal
    basis: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class AllowanceCharge:
    """A header discount (charge=False) or charge such as shipping (charge=True), before VAT."""

    charge: bool
    amount: Decimal
    reason: str


@dataclass(frozen=True, slots=True)
class Line:
    number: int
    sku: str
    name: str
    quantity: int
    net: Decimal  # NetLineTotalAmount: the line before VAT
    vat: Decimal | None  # the line's VAT; None where the document carries no VAT
    unit_price: Decimal | None = None  # before VAT, for information (exact when prices exclude VAT)
    discount: Decimal = Decimal("0.00")  # the line's own discount, before VAT
    description: str = ""  # the rest of a name longer than ETDA's 256 characters, or the SKU past 35
    rate: Decimal | None = None

    @property
    def with_vat(self) -> Decimal:
        return self.net + (self.vat or Decimal("0.00"))


@dataclass(frozen=True, slots=True)
class Totals:
    """SpecifiedTradeSettlementHeaderMonetarySummation.

    Sales: line_total = sum of lines; tax_basis = line_total - allowances + charges;
    grand_total = tax_basis + tax_total. Credit note: original (before this note) - line_total
    (the correct value) = difference = tax_basis; grand_total = difference + tax_total."""

    line_total: Decimal
    tax_basis: Decimal
    tax_total: Decimal
    grand_total: Decimal
    allowance_total: Decimal = Decimal("0.00")
    charge_total: Decimal = Decimal("0.00")
    original: Decimal | None = None
    difference: Decimal | None = None


@dataclass(frozen=True, slots=True)
class EtaxDocument:
    form: Form
    number: str
    name: str  # as printed on the document
    issued_at: datetime
    created_at: datetime
    seller: Party
    buyer: Party
    totals: Totals
    lines: tuple[Line, ...]
    tax: Tax | None  # None: no VAT on this document (a merchant not registered for VAT)
    allowances: tuple[AllowanceCharge, ...] = ()
    references: tuple[Reference, ...] = ()
    purpose_code: str = ""
    purpose: str = ""
    notes: tuple[Note, ...] = ()
    prices_include_vat: bool = True
    issued_total: Decimal = Decimal("0.00")  # the total and VAT the document was issued with
    issued_vat: Decimal = Decimal("0.00")
