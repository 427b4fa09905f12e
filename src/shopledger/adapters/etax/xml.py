"""An ETDA document (domain/etax/model.py) -> its XML, in the element order of ETDA's v2.1 XSDs.

The product's own checks run first (domain/etax/checks.py): a document that fails them is
refused with its reasons and nothing is written. No value carries whitespace around it
(libxml2 refuses a dateTime that does), amounts have two places, times their zone.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from lxml import etree

from shopledger.domain.etax.checks import refuse_unless_valid
from shopledger.domain.etax.model import (
    CURRENCY, GUIDELINE_ID, GUIDELINE_VERSION, Address, EtaxDocument, Line, Party, Tax,
)

XSI = "http://www.w3.org/2001/XMLSchema-instance"


def namespaces(root: str) -> dict[str, str]:
    return {"rsm": f"urn:etda:uncefact:data:standard:{root}_CrossIndustryInvoice:2",
            "ram": f"urn:etda:uncefact:data:standard:{root}_ReusableAggregateBusinessInformationEntity:2"}


def etax_xml(doc: EtaxDocument) -> bytes:
    """The document as UTF-8 XML bytes, or EtaxRefused with every reason it cannot be."""
    return etree.tostring(etax_tree(doc), xml_declaration=True, encoding="UTF-8", pretty_print=True)


def etax_tree(doc: EtaxDocument) -> etree._Element:
    refuse_unless_valid(doc)
    return _Writer(doc).root


class _Writer:
    def __init__(self, doc: EtaxDocument):
        self.doc = doc
        self.ns = namespaces(doc.form.root)
        self.root = etree.Element(self._rsm(f"{doc.form.root}_CrossIndustryInvoice"), nsmap=self.ns)
        context = self._sub(self.root, "rsm", "ExchangedDocumentContext")
        guideline = self._sub(context, "ram", "GuidelineSpecifiedDocumentContextParameter")
        self._leaf(guideline, "ID", GUIDELINE_ID, schemeAgencyID="ETDA", schemeVersionID=GUIDELINE_VERSION)
        self._document()
        transaction = self._sub(self.root, "rsm", "SupplyChainTradeTransaction")
        self._agreement(transaction)
        self._sub(transaction, "ram", "ApplicableHeaderTradeDelivery")
        self._settlement(transaction)
        for line in doc.lines:
            self._line(transaction, line)

    # --- the header ---

    def _document(self) -> None:
        d = self.doc
        node = self._sub(self.root, "rsm", "ExchangedDocument")
        self._leaf(node, "ID", d.number)
        self._leaf(node, "Name", d.name)
        self._leaf(node, "TypeCode", d.form.type_code)
        self._leaf(node, "IssueDateTime", _time(d.issued_at))
        if d.purpose:
            self._leaf(node, "Purpose", d.purpose)
        if d.purpose_code:
            self._leaf(node, "PurposeCode", d.purpose_code)
        if d.form.has_creation_time:
            self._leaf(node, "CreationDateTime", _time(d.created_at))
        for note in d.notes:
            included = self._sub(node, "ram", "IncludedNote")
            self._leaf(included, "Subject", note.subject)
            self._leaf(included, "Content", note.content)

    def _agreement(self, transaction: etree._Element) -> None:
        node = self._sub(transaction, "ram", "ApplicableHeaderTradeAgreement")
        self._party(node, "SellerTradeParty", self.doc.seller)
        self._party(node, "BuyerTradeParty", self.doc.buyer)
        for ref in self.doc.references:
            referenced = self._sub(node, "ram", "AdditionalReferencedDocument")
            self._leaf(referenced, "IssuerAssignedID", ref.number)
            self._leaf(referenced, "IssueDateTime", f"{ref.issued_on.isoformat()}T00:00:00+07:00")
            self._leaf(referenced, "ReferenceTypeCode", ref.type_code)

    def _party(self, parent: etree._Element, tag: str, party: Party) -> None:
        node = self._sub(parent, "ram", tag)
        self._leaf(node, "Name", party.name)
        registration = self._sub(node, "ram", "SpecifiedTaxRegistration")
        self._leaf(registration, "ID", party.id, schemeID=party.scheme, schemeAgencyID="RD")
        if party.address is not None:
            self._address(node, party.address)

    def _address(self, parent: etree._Element, a: Address) -> None:
        node = self._sub(parent, "ram", "PostalTradeAddress")
        for tag, value in (("PostcodeCode", a.postcode), ("LineOne", a.line_one), ("LineTwo", a.line_two),
                           ("CityName", a.district_code), ("CitySubDivisionName", a.subdistrict_code)):
            if value:
                self._leaf(node, tag, value)
        self._leaf(node, "CountryID", a.country, schemeID="3166-1 alpha-2")
        if a.province_code:
            self._leaf(node, "CountrySubDivisionID", a.province_code)
        if a.building_number:
            self._leaf(node, "BuildingNumber", a.building_number)

    def _settlement(self, transaction: etree._Element) -> None:
        d, t = self.doc, self.doc.totals
        node = self._sub(transaction, "ram", "ApplicableHeaderTradeSettlement")
        self._leaf(node, "InvoiceCurrencyCode", CURRENCY, listID="ISO 4217 3A")
        if d.tax is not None:
            self._tax(node, d.tax)
        for allowance in d.allowances:
            charge = self._sub(node, "ram", "SpecifiedTradeAllowanceCharge")
            self._leaf(charge, "ChargeIndicator", "true" if allowance.charge else "false")
            self._leaf(charge, "ActualAmount", _amount(allowance.amount))
            self._leaf(charge, "Reason", allowance.reason)
        summation = self._sub(node, "ram", "SpecifiedTradeSettlementHeaderMonetarySummation")
        if t.original is not None:
            self._leaf(summation, "OriginalInformationAmount", _amount(t.original))
        self._leaf(summation, "LineTotalAmount", _amount(t.line_total))
        if t.difference is not None:
            self._leaf(summation, "DifferenceInformationAmount", _amount(t.difference))
        self._leaf(summation, "AllowanceTotalAmount", _amount(t.allowance_total))
        self._leaf(summation, "ChargeTotalAmount", _amount(t.charge_total))
        self._leaf(summation, "TaxBasisTotalAmount", _amount(t.tax_basis))
        if d.tax is not None:
            self._leaf(summation, "TaxTotalAmount", _amount(t.tax_total))
        self._leaf(summation, "GrandTotalAmount", _amount(t.grand_total))

    def _tax(self, parent: etree._Element, tax: Tax) -> None:
        node = self._sub(parent, "ram", "ApplicableTradeTax")
        self._leaf(node, "TypeCode", "VAT")
        self._leaf(node, "CalculatedRate", _amount(tax.rate))
        self._leaf(node, "BasisAmount", _amount(tax.basis))
        self._leaf(node, "CalculatedAmount", _amount(tax.amount))

    # --- the lines ---

    def _line(self, transaction: etree._Element, line: Line) -> None:
        node = self._sub(transaction, "ram", "IncludedSupplyChainTradeLineItem")
        self._leaf(self._sub(node, "ram", "AssociatedDocumentLineDocument"), "LineID", str(line.number))
        product = self._sub(node, "ram", "SpecifiedTradeProduct")
        if line.sku:
            self._leaf(product, "ID", line.sku)
        self._leaf(product, "Name", line.name)
        if line.description:
            self._leaf(product, "Description", line.description)
        agreement = self._sub(node, "ram", "SpecifiedLineTradeAgreement")
        if line.unit_price is not None:
            price = self._sub(agreement, "ram", "GrossPriceProductTradePrice")
            self._leaf(price, "ChargeAmount", _amount(line.unit_price))
        delivery = self._sub(node, "ram", "SpecifiedLineTradeDelivery")
        self._leaf(delivery, "BilledQuantity", str(line.quantity), unitCode="C62")
        settlement = self._sub(node, "ram", "SpecifiedLineTradeSettlement")
        if line.vat is not None and line.rate is not None:
            self._tax(settlement, Tax(line.rate, line.net, line.vat))
        if line.discount:
            allowance = self._sub(settlement, "ram", "SpecifiedTradeAllowanceCharge")
            self._leaf(allowance, "ChargeIndicator", "false")
            self._leaf(allowance, "ActualAmount", _amount(line.discount))
            self._leaf(allowance, "Reason", "ส่วนลด (discount)")
        summation = self._sub(settlement, "ram", "SpecifiedTradeSettlementLineMonetarySummation")
        if line.vat is not None:
            self._leaf(summation, "TaxTotalAmount", _amount(line.vat))
        self._leaf(summation, "NetLineTotalAmount", _amount(line.net))
        self._leaf(summation, "NetIncludingTaxesLineTotalAmount", _amount(line.with_vat))

    # --- elements ---

    def _rsm(self, name: str) -> str:
        return f"{{{self.ns['rsm']}}}{name}"

    def _sub(self, parent: etree._Element, prefix: str, name: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{self.ns[prefix]}}}{name}")

    def _leaf(self, parent: etree._Element, name: str, value: str, **attributes: str) -> etree._Element:
        node = etree.SubElement(parent, f"{{{self.ns['ram']}}}{name}", attributes)
        node.text = value
        return node


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _time(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
