"""The product's own checks on an ETDA document, run before any XML is written.

The product cannot ship ETDA's schema files, so it checks what they check and what a broken
snapshot could get wrong (the tests run ETDA's XSD and Schematron on what it writes):

- the particulars ETDA requires: names, the seller's TXID of 18 digits, the seller's address
  with its province, district and subdistrict codes, postcode and house number, a buyer id in
  its scheme, the tax invoice a credit note corrects, its PurposeCode (and Purpose for 99);
- the lengths and forms of ETDA's fields (Max35 ids, Max256 texts, two-place amounts >= 0);
- the arithmetic, which the Schematron does not check: lines add up to the header, the
  header adds up, and the document says the total and VAT it was issued with.

A document that fails is refused with every reason at once, never written half-valid.
"""
from __future__ import annotations

from decimal import Decimal

from shopledger.domain.errors import DomainError
from shopledger.domain.etax.build import CREDIT_NOTE_PURPOSES, MAX_ID, MAX_NAME
from shopledger.domain.etax.model import NO_ID, TAX_INVOICE_CODES, EtaxDocument, Party, Scheme
from shopledger.domain.money import ZERO

MAX_DOCUMENT_NAME = 35
MAX_BUILDING_NUMBER = 16
MAX_NOTE = 500
MAX_LINE_THREE = 70
_CENT = Decimal("0.01")


class EtaxRefused(DomainError):
    """The document cannot be written as valid ETDA XML; `reasons` says why, each in one sentence."""

    def __init__(self, number: str, reasons: list[str]):
        super().__init__("etax_not_valid", f"e-Tax XML for {number} refused: " + "; ".join(reasons),
                         {"number": number, "reasons": reasons})
        self.reasons = reasons


def refuse_unless_valid(doc: EtaxDocument) -> EtaxDocument:
    reasons = problems(doc)
    if reasons:
        raise EtaxRefused(doc.number, reasons)
    return doc


def problems(doc: EtaxDocument) -> list[str]:
    found: list[str] = []
    found += _header(doc)
    found += _seller(doc.seller)
    found += _buyer(doc.buyer)
    found += _credit_note(doc) if doc.form.type_code == "81" else []
    found += _texts(doc)
    found += _amounts(doc)
    found += _arithmetic(doc)
    return found


def _header(doc: EtaxDocument) -> list[str]:
    found = []
    if not doc.number or len(doc.number) > MAX_ID:
        found.append(f"the document number must have 1 to {MAX_ID} characters")
    if not doc.name or len(doc.name) > MAX_DOCUMENT_NAME:
        found.append(f"the document's name must have 1 to {MAX_DOCUMENT_NAME} characters")
    if not doc.lines:
        found.append("a document needs at least one line")
    if doc.issued_at.tzinfo is None or doc.created_at.tzinfo is None:
        found.append("issue and creation times must carry their time zone")
    return found


def _seller(seller: Party) -> list[str]:
    found = []
    if not seller.name:
        found.append("the seller's name is not on the document")
    if not seller.id:
        found.append("the seller's tax id is not on the document (set it with shopledger settings company --tax-id)")
    elif not (len(seller.id) == 18 and seller.id.isascii() and seller.id.isdigit()):
        found.append(f"the seller's TXID {seller.id!r} must be 18 digits: the 13-digit tax id and the 5-digit branch")
    elif seller.id[:13] in ("0000000000000", "1111111111111"):
        found.append(f"the seller's tax id {seller.id[:13]} is not a real one")
    a = seller.address
    if a is None:
        found.append("the seller's address has no province, district and subdistrict codes (set them with "
                     "shopledger settings company --province ... --district ... --subdistrict ... --postcode ...)")
        return found
    if not _digits(a.province_code, 2):
        found.append("the seller's province code (CountrySubDivisionID) must be 2 digits")
    if not (_digits(a.district_code, 4) and a.district_code.startswith(a.province_code)):
        found.append("the seller's district code (CityName) must be 4 digits within its province")
    if not (_digits(a.subdistrict_code, 6) and a.subdistrict_code.startswith(a.district_code)):
        found.append("the seller's subdistrict code (CitySubDivisionName) must be 6 digits within its district")
    if not _digits(a.postcode, 5):
        found.append("the seller's postcode must be 5 digits")
    if not a.building_number or len(a.building_number) > MAX_BUILDING_NUMBER:
        found.append(f"the seller's house number (BuildingNumber) must have 1 to {MAX_BUILDING_NUMBER} characters "
                     "(set it with shopledger settings company --building-number ...)")
    if a.country != "TH":
        found.append("the seller's country must be TH")
    return found


