"""e-Tax XML over REST and on the document's page: GET /documents/{number}/xml, the company's
address through PATCH /settings, roles, and refusals as problem+json."""
from __future__ import annotations

import pytest

from shopledger.services import etax
from tests.api.conftest import CANCELLED, take
from tests.builders import make_order_dict
from tests.etax import etda
from tests.etax.helpers import self_signed

pytestmark = pytest.mark.db
ADDRESS = {"building_number": "1", "address_line": "ถนนนิมมานเหมินท์", "subdistrict": "Suthep",
           "district": "Mueang Chiang Mai", "province": "Chiang Mai"}


@pytest.fixture
def books(engine, client, admin):
    answer = client.patch("/api/v1/settings", headers=admin, json={"company": {
        "name": "ร้านน้ำผึ้งป่า จำกัด", "tax_id": "0105556012341", "branch": "00001",
        "address": "1 ถนนนิมมานเหมินท์ เชียงใหม่ 50200"} | ADDRESS})
    assert answer.status_code == 200, answer.text
    take(engine, make_order_dict())
    take(engine, make_order_dict(**CANCELLED))
    return engine


def test_the_company_address_over_rest(client, admin):
    company = client.patch("/api/v1/settings", headers=admin,
                           json={"company": {"subdistrict": "100403", "district": "เขตบางรัก"}}).json()["company"]
    assert (company["subdistrict"], company["province_code"], company["postcode"]) == ("สุริยวงศ์", "10", "10500")
    shown = client.get("/api/v1/settings", headers=admin).json()
    assert shown["etax"]["missing"] == ["tax_id", "building_number"]
    bad = client.patch("/api/v1/settings", headers=admin, json={"company": {"province": "เชียงใหม่"}})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_address"


def test_get_the_xml_of_a_document(books, client, reader, clerk):
    answer = client.get("/api/v1/documents/RT-202611-00001/xml", headers=reader)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/xml")
    assert 'filename="RT-202611-00001.xml"' in answer.headers["content-disposition"]
    etda.assert_valid(answer.content)
    note = client.get("/api/v1/documents/CN-202611-00001/xml", headers=clerk)
    etda.assert_valid(note.content)
    assert b"<ram:PurposeCode>CDNG99</ram:PurposeCode>" in note.content
    missing = client.get("/api/v1/documents/RT-000000-00000/xml", headers=reader)
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert client.get("/api/v1/documents/RT-202611-00001/xml").status_code == 401


def test_signed_xml_needs_an_accountant_and_a_certificate(books, client, reader, clerk, accountant, tmp_path):
    for role in (reader, clerk):  # documents.sign: admin, accountant
        assert client.get("/api/v1/documents/RT-202611-00001/xml?signed=true", headers=role).status_code == 403
    assert client.get("/api/v1/documents/RT-202611-00001/xml", headers=reader).status_code == 200
    unset = client.get("/api/v1/documents/RT-202611-00001/xml?signed=true", headers=accountant)
    assert unset.status_code == 422 and unset.json()["code"] == "signing_not_set_up"
    p12, _ = self_signed(tmp_path)
    etax.set_signing(books, str(p12), "secret")
    signed = client.get("/api/v1/documents/RT-202611-00001/xml?signed=true", headers=accountant)
    assert signed.status_code == 200 and b"<ds:SignatureValue" in signed.content
    etda.assert_valid(signed.content)


def test_a_document_that_cannot_be_valid_is_422_with_its_reasons(engine, client, admin):
    client.patch("/api/v1/settings", headers=admin, json={"company": {"name": "ร้าน", "address": "เชียงใหม่"}})
    take(engine, make_order_dict())
    answer = client.get("/api/v1/documents/RT-202611-00001/xml", headers=admin)
    assert answer.status_code == 422 and answer.json()["code"] == "etax_not_valid"
    assert answer.json()["reasons"][0].startswith("the seller's tax id is not on the document")


def test_the_document_page_links_its_xml(books, client):
    page = client.get("/documents/RT-202611-00001")
    assert 'href="/documents/RT-202611-00001/xml"' in page.text
    xml = client.get("/documents/RT-202611-00001/xml")
    assert xml.status_code == 200 and xml.headers["content-type"].startswith("application/xml")
    etda.assert_valid(xml.content)
    assert client.get("/documents/RT-000000-00000/xml").status_code == 404
