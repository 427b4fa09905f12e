"""Every document the product writes passes ETDA's v2.1 XSD and Schematron: the demo's, and a
random import of 500 orders with refunds and cancellations; signed ones verify; a month's zip."""
from __future__ import annotations

import io
import random
import zipfile
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from lxml import etree
from signxml import InvalidDigest, InvalidSignature
from signxml.xades import XAdESVerifier

from shopledger.adapters.db import reads
from shopledger.adapters.db.engine import make_engine, reading
from shopledger.domain.clock import BANGKOK
from shopledger.domain.errors import DomainError
from shopledger.domain.etax.checks import EtaxRefused
from shopledger.domain.orders.taxid import check_digit
from shopledger.services import company, etax
from shopledger.services.demo import load_demo
from shopledger.services.intake import Incoming, take_orders
from tests.builders import priced_order_dict
from tests.etax import etda
from tests.etax.helpers import self_signed

TODAY = date(2026, 11, 26)
ADDRESS = {"building_number": "123/45", "address_line": "ถนนสีลม", "subdistrict": "สุริยวงศ์", "district": "บางรัก",
           "province": "กรุงเทพมหานคร"}


def _all_documents(engine) -> list[dict]:
    with reading(engine) as conn:
        return reads.documents(conn)


def _validate_all(engine) -> Counter:
    """Every document's XML through ETDA's XSD and Schematron; the count per kind."""
    counted: Counter = Counter()
    for doc in _all_documents(engine):
        etda.assert_valid(etax.document_xml(engine, doc["number"]), f"{doc['number']} ({doc['kind']})")
        counted[doc["kind"]] += 1
    return counted


@pytest.mark.db
def test_every_demo_document_is_valid_etda_xml(engine):
    load_demo(engine, today=TODAY)
    counted = _validate_all(engine)
    assert set(counted) == {"invoice", "receipt_tax_invoice", "credit_note"}  # the demo is VAT-registered
    print(f"\ndemo: {sum(counted.values())} documents pass ETDA v2.1 XSD + Schematron: {dict(counted)}")


# --- a random import of 500 orders -----------------------------------------------------------


def _tax_id(rng: random.Random, first: str) -> str:
    twelve = first + "".join(rng.choice("0123456789") for _ in range(11))
    return twelve + str(check_digit(twelve))


def _customer(rng: random.Random, n: int) -> dict:
    kind = rng.choice(["company", "company", "person", "person-branch", "nobody", "nobody", "nobody"])
    address = rng.choice(["99/1 ถนนสุขุมวิท แขวงคลองเตย เขตคลองเตย กรุงเทพมหานคร 10110",
                          "12/3 ถนนนิมมานเหมินท์ ตำบลสุเทพ อำเภอเมืองเชียงใหม่ เชียงใหม่ ๕๐๒๐๐",
                          "Sukhumvit Soi 24, Khlong Tan, Khlong Toei, Bangkok 10110",
                          "หมู่บ้านสวน " * 30 + "ขอนแก่น 40000", "รับเองที่ร้าน", ""])
    customer = {"name": f"ลูกค้า {n} " + ("บริษัท จำกัด" if kind == "company" else "ทดสอบ"), "address": address}
    if kind == "company":
        customer |= {"tax_id": _tax_id(rng, "0"), "branch": rng.choice(["00000", "00001", "00012"])}
    elif kind.startswith("person"):
        customer |= {"tax_id": _tax_id(rng, str(rng.randint(1, 8))), "branch": "00003" if kind == "person-branch" else ""}
    return customer


