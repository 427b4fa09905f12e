"""e-Tax Invoice by Email: the PDF/A-3 carries the XML byte for byte (read back with pikepdf),
declares PDF/A-3 and ETDA's extension schema; sending reaches a real SMTP server on 127.0.0.1
(aiosmtpd), with ETDA's address in copy and the subject of the pattern; a server that cannot be
reached is recorded with the reason; refusals; the CLI, REST and the document's page."""
from __future__ import annotations

import io
from email.utils import getaddresses

import pikepdf
import pytest
from fastapi.testclient import TestClient

from shopledger.adapters.db.engine import writing
from shopledger.adapters.db.settings_repo import write_settings
from shopledger.domain.errors import DomainError
from shopledger.services import company, etax, etax_mail
from tests.api.conftest import (  # noqa: F401 - fixtures of the web door
    SELLER, accountant, admin, app, clerk, client, form, queued_runs, reader, sign_in, take,
)
from tests.builders import make_order_dict
from tests.cli.conftest import cli  # noqa: F401 - the CLI against a temp SQLite file
from tests.etax import etda
from tests.etax.mailbox import XMP_NS, embedded_xml, free_port, start_smtp, xmp_of

pytestmark = pytest.mark.db
RECEIPT, NOTE = "RT-202611-00001", "CN-202611-00001"
BUYER = "buyer@example.co.th"
CANCELLED = {"cancelled_at": "2026-11-22T09:00:00+07:00", "updated_at": "2026-11-22T09:00:00+07:00"}
ADDRESS = {"building_number": "1", "address_line": "ถนนนิมมานเหมินท์", "subdistrict": "Suthep",
           "district": "Mueang Chiang Mai", "province": "Chiang Mai"}


@pytest.fixture
def books(engine):
    """A receipt/tax invoice and its credit note, of a company whose address has its codes."""
    with writing(engine) as conn:
        write_settings(conn, {"company": SELLER})
    company.update_settings(engine, company=ADDRESS)
    take(engine, make_order_dict())
    take(engine, make_order_dict(**CANCELLED))
    return engine


@pytest.fixture
def smtp():
    controller, mailbox, port = start_smtp()
    yield mailbox, port
    controller.stop()


@pytest.fixture
def mail_ready(books, smtp):
    mailbox, port = smtp
    etax_mail.set_email(books, {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "none",
                                "from_address": "shop@honey.example", "from_name": "ร้านน้ำผึ้งป่า"})
    return mailbox


def test_the_pdfa3_carries_the_xml_byte_for_byte_and_declares_itself(books):
    made = etax_mail.etax_pdf(books, RECEIPT)
    stored = etax.document_xml(books, RECEIPT)
    assert made.xml == stored and embedded_xml(made.pdf) == stored
    etda.assert_valid(embedded_xml(made.pdf))
    with pikepdf.open(io.BytesIO(made.pdf)) as pdf:
        assert pdf.pdf_version == "1.7" and pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"
        [spec] = list(pdf.Root.AF)  # listed once
        assert spec.AFRelationship == "/Alternative" and str(spec.UF) == str(spec.F) == "ETDA-invoice.xml"
        assert spec.EF.F.Subtype == "/text/xml" and int(spec.EF.F.Params.Size) == len(stored)
        assert list(pdf.Root.Names.EmbeddedFiles.Names)[0] == "ETDA-invoice.xml"
        with pdf.open_metadata() as meta:
            assert meta.pdfa_status == "3B"
    xmp = xmp_of(made.pdf)
    assert len(xmp.findall("rdf:RDF", XMP_NS)) == 1
    assert xmp.xpath("string(//@pdfaid:part | //pdfaid:part)", namespaces=XMP_NS) == "3"
    schema = xmp.xpath("//pdfaSchema:namespaceURI[.='urn:etda:uncefact:data:standard:Invoice_CrossIndustryInvoice:2#']/..",
                       namespaces=XMP_NS)
    assert schema and schema[0].findtext("pdfaSchema:prefix", namespaces=XMP_NS) == "rsm"
    declared = schema[0].xpath(".//pdfaProperty:name/text()", namespaces=XMP_NS)
    assert declared == ["DocumentFileName", "DocumentType", "Version"]
    values = {name: xmp.xpath(f"string(//rsm:{name})", namespaces=XMP_NS) for name in declared}
    assert values == {"DocumentFileName": "ETDA-invoice.xml", "DocumentType": "Tax Invoice", "Version": "2.1"}
    note = etax_mail.etax_pdf(books, NOTE)
    assert embedded_xml(note.pdf) == etax.document_xml(books, NOTE)
    assert xmp_of(note.pdf).xpath("string(//rsm:DocumentType)", namespaces=XMP_NS) == "Credit Note"


