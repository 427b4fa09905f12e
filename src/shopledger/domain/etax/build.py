"""A document's particulars snapshot -> the ETDA document (docs/etax.md says why each choice).

Only the snapshot is read, so the XML shows what the printed document shows, whatever changed
in the settings or the order since. Two things the snapshot of an older document may lack are
taken from elsewhere: the seller's address codes (from the company settings, when the address
text is the same one) and, for a credit note, the form and VAT rate of the tax invoice it
corrects (from that document).

Amounts: our lines carry prices that include VAT (or not: `prices_include_vat`) and an order
discount spread over them; ETDA wants every line before VAT with its VAT, and a header of
LineTotal - allowances + charges = TaxBasis, + Tax = Grand. The split below gives exactly the
document's own VAT and total:

- prices include VAT: line net = amount - its VAT share (as booked) - the VAT inside its part
  of the order discount; the discount before VAT = discount - that VAT; shipping before VAT =
  fee - its VAT share. Then TaxBasis = total - VAT to the satang, and each line's net + VAT is
  the amount printed on it.
- prices exclude VAT: lines, discount and shipping are already before VAT.
- no VAT (not registered): the same, with no tax at all.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from shopledger.domain.accounting.documents import DocumentKind
from shopledger.domain.accounting.vat import vat_in, vat_on
from shopledger.domain.clock import BANGKOK
from shopledger.domain.etax.model import (
    FORMS, NO_ID, Address, AllowanceCharge, EtaxDocument, Line, Note, Party, Reference, Scheme, Tax, Totals,
)
from shopledger.domain.money import ZERO, allocate, from_satang, round_half_up, to_satang
from shopledger.domain.orders.taxid import HEAD_OFFICE

MAX_NAME = 256  # Name, LineOne, LineTwo, Purpose (Max256Text)
MAX_ID = 35  # IDs, SKUs (Max35ID)

# ETDA's reasons for a credit note on goods (ThaiMessageFunctionCode, ใบลดหนี้กรณีสินค้า).
CREDIT_NOTE_PURPOSES = {
    "CDNG01": "ลดราคาสินค้าที่ขาย (สินค้าผิดข้อกำหนดที่ตกลงกัน)",
    "CDNG02": "สินค้าชำรุดเสียหาย",
    "CDNG03": "สินค้าขาดจำนวนตามที่ตกลงซื้อขาย",
    "CDNG04": "คำนวณราคาสินค้าผิดพลาดสูงกว่าที่เป็นจริง",
    "CDNG05": "รับคืนสินค้า (ไม่ตรงตามคำพรรณนา)",
    "CDNG99": "เหตุอื่น (ระบุสาเหตุ)",
}
# Our reason codes (domain/sync/reconcile.py) -> (PurposeCode, the Purpose text in Thai).
REASON_PURPOSES = {
    "returned_goods": ("CDNG05", "รับคืนสินค้า"),
    "cancelled_order": ("CDNG99", "ยกเลิกคำสั่งซื้อหลังชำระเงิน"),
    "refund": ("CDNG99", "คืนเงินให้ผู้ซื้อ"),
}

_POSTCODE = re.compile(r"(?<!\d)\d{5}(?!\d)")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


@dataclass(frozen=True, slots=True)
class Issued:
    """One document as stored, and what its snapshot may need from elsewhere."""

    number: str
    kind: DocumentKind
    day: date
    issued_at: datetime  # aware
    total: Decimal
    vat: Decimal
    particulars: dict
    company: dict | None = None  # the company settings now (for an older snapshot's address codes)
    corrected_kind: DocumentKind | None = None  # a credit note: the document it corrects
    corrected_rate: Decimal | None = None


def etax_document(doc: Issued) -> EtaxDocument:
    p = doc.particulars
    form = FORMS[doc.kind]
    notes = [Note("คำสั่งซื้อ (Order)", p["order"])] if p.get("order") else []
    if p.get("pays"):
        notes.append(Note("ชำระตามใบแจ้งหนี้ (Pays invoice)", f"{p['pays']['number']} ({p['pays']['date']})"))
    buyer, buyer_note = buyer_party(p.get("buyer") or {})
    notes += buyer_note
    common = dict(form=form, number=doc.number, name=text(p.get("title", "")),
                  issued_at=datetime.combine(doc.day, time(0), BANGKOK),
                  created_at=doc.issued_at.astimezone(BANGKOK).replace(microsecond=0),
                  seller=seller_party(p.get("seller") or {}, doc.company), buyer=buyer,
                  issued_total=doc.total, issued_vat=doc.vat)
    if doc.kind is DocumentKind.CREDIT_NOTE:
        return _credit_note(doc, common, notes)
    return _sale(doc, common, notes)


# --- parties --------------------------------------------------------------------------------


def seller_party(seller: dict, company: dict | None = None) -> Party:
    """TXID = the 13-digit tax id and the 5-digit branch; the address with its codes."""
    tax_id = seller.get("tax_id") or ""
    postal = seller.get("postal") or _same_address_coded(seller, company)
    address = None
    if postal:
        address = Address(postcode=postal.get("postcode", ""), line_one=text(postal.get("address_line", "")),
                          district_code=postal.get("district_code", ""),
                          subdistrict_code=postal.get("subdistrict_code", ""),
                          province_code=postal.get("province_code", ""),
                          building_number=text(postal.get("building_number", "")))
    branch = seller.get("branch") or HEAD_OFFICE
    return Party(text(seller.get("name", "")), Scheme.TXID, tax_id + branch if tax_id else "", address)


def _same_address_coded(seller: dict, company: dict | None) -> dict | None:
    """A snapshot from before the company's address had codes: the codes set since describe
    the same address when the address text and the tax id are those on the document."""
    if not company or not company.get("province_code"):
        return None
    same = (text(company.get("address", "")) == text(seller.get("address", ""))
            and (company.get("tax_id") or "") == (seller.get("tax_id") or ""))
    return company if same else None


def buyer_party(buyer: dict) -> tuple[Party, list[Note]]:
    """A buyer's id and address, as docs/etax.md decides them:

    - no tax id: OTHR / N/A;
    - a tax id starting with 0 (the Revenue Department gives juristic persons ids starting
      with 0) or with a branch other than head office: TXID = tax id + branch;
    - any other 13-digit id is a citizen's: NIDN.

    The address is the order's free text (LineOne, LineTwo) with the last 5-digit number in
    it as the postcode. Without a postcode ETDA takes no Thai address, so the text goes into a
    note instead."""
    tax_id = buyer.get("tax_id") or ""
    branch = buyer.get("branch") or HEAD_OFFICE
    if not tax_id:
        scheme, id_ = Scheme.OTHR, NO_ID
    elif tax_id.startswith("0") or branch != HEAD_OFFICE:
        scheme, id_ = Scheme.TXID, tax_id + branch
    else:
        scheme, id_ = Scheme.NIDN, tax_id
    words = text(buyer.get("address", ""))
    postcodes = _POSTCODE.findall(words.translate(_THAI_DIGITS))
    notes: list[Note] = []
    address = None
    if words and postcodes:
        one, two = split_text(words, MAX_NAME)
        address = Address(postcode=postcodes[-1], line_one=one, line_two=two)
    elif words:
        notes.append(Note("ที่อยู่ผู้ซื้อ (Buyer's address)", words))
    return Party(text(buyer.get("name", "")), scheme, id_, address), notes


# --- sales: invoice, receipt/tax invoice, receipt --------------------------------------------


def _sale(doc: Issued, common: dict, notes: list[Note]) -> EtaxDocument:
    p = doc.particulars
    rate = Decimal(p.get("vat_rate") or "0")
    has_vat = doc.kind is not DocumentKind.RECEIPT and rate > ZERO
    incl = p.get("prices_include_vat", True) is not False
    total, vat = Decimal(p["total"]), Decimal(p["vat"])
    raw = p.get("lines") or []
    amounts = [Decimal(l["amount"]) for l in raw]
    shares = [Decimal(l.get("vat") or "0") for l in raw]
    discount, shipping = Decimal(p.get("discount") or "0"), Decimal(p.get("shipping_fee") or "0")
    cuts = [from_satang(c) for c in allocate(to_satang(discount), [to_satang(a) for a in amounts])] if raw else []
    if not has_vat:
        cut_vats = [ZERO] * len(raw)
        nets, discount_net, shipping_net = amounts, discount, shipping
    elif incl:
        cut_vats = [vat_in(c, rate) for c in cuts]
        nets = [a - s - cv for a, s, cv in zip(amounts, shares, cut_vats)]
        discount_net = discount - sum(cut_vats, ZERO)
        shipping_net = shipping - (vat - sum(shares, ZERO))
    else:
        cut_vats = [vat_on(c, rate) for c in cuts]
        nets, discount_net, shipping_net = amounts, discount, shipping
    lines = []
    for index, (l, net, share, cut_vat) in enumerate(zip(raw, nets, shares, cut_vats), 1):
        quantity = int(l.get("quantity") or 0)
        unit, line_discount = Decimal(l.get("unit_price") or "0"), Decimal(l.get("discount") or "0")
        if has_vat and incl:
            unit, line_discount = _before_vat(unit, rate), line_discount - vat_in(line_discount, rate)
        lines.append(_line(index, l.get("sku", ""), l.get("name", ""), quantity, net,
                           share + cut_vat if has_vat else None, unit, line_discount, rate if has_vat else None))
    line_total = sum(nets, ZERO)
    basis = line_total - discount_net + shipping_net
    allowances = []
    if discount_net:
        allowances.append(AllowanceCharge(False, discount_net, "ส่วนลดท้ายบิล (order discount)"))
    if shipping_net:
        allowances.append(AllowanceCharge(True, shipping_net, "ค่าจัดส่ง (shipping)"))
    tax_total = vat if has_vat else ZERO
    totals = Totals(line_total=line_total, tax_basis=basis, tax_total=tax_total, grand_total=basis + tax_total,
                    allowance_total=discount_net, charge_total=shipping_net)
    return EtaxDocument(**common, totals=totals, lines=tuple(lines), tax=Tax(rate, basis, vat) if has_vat else None,
                        allowances=tuple(allowances), notes=tuple(notes), prices_include_vat=incl)


def _before_vat(price: Decimal, rate: Decimal) -> Decimal:
    return round_half_up(price * 100 / (100 + rate))


# --- credit notes ---------------------------------------------------------------------------


def _credit_note(doc: Issued, common: dict, notes: list[Note]) -> EtaxDocument:
    """Original = the corrected tax invoice's value before VAT as it stood before this note
    (earlier notes already took theirs off, and are noted); LineTotal = the correct value;
    Difference = Original - LineTotal = TaxBasis; VAT on the difference; Grand = Difference + VAT."""
    p = doc.particulars
    original, before = Decimal(p["original_value"]), Decimal(p.get("credited_before") or "0")
    difference, vat = Decimal(p["difference"]), Decimal(p["vat_on_difference"])
    standing = original - before
    if before:
        notes += [Note("มูลค่าตามใบกำกับภาษีเดิม (Original value, before VAT)", f"{original:.2f}"),
                  Note("ลดหนี้แล้วตามใบลดหนี้ก่อนหน้า (Credited by earlier notes, before VAT)", f"{before:.2f}")]
    corrects = p["corrects"]
    form = FORMS.get(doc.corrected_kind) if doc.corrected_kind else None
    reference = Reference(corrects["number"], date.fromisoformat(corrects["date"]), form.type_code if form else "")
    rate = doc.corrected_rate if doc.corrected_rate is not None else Decimal(p.get("vat_rate") or "0")
    code, thai = REASON_PURPOSES.get(p.get("reason_code", ""), ("CDNG99", ""))
    reason = text(p.get("reason", ""))
    purpose = text(f"{thai} ({reason})" if thai and reason else thai or reason or CREDIT_NOTE_PURPOSES[code])
    totals = Totals(line_total=standing - difference, tax_basis=difference, tax_total=vat,
                    grand_total=difference + vat, original=standing, difference=difference)
    return EtaxDocument(**common, totals=totals, lines=_credit_lines(p, difference, vat, rate, purpose),
                        tax=Tax(rate, difference, vat), references=(reference,), purpose_code=code,
                        purpose=purpose, notes=tuple(notes))


def _credit_lines(p: dict, difference: Decimal, vat: Decimal, rate: Decimal, purpose: str) -> tuple[Line, ...]:
    """The goods refunded share the difference and its VAT by their value; a note with no
    goods (a cancellation, a refund of money only) has one line for the whole difference."""
    raw = [l for l in p.get("lines") or [] if int(l.get("quantity") or 0) > 0]
    if not raw:
        title = f"ลดหนี้ตามใบกำกับภาษี {p['corrects']['number']}: {purpose}"
        return (_line(1, "", title, 1, difference, vat, difference, ZERO, rate),)
    weights = [to_satang(Decimal(l.get("unit_price") or "0")) * int(l["quantity"]) for l in raw]
    nets = allocate(to_satang(difference), weights)
    vats = allocate(to_satang(vat), weights)
    return tuple(_line(i, l.get("sku", ""), l.get("name") or l.get("sku", ""), int(l["quantity"]),
                       from_satang(net), from_satang(share), None, ZERO, rate)
                 for i, (l, net, share) in enumerate(zip(raw, nets, vats), 1))


# --- texts ----------------------------------------------------------------------------------


def _line(number: int, sku: str, name: str, quantity: int, net: Decimal, vat: Decimal | None,
          unit: Decimal | None, discount: Decimal, rate: Decimal | None) -> Line:
    """ETDA takes 256 characters of a name and 35 of a product id: the rest of a longer name,
    and a longer SKU, go into the description."""
    name, sku = text(name) or text(sku), text(sku)
    first, rest = split_text(name, MAX_NAME)
    extra = [rest] if rest else []
    if len(sku) > MAX_ID:
        extra.append(f"SKU {sku}")
        sku = ""
    return Line(number, sku, first, quantity, net, vat, unit, discount, " ".join(extra), rate)


def text(value: object) -> str:
    """One line, single spaces, no control characters: ETDA's texts are tokens, libxml2 refuses
    whitespace inside values, and XML cannot hold most control characters at all."""
    return " ".join(_CONTROL.sub(" ", str(value or "")).split())


def split_text(value: str, length: int) -> tuple[str, str]:
    """The first `length` characters, cut at a space when there is one, and the rest."""
    if len(value) <= length:
        return value, ""
    cut = value.rfind(" ", 0, length + 1)
    cut = cut if cut > 0 else length
    return value[:cut].rstrip(), value[cut:].strip()