def _random_history(rng: random.Random, n: int) -> list[dict]:
    """One order's versions: placed (paid or not), then maybe paid, refunded, returned, cancelled."""
    lines = []
    for index in range(rng.randint(1, 4)):
        quantity, unit = rng.randint(1, 4), rng.choice([0, 1, 99, 2_50, 350_00, 1_234_56, 12_345_00])
        discount = rng.choice([0, 0, 0, quantity * unit // 10])
        name = rng.choice([f"สินค้า {index}", "น้ำผึ้งป่า 1 ลิตร", "ครีมกันแดด SPF50 " * 17])
        lines.append({"sku": rng.choice([f"SKU-{index}", f"LONG-SKU-{index}-" + "X" * 40]), "name": name.strip(),
                      "quantity": quantity, "unit_price": f"{Decimal(unit) / 100:.2f}",
                      "discount": f"{Decimal(discount) / 100:.2f}"})
    goods = sum(l["quantity"] * Decimal(l["unit_price"]) - Decimal(l["discount"]) for l in lines)
    discount = rng.choice([Decimal("0.00"), Decimal("0.00"), (goods / 7).quantize(Decimal("0.01"))])
    shipping = rng.choice([Decimal("0.00"), Decimal("50.00"), Decimal("37.45")])
    placed = datetime(2026, 11, 1, 9, tzinfo=BANGKOK) + timedelta(hours=rng.randint(0, 400))
    method = rng.choice(["bank_transfer", "promptpay", "card", "cod"])
    base = dict(external_id=f"R-{n:04d}", customer=_customer(rng, n), placed_at=placed.isoformat(),
                payment_method=method, shipping_fee=shipping, discount=discount,
                prices_include_vat=rng.random() < 0.75)

    def version(hours: int, **fields) -> dict:
        data = priced_order_dict(lines, **base, updated_at=(placed + timedelta(hours=hours)).isoformat(), **fields)
        return data

    paid_at = (placed + timedelta(hours=2)).isoformat()
    paid = {"payment_status": "paid", "paid_at": paid_at}
    first = version(1, payment_status="unpaid", paid_at=None) if rng.random() < 0.4 else version(2, **paid)
    history = [first]
    story = rng.choice(["stay", "stay", "pay", "refund", "refund-lines", "return", "cancel", "cancel-unpaid"])
    later = (placed + timedelta(hours=30)).isoformat()
    if story == "pay":
        history.append(version(5, **paid))
    elif story in ("refund", "refund-lines") and Decimal(first["total"]) >= Decimal("0.03"):
        total = Decimal(first["total"])
        refund = {"external_id": f"RF-{n}", "amount": f"{(total / 3).quantize(Decimal('0.01')):.2f}",
                  "created_at": later, "restock": story == "refund-lines"}
        if story == "refund-lines":
            refund["lines"] = [{"sku": lines[0]["sku"], "quantity": 1}]
        history.append(version(30, **paid, refunds=[refund]))
        if rng.random() < 0.5:  # then cancelled: the closing note comes after the refund's
            history.append(version(50, **paid, refunds=[refund], cancelled_at=(placed + timedelta(hours=50)).isoformat()))
    elif story == "return":
        history.append(version(40, **paid, fulfillment_status="returned", cancelled_at=later))
    elif story.startswith("cancel"):
        state = paid if story == "cancel" else {"payment_status": "unpaid", "paid_at": None}
        history.append(version(30, **state, cancelled_at=later))
    return history


@pytest.mark.db
def test_500_random_orders_with_refunds_and_cancellations_are_valid_etda_xml(sqlite_template, tmp_path):
    """On SQLite only: what is tested is the XML of the documents, not the database."""
    path = tmp_path / "random.db"
    path.write_bytes(sqlite_template.read_bytes())
    engine = make_engine(f"sqlite:///{path}")
    company.update_settings(engine, company={"name": "บริษัท สุ่มขาย จำกัด", "tax_id": "0105556012341"} | ADDRESS)
    rng = random.Random(12)
    histories = [_random_history(rng, n) for n in range(500)]
    for step in range(3):
        batch = [h[step] for h in histories if len(h) > step]
        records = [Incoming(f"order {i}", o["external_id"], o) for i, o in enumerate(batch)]
        report = take_orders(engine, records, source="random", actor="test")
        assert not report.failed, report.failed[:3]
    counted = _validate_all(engine)
    engine.dispose()
    assert sum(counted.values()) >= 500 and counted["credit_note"] >= 50 and counted["invoice"] >= 100
    print(f"\n500 random orders: {sum(counted.values())} documents pass ETDA v2.1 XSD + Schematron: {dict(counted)}")


@pytest.mark.db
def test_a_merchant_not_registered_for_vat_writes_t01_receipts(engine):
    company.update_settings(engine, vat_registered=False,
                            company={"name": "ร้านเล็ก", "tax_id": "1101700203450"} | ADDRESS)
    rng = random.Random(3)
    orders = [_random_history(rng, n)[0] | {"prices_include_vat": True} for n in range(30)]
    orders = [priced_order_dict(o["lines"], **{k: v for k, v in o.items() if k not in ("lines", "total")})
              for o in orders]
    report = take_orders(engine, [Incoming(str(i), o["external_id"], o) for i, o in enumerate(orders)],
                         source="s", actor="t")
    assert not report.failed, report.failed[:3]
    counted = _validate_all(engine)
    assert counted["receipt"] >= 10 and set(counted) <= {"receipt", "invoice"}
    xml = etax.document_xml(engine, next(d["number"] for d in _all_documents(engine) if d["kind"] == "receipt"))
    assert b"<ram:TypeCode>T01</ram:TypeCode>" in xml and b"ApplicableTradeTax" not in xml


# --- refusals, signing, a month ----------------------------------------------------------------


@pytest.mark.db
def test_a_company_without_address_codes_gets_a_reason_not_a_file(engine, tmp_path):
    company.update_settings(engine, company={"name": "ร้านใหม่ จำกัด", "tax_id": "0105556012341",
                                             "address": "1 ถนนนิมมานเหมินท์ เชียงใหม่ 50200"})
    take_orders(engine, [Incoming("1", "A-1", priced_order_dict(
        [{"sku": "A", "name": "a", "quantity": 1, "unit_price": "107.00"}], external_id="A-1"))],
        source="s", actor="t")
    number = _all_documents(engine)[0]["number"]
    with pytest.raises(EtaxRefused) as refused:
        etax.document_xml(engine, number)
    assert "no province, district and subdistrict codes" in refused.value.message
    # coded since, for the same address text: the document's XML takes the codes
    company.update_settings(engine, company={"building_number": "1", "subdistrict": "สุเทพ",
                                             "district": "เมืองเชียงใหม่", "province": "เชียงใหม่"})
    etda.assert_valid(etax.document_xml(engine, number))


@pytest.mark.db
def test_signed_xml_is_xades_bes_rsa_sha512_and_verifies(engine, tmp_path):
    load_demo(engine, today=TODAY)
    number = next(d["number"] for d in _all_documents(engine) if d["kind"] == "receipt_tax_invoice")
    with pytest.raises(DomainError) as unset:
        etax.document_xml(engine, number, signed=True)
    assert unset.value.code == "signing_not_set_up"
    p12, cert_pem = self_signed(tmp_path)
    with pytest.raises(DomainError) as wrong:
        etax.set_signing(engine, str(p12), "not the password")
    assert wrong.value.code == "signing_key_unreadable"
    shown = etax.set_signing(engine, str(p12), "secret")
    assert "Honey Good Shop e-Tax test" in shown["subject"] and "password" not in shown
    assert company.show_settings(engine)["etax"]["signing"] == {"pkcs12_path": str(p12), "password_set": True}

    signed = etax.document_xml(engine, number, signed=True)
    tree = etree.fromstring(signed)
    signature = tree[-1]
    assert signature.tag == "{http://www.w3.org/2000/09/xmldsig#}Signature"  # enveloped, the last element
    methods = [e.get("Algorithm") for e in tree.iter("{*}SignatureMethod", "{*}DigestMethod", "{*}Transform")]
    assert "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512" in methods
    assert "http://www.w3.org/2000/09/xmldsig#enveloped-signature" in methods
    assert set(m for m in methods if "sha" in m and "rsa" not in m) == {"http://www.w3.org/2001/04/xmlenc#sha512"}
    assert tree.find(".//{*}SignedProperties//{*}SigningCertificateV2") is not None \
        or tree.find(".//{*}SignedProperties//{*}SigningCertificate") is not None
    assert tree.find(".//{*}SignedProperties//{*}SigningTime") is not None

    result = XAdESVerifier().verify(signed, x509_cert=cert_pem.decode(), expect_references=3)
    assert any(r.signed_xml is not None and etree.QName(r.signed_xml).localname.endswith("CrossIndustryInvoice")
               for r in result)
    etda.assert_valid(signed, "signed")  # the signature is where ETDA's XSD allows it
    tampered = signed.replace(b"<ram:GrandTotalAmount>", b"<ram:GrandTotalAmount>1")
    with pytest.raises((InvalidDigest, InvalidSignature)):
        XAdESVerifier().verify(tampered, x509_cert=cert_pem.decode(), expect_references=3)


@pytest.mark.db
def test_a_months_xml_for_upload(engine, tmp_path):
    load_demo(engine, today=TODAY)
    docs = _all_documents(engine)
    month = max(d["date"] for d in docs)[:7]
    result = etax.month_xml(engine, month)
    expected = sorted(d["number"] for d in docs if d["date"].startswith(month) and d["status"] != "void")
    assert result.written == expected and not result.refused
    with zipfile.ZipFile(io.BytesIO(result.zip_bytes)) as archive:
        assert sorted(archive.namelist()) == [f"{n}.xml" for n in expected]
        for name in archive.namelist():
            etda.assert_valid(archive.read(name), name)
    with pytest.raises(DomainError) as bad:
        etax.month_xml(engine, "2026-13")
    assert bad.value.code == "invalid_month"