def _buyer(buyer: Party) -> list[str]:
    found = []
    if not buyer.name:
        found.append("the buyer's name is not on the document")
    if buyer.scheme == Scheme.TXID and not (len(buyer.id) == 18 and buyer.id.isdigit()):
        found.append(f"the buyer's TXID {buyer.id!r} must be 18 digits")
    elif buyer.scheme == Scheme.NIDN and not (len(buyer.id) == 13 and buyer.id.isdigit()):
        found.append(f"the buyer's national id {buyer.id!r} must be 13 digits")
    elif buyer.scheme == Scheme.OTHR and buyer.id != NO_ID:
        found.append("a buyer without a tax id is OTHR N/A")
    elif buyer.scheme not in (Scheme.TXID, Scheme.NIDN, Scheme.OTHR):
        found.append(f"the buyer's id scheme {buyer.scheme!r} is not TXID, NIDN or OTHR")
    if buyer.scheme in (Scheme.TXID, Scheme.NIDN) and buyer.id[:13] in ("0000000000000", "1111111111111"):
        found.append(f"the buyer's id {buyer.id[:13]} is not a real one")
    a = buyer.address
    if a is not None and (not a.line_one or not _digits(a.postcode, 5) or not a.country):
        found.append("the buyer's address needs its text, a 5-digit postcode and a country")
    return found


def _credit_note(doc: EtaxDocument) -> list[str]:
    found = []
    if doc.purpose_code not in CREDIT_NOTE_PURPOSES:
        found.append(f"a credit note's PurposeCode must be one of {', '.join(CREDIT_NOTE_PURPOSES)}")
    if doc.purpose_code.endswith("99") and not doc.purpose:
        found.append(f"PurposeCode {doc.purpose_code} needs the reason in words (Purpose)")
    if not doc.references:
        found.append("a credit note must name the tax invoice it corrects")
    for ref in doc.references:
        if not ref.number or len(ref.number) > MAX_ID:
            found.append("the corrected tax invoice's number must have 1 to 35 characters")
        if ref.type_code not in TAX_INVOICE_CODES:
            found.append(f"a credit note corrects a tax invoice; {ref.number} is "
                         f"{'a receipt (T01) of a merchant not registered for VAT' if ref.type_code == 'T01' else 'not one'}"
                         ", and ETDA has no credit note for it")
    if doc.tax is None:
        found.append("a credit note carries the VAT on the difference")
    return found


def _texts(doc: EtaxDocument) -> list[str]:
    found = []
    for who, party in (("seller", doc.seller), ("buyer", doc.buyer)):
        if len(party.name) > MAX_NAME:
            found.append(f"the {who}'s name is longer than ETDA's {MAX_NAME} characters")
        if party.address and (len(party.address.line_one) > MAX_NAME or len(party.address.line_two) > MAX_NAME):
            found.append(f"the {who}'s address lines are longer than ETDA's {MAX_NAME} characters")
    for line in doc.lines:
        if not line.name or len(line.name) > MAX_NAME or len(line.description) > MAX_NAME:
            found.append(f"line {line.number}: a name of 1 to {MAX_NAME} characters is needed")
        if len(line.sku) > MAX_ID:
            found.append(f"line {line.number}: the product id is longer than {MAX_ID} characters")
    if len(doc.purpose) > MAX_NAME:
        found.append(f"the Purpose is longer than {MAX_NAME} characters")
    for note in doc.notes:
        if not note.content or len(note.content) > MAX_NOTE or len(note.subject) > MAX_NOTE:
            found.append(f"the note {note.subject!r} must have 1 to {MAX_NOTE} characters")
    return found