def test_a_document_reaches_the_smtp_server_with_its_pdf_and_etdas_copy(mail_ready, books):
    sent = etax_mail.send_document(books, RECEIPT, sent_by="test")
    [received] = mail_ready.received
    message = received.message
    assert sorted(received.rcpt_tos) == sorted([BUYER, "csemail@etax.teda.th"])
    assert message["To"] == BUYER and message["Cc"] == "csemail@etax.teda.th"
    assert getaddresses([message["From"]]) == [("ร้านน้ำผึ้งป่า", "shop@honey.example")]
    assert message["Subject"] == f"0105556012341.{RECEIPT}" == sent["subject"]  # the default pattern
    assert message["Message-ID"] == sent["message_id"]
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf" and attachment.get_filename() == f"{RECEIPT}.pdf"
    assert embedded_xml(attachment.get_content()) == etax.document_xml(books, RECEIPT)
    [recorded] = etax_mail.sendings(books, RECEIPT)
    assert (recorded["outcome"], recorded["to"], recorded["cc"], recorded["message_id"], recorded["sent_by"]) == (
        "sent", BUYER, "csemail@etax.teda.th", sent["message_id"], "test")


def test_the_subject_and_the_copy_are_settings(mail_ready, books):
    etax_mail.set_email(books, {"subject_pattern": "{type_code} {number} {seller_branch} {date}", "cc_address": ""})
    etax_mail.send_document(books, NOTE, sent_by="test")
    [received] = mail_ready.received
    assert received.message["Subject"] == f"81 {NOTE} 00001 2026-11-22" and received.message["Cc"] is None
    assert received.rcpt_tos == [BUYER]
    with pytest.raises(DomainError) as bad:
        etax_mail.set_email(books, {"subject_pattern": "{number.__class__}", "from_address": "not an address",
                                    "smtp_port": 70000})
    assert bad.value.details["fields"] == ["smtp_port", "from_address", "subject_pattern"]


def test_a_server_that_cannot_be_reached_is_recorded_with_the_reason(books):
    port = free_port()  # nothing listens there
    etax_mail.set_email(books, {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "none",
                                "from_address": "shop@honey.example"})
    with pytest.raises(etax_mail.EmailNotSent) as failed:
        etax_mail.send_document(books, RECEIPT, sent_by="test")
    assert failed.value.status == 502 and f"127.0.0.1:{port} refused the connection" in failed.value.message
    [recorded] = etax_mail.sendings(books, RECEIPT)
    assert recorded["outcome"] == "failed" and "refused the connection" in recorded["error"]
    assert recorded["message_id"].startswith("<")


