"""e-Tax XML through the CLI as a merchant types it: the company's address by names or codes,
`documents xml NUMBER [-o FILE] [--signed]`, `documents xml --month YYYY-MM -o FILE.zip`, and a
document that cannot be valid refused with its reasons and no file."""
from __future__ import annotations

import io
import json
import zipfile

import pytest

from tests.builders import make_order_dict
from tests.etax import etda
from tests.etax.helpers import self_signed

pytestmark = pytest.mark.db
CANCELLED = {"cancelled_at": "2026-11-22T09:00:00+07:00", "updated_at": "2026-11-22T09:00:00+07:00"}


def _import(cli, tmp_path, *orders, name="orders.ndjson"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in orders), encoding="utf-8")
    cli("import", path, "--workers", 1)


@pytest.fixture
def shop(cli, tmp_path):
    cli("settings", "company", "--name", "ร้านน้ำผึ้งป่า จำกัด", "--tax-id", "0105556012341", "--branch", "00001",
        "--building-number", "1", "--address-line", "ถนนนิมมานเหมินท์",
        "--subdistrict", "สุเทพ", "--district", "อ.เมือง", "--province", "เชียงใหม่")
    _import(cli, tmp_path, make_order_dict())
    _import(cli, tmp_path, make_order_dict(**CANCELLED), name="cancelled.ndjson")  # a credit note
    return cli


def test_the_company_address_by_names_or_codes(cli):
    shown = cli("settings", "company", "--building-number", "123/45", "--subdistrict", "สุริยวงศ์",
                "--district", "บางรัก", "--province", "กทม", "--json").stdout
    company = json.loads(shown)["company"]
    assert (company["subdistrict_code"], company["district_code"], company["province_code"], company["postcode"]) == (
        "100403", "1004", "10", "10500")
    assert company["address"] == "123/45 แขวงสุริยวงศ์ เขตบางรัก กรุงเทพมหานคร 10500"  # printed: from its parts
    by_codes = json.loads(cli("settings", "company", "--subdistrict", "500108", "--district", "5001",
                              "--province", "50", "--postcode", "50200", "--json").stdout)["company"]
    assert (by_codes["subdistrict"], by_codes["district"], by_codes["province"]) == ("สุเทพ", "เมืองเชียงใหม่", "เชียงใหม่")
    assert "in parts" in cli("settings", "show").stdout
    assert "give --district and --province" in cli("settings", "company", "--subdistrict", "ในเมือง", code=2).output
    assert "not one of" in cli("settings", "company", "--subdistrict", "สุเทพ", "--province", "เชียงใหม่",
                               "--postcode", "10110", code=2).output


def test_documents_xml_to_a_file_and_to_stdout(shop, tmp_path):
    listed = json.loads(shop("documents", "--json").stdout)  # the listing still answers
    numbers = {d["kind"]: d["number"] for d in listed}
    out = tmp_path / "rt.xml"
    shop("documents", "xml", numbers["receipt_tax_invoice"], "-o", out)
    etda.assert_valid(out.read_bytes())
    note = shop("documents", "xml", numbers["credit_note"]).stdout_bytes
    assert b"<ram:TypeCode>81</ram:TypeCode>" in note and b"<ram:ReferenceTypeCode>T03</ram:ReferenceTypeCode>" in note
    etda.assert_valid(note)
    assert "not_found" in shop("documents", "xml", "RT-000000-00000", code=2).output
    assert "give a document NUMBER or --month" in shop("documents", "xml", code=2).output


def test_a_months_zip_for_upload(shop, tmp_path):
    out = tmp_path / "2026-11.zip"
    said = shop("documents", "xml", "--month", "2026-11", "-o", out).stdout
    assert said.startswith("2026-11: 2 document(s) written")
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as archive:
        assert sorted(archive.namelist()) == ["CN-202611-00001.xml", "RT-202611-00001.xml"]
        for name in archive.namelist():
            etda.assert_valid(archive.read(name), name)
    assert "give -o FILE.zip" in shop("documents", "xml", "--month", "2026-11", code=2).output


def test_signed_with_the_certificate_in_the_settings(shop, tmp_path):
    assert "signing_not_set_up" in shop("documents", "xml", "RT-202611-00001", "--signed", code=2).output
    p12, _ = self_signed(tmp_path)
    assert "signing_key_unreadable" in shop("settings", "signing", "--pkcs12", p12, "--password", "nope", code=2).output
    assert "Honey Good Shop e-Tax test" in shop("settings", "signing", "--pkcs12", p12, "--password", "secret").stdout
    out = tmp_path / "signed.xml"
    shop("documents", "xml", "RT-202611-00001", "--signed", "-o", out)
    assert b"http://www.w3.org/2001/04/xmldsig-more#rsa-sha512" in out.read_bytes()
    etda.assert_valid(out.read_bytes())
    shop("settings", "signing", "--clear")
    assert json.loads(shop("settings", "show", "--json").stdout)["etax"]["signing"]["pkcs12_path"] is None


def test_a_document_that_cannot_be_valid_is_refused_and_nothing_is_written(cli, tmp_path):
    cli("settings", "company", "--name", "ร้านใหม่", "--tax-id", "0105556012341", "--address", "เชียงใหม่")
    _import(cli, tmp_path, make_order_dict())
    out = tmp_path / "rt.xml"
    refused = cli("documents", "xml", "RT-202611-00001", "-o", out, code=2).output
    assert "etax_not_valid" in refused and "no province, district and subdistrict codes" in refused
    assert not out.exists() and not list(tmp_path.glob("rt.xml*"))
    month = tmp_path / "month.zip"
    listed = cli("documents", "xml", "--month", "2026-11", "-o", month, code=1)
    assert "0 document(s) written" in listed.stdout and "REFUSED RT-202611-00001" in listed.output