def _amounts(doc: EtaxDocument) -> list[str]:
    """Every amount ETDA reads is >= 0 with at most two places (xsd Amount: minInclusive 0)."""
    t = doc.totals
    named = [("LineTotalAmount", t.line_total), ("AllowanceTotalAmount", t.allowance_total),
             ("ChargeTotalAmount", t.charge_total), ("TaxBasisTotalAmount", t.tax_basis),
             ("TaxTotalAmount", t.tax_total), ("GrandTotalAmount", t.grand_total),
             ("OriginalInformationAmount", t.original), ("DifferenceInformationAmount", t.difference)]
    named += [(f"allowance/charge {a.reason}", a.amount) for a in doc.allowances]
    for line in doc.lines:
        named += [(f"line {line.number} net", line.net), (f"line {line.number} VAT", line.vat),
                  (f"line {line.number} unit price", line.unit_price), (f"line {line.number} discount", line.discount)]
    if doc.tax:
        named += [("tax basis", doc.tax.basis), ("tax", doc.tax.amount), ("VAT rate", doc.tax.rate)]
    found = [f"line {line.number}: the quantity must be at least 1" for line in doc.lines if line.quantity < 1]
    for name, value in named:
        if value is not None and (value < ZERO or value != value.quantize(_CENT)):
            found.append(f"{name} {value} must be an amount of at least 0.00 with two places")
    return found


def _arithmetic(doc: EtaxDocument) -> list[str]:
    t, found = doc.totals, []

    def same(what: str, left: Decimal | None, right: Decimal | None) -> None:
        if left != right:
            found.append(f"{what}: {left} is not {right}")

    lines_net = sum((l.net for l in doc.lines), ZERO)
    same("GrandTotalAmount = TaxBasisTotalAmount + TaxTotalAmount", t.grand_total, t.tax_basis + t.tax_total)
    same("GrandTotalAmount = the document's total", t.grand_total, doc.issued_total)
    if doc.tax is not None:
        same("TaxTotalAmount = the document's VAT", t.tax_total, doc.issued_vat)
        same("ApplicableTradeTax BasisAmount = TaxBasisTotalAmount", doc.tax.basis, t.tax_basis)
        same("ApplicableTradeTax CalculatedAmount = TaxTotalAmount", doc.tax.amount, t.tax_total)
    else:
        same("a document without VAT has TaxTotalAmount 0.00", t.tax_total, ZERO)
        if any(l.vat is not None for l in doc.lines):
            found.append("a document without VAT has no VAT on its lines")
    if doc.form.type_code == "81":
        same("DifferenceInformationAmount = OriginalInformationAmount - LineTotalAmount", t.difference,
             (t.original or ZERO) - t.line_total)
        same("TaxBasisTotalAmount = DifferenceInformationAmount", t.tax_basis, t.difference)
        same("the lines add up to the difference", lines_net, t.difference)
        same("the lines' VAT adds up to the VAT on the difference", sum((l.vat or ZERO for l in doc.lines), ZERO),
             t.tax_total)
    else:
        same("LineTotalAmount = the sum of the lines", t.line_total, lines_net)
        same("TaxBasisTotalAmount = LineTotalAmount - AllowanceTotalAmount + ChargeTotalAmount",
             t.tax_basis, t.line_total - t.allowance_total + t.charge_total)
        same("AllowanceTotalAmount = the discounts", t.allowance_total,
             sum((a.amount for a in doc.allowances if not a.charge), ZERO))
        same("ChargeTotalAmount = the charges", t.charge_total, sum((a.amount for a in doc.allowances if a.charge), ZERO))
        if not doc.prices_include_vat or doc.tax is None:
            for l in doc.lines:
                if l.unit_price is not None:
                    same(f"line {l.number}: quantity x unit price - discount = net", l.quantity * l.unit_price - l.discount,
                         l.net)
    return found


def _digits(value: str, length: int) -> bool:
    return len(value) == length and value.isascii() and value.isdigit()