def test_refused_before_sending_and_nothing_recorded(books, smtp):
    with pytest.raises(DomainError) as unset:
        etax_mail.send_document(books, RECEIPT, sent_by="test")
    assert unset.value.code == "email_not_set_up"
    mailbox, port = smtp
    etax_mail.set_email(books, {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "none",
                                "from_address": "shop@honey.example"})
    take(books, make_order_dict(external_id="NO-MAIL", customer={"name": "ลูกค้าหน้าร้าน", "email": ""}))
    number = "RT-202611-00002"
    with pytest.raises(DomainError) as no_mail:
        etax_mail.send_document(books, number, sent_by="test")
    assert no_mail.value.code == "no_buyer_email"
    with pytest.raises(DomainError) as missing:
        etax_mail.send_document(books, "RT-000000-00000", sent_by="test")
    assert missing.value.code == "not_found"
    assert etax_mail.sendings(books, number) == [] and mailbox.received == []


def test_the_password_is_kept_but_never_shown(books):
    shown = etax_mail.set_email(books, {"smtp_host": "smtp.example.com", "smtp_password": "s3cret!",
                                        "from_address": "shop@honey.example"})
    assert shown["password_set"] and "smtp_password" not in shown and shown["ready"]
    assert "s3cret!" not in str(etax_mail.email_settings(books))
    assert etax_mail.set_email(books, {"smtp_port": 465})["password_set"]  # other changes keep it
    assert not etax_mail.set_email(books, {"smtp_password": ""})["password_set"]


def test_the_cli_writes_the_pdf_and_sends_it(cli, tmp_path, smtp):
    mailbox, port = smtp
    cli("settings", "company", "--name", "ร้านน้ำผึ้งป่า จำกัด", "--tax-id", "0105556012341", "--branch", "00001",
        "--building-number", "1", "--address-line", "ถนนนิมมานเหมินท์",
        "--subdistrict", "สุเทพ", "--district", "อ.เมือง", "--province", "เชียงใหม่")
    orders = tmp_path / "orders.ndjson"
    import json
    orders.write_text(json.dumps(make_order_dict(), ensure_ascii=False) + "\n", encoding="utf-8")
    cli("import", orders, "--workers", 1)
    out = tmp_path / "rt.pdf"
    cli("documents", "etax", RECEIPT, "-o", out)
    xml = cli("documents", "xml", RECEIPT).stdout_bytes
    assert embedded_xml(out.read_bytes()) == xml
    refused = cli("documents", "send", RECEIPT, code=2)
    assert "error (email_not_set_up)" in refused.output
    cli("settings", "email", "--smtp-host", "127.0.0.1", "--smtp-port", port, "--security", "none",
        "--from", "shop@honey.example")
    said = cli("documents", "send", RECEIPT).stdout
    assert f"sent to {BUYER}, cc csemail@etax.teda.th" in said
    [received] = mailbox.received
    assert embedded_xml(next(received.message.iter_attachments()).get_content()) == xml
    shown = cli("settings", "email", "--json").stdout
    assert json.loads(shown)["smtp_port"] == port and "smtp_password" not in shown


def test_rest_sends_downloads_and_lists_for_the_books_roles(mail_ready, books, client, accountant, clerk, reader):
    for role in (clerk, reader):
        assert client.get(f"/api/v1/documents/{RECEIPT}/etax.pdf", headers=role).status_code == 403
        assert client.post(f"/api/v1/documents/{RECEIPT}/send", headers=role).status_code == 403
    pdf = client.get(f"/api/v1/documents/{RECEIPT}/etax.pdf", headers=accountant)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert embedded_xml(pdf.content) == client.get(f"/api/v1/documents/{RECEIPT}/xml", headers=reader).content
    sent = client.post(f"/api/v1/documents/{RECEIPT}/send", headers=accountant)
    assert sent.status_code == 200 and sent.json()["outcome"] == "sent" and sent.json()["sent_by"] == "api books"
    listed = client.get(f"/api/v1/documents/{RECEIPT}/sendings", headers=reader).json()
    assert [s["message_id"] for s in listed] == [sent.json()["message_id"]]
    assert client.post("/api/v1/documents/RT-000000-00000/send", headers=accountant).status_code == 404
    etax_mail.set_email(books, {"smtp_port": free_port()})
    failed = client.post(f"/api/v1/documents/{NOTE}/send", headers=accountant)
    assert failed.status_code == 502 and failed.json()["code"] == "email_not_sent"
    assert client.get(f"/api/v1/documents/{NOTE}/sendings", headers=reader).json()[0]["outcome"] == "failed"


