"""Documents to write as e-Tax XML without a database, a seller with its address codes, and a
self-made signing certificate."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from shopledger.domain.accounting.documents import DocumentKind
from shopledger.domain.accounting.particulars import buyer_of, credit_note_particulars, party, sale_particulars
from shopledger.domain.accounting.vat import order_amounts, vat_in
from shopledger.domain.etax.build import Issued
from shopledger.domain.orders.interchange import parse_order

DAY = date(2026, 11, 20)
ISSUED_AT = datetime(2026, 11, 20, 4, 30, tzinfo=timezone.utc)
POSTAL = {"building_number": "123/45", "address_line": "ถนนสีลม", "subdistrict_code": "100403",
          "subdistrict": "สุริยวงศ์", "district_code": "1004", "district": "เขตบางรัก", "province_code": "10",
          "province": "กรุงเทพมหานคร", "postcode": "10500"}
ADDRESS = "123/45 ถนนสีลม แขวงสุริยวงศ์ เขตบางรัก กรุงเทพมหานคร 10500"
SELLER = party("บริษัท ร้านน้ำผึ้งดี จำกัด", ADDRESS, "0105561234560", "00000") | {"postal": POSTAL}
COMPANY = {"name": "บริษัท ร้านน้ำผึ้งดี จำกัด", "address": ADDRESS, "tax_id": "0105561234560", "branch": "00000"} | POSTAL


def sale(data: dict, kind: DocumentKind = DocumentKind.RECEIPT_TAX_INVOICE, *, rate: str = "7",
         seller: dict | None = None, number: str = "RT-202611-00001") -> Issued:
    """A sales document of an interchange order, its particulars made as posting makes them."""
    order = parse_order(data, "import")
    registered = kind is not DocumentKind.RECEIPT
    amounts = order_amounts(order, Decimal(rate), registered)
    particulars = sale_particulars(kind, DAY, SELLER if seller is None else seller, buyer_of(order.customer),
                                   amounts, f"import:{order.external_id}")
    return Issued(number, kind, DAY, ISSUED_AT, amounts.total, amounts.vat, particulars)


def credit_note(receipt: Issued, amount: str, *, reason_code: str = "refund", reason: str = "refund R1",
                lines: list[dict] | None = None, credited_before: str = "0.00") -> Issued:
    """A credit note for `amount` (VAT included) on `receipt`."""
    total = Decimal(amount)
    vat = vat_in(total, Decimal(receipt.particulars["vat_rate"]))
    particulars = credit_note_particulars(
        DAY, receipt.particulars["seller"], receipt.particulars["buyer"], receipt.particulars["order"],
        corrects={"number": receipt.number, "date": receipt.day.isoformat(), "total": f"{receipt.total:.2f}"},
        original_value=receipt.total - receipt.vat, credited_before=Decimal(credited_before), total=total, vat=vat,
        reason_code=reason_code, reason=reason, lines=lines or [])
    return Issued("CN-202611-00001", DocumentKind.CREDIT_NOTE, DAY, ISSUED_AT, total, vat, particulars,
                  corrected_kind=receipt.kind, corrected_rate=Decimal(receipt.particulars["vat_rate"]))


def self_signed(folder: Path, password: str = "secret") -> tuple[Path, bytes]:
    """A PKCS#12 file with a new RSA key and its self-signed certificate; (path, certificate PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "บริษัท ร้านน้ำผึ้งดี จำกัด"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "Honey Good Shop e-Tax test")])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=365))
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    path = folder / "company.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"company", key, cert, None, serialization.BestAvailableEncryption(password.encode())))
    return path, cert.public_bytes(serialization.Encoding.PEM)