def test_the_document_page_sends_and_shows_when(mail_ready, books, app, engine):
    with TestClient(app, raise_server_exceptions=False) as c:
        sign_in(c, engine, "accountant")
        page = c.get(f"/documents/{RECEIPT}?lang=en").text
        assert "Not sent by e-mail yet." in page and "Send by e-mail" in page and "Download e-Tax PDF" in page
        answer = c.post(f"/documents/{RECEIPT}/send", data=form(c), follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].endswith("?email=sent#sending")
        page = c.get(f"/documents/{RECEIPT}?email=sent&lang=en").text
        assert "Sent by e-mail." in page and f"Sent by e-mail to <bdi data-user>{BUYER}</bdi> on" in page
        thai = c.get(f"/documents/{RECEIPT}?lang=th").text
        assert "Sent by e-mail" not in thai and BUYER in thai
        pdf = c.get(f"/documents/{RECEIPT}/etax.pdf")
        assert pdf.status_code == 200 and embedded_xml(pdf.content) == etax.document_xml(engine, RECEIPT)
        etax_mail.set_email(engine, {"smtp_port": free_port()})
        c.post(f"/documents/{NOTE}/send", data=form(c))
        failed = c.get(f"/documents/{NOTE}?email=email_not_sent&lang=en").text
        assert "the e-mail server did not take it" in failed and "refused the connection" in failed
    with TestClient(app, raise_server_exceptions=False) as c:
        sign_in(c, engine, "clerk")
        page = c.get(f"/documents/{RECEIPT}?lang=en").text
        assert f"Sent by e-mail to <bdi data-user>{BUYER}</bdi>" in page and "Send by e-mail</button>" not in page
        assert "Download e-Tax PDF" not in page
        assert c.post(f"/documents/{RECEIPT}/send", data=form(c)).status_code == 403
    assert len(mail_ready.received) == 1


def test_the_email_settings_page(books, app, engine):
    with TestClient(app, raise_server_exceptions=False) as c:
        sign_in(c, engine, "admin")
        assert "Not ready to send" in c.get("/settings/email?lang=en").text
        saved = c.post("/settings/email", data=form(c, smtp_host="smtp.example.com", smtp_port="587",
                                                    smtp_security="starttls", smtp_user="shop", smtp_password="pw-123",
                                                    from_address="shop@honey.example", cc_address="csemail@etax.teda.th",
                                                    subject_pattern="{seller_tax_id}.{number}"), follow_redirects=False)
        assert saved.status_code == 303
        page = c.get("/settings/email?done=saved&lang=en").text
        assert "The e-mail settings were saved." in page and "Ready to send." in page and "pw-123" not in page
        bad = c.post("/settings/email?lang=en", data=form(c, smtp_host="smtp.example.com", smtp_port="99999",
                                                          from_address="not-an-address", subject_pattern="{nope}"))
        assert bad.status_code == 422 and "The port is a number from 1 to 65535." in bad.text
        assert 'value="not-an-address"' in bad.text and 'value="{nope}"' in bad.text  # what was typed is kept
        assert etax_mail.email_settings(engine)["smtp_port"] == 587 and etax_mail.email_settings(engine)["password_set"]
    with TestClient(app, raise_server_exceptions=False) as c:
        sign_in(c, engine, "accountant")
        page = c.get("/settings/email?lang=en").text
        assert "smtp.example.com" in page and "readonly" in page and ">Save</button>" not in page
        assert c.post("/settings/email", data=form(c, smtp_host="x.example")).status_code == 403
    with TestClient(app, raise_server_exceptions=False) as c:
        sign_in(c, engine, "clerk")
        assert c.get("/settings/email").status_code == 403
