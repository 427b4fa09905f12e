"""Printing the ticked orders' documents from the orders page: one PDF through the page session,
each order's documents (the newest of a re-issued invoice only) in the order ticked, read back
with pdftotext; packing slips and labels from the same ticks; the bound, the words, who may."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from fastapi.testclient import TestClient

from shopledger.services import order_papers
from tests.api.conftest import UNPAID, form, sign_in, take
from tests.api.test_i18n_pages import problems
from tests.builders import make_order_dict

pytestmark = [pytest.mark.db, pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")]

TWO_HONEY = [{"sku": "HONEY-1L", "name": "น้ำผึ้งป่า 1 ลิตร", "quantity": 2, "unit_price": "350.00", "discount": "0.00"}]


def pages_of(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "printed.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.fixture
def reissued(books, engine):
    """The books' orders, and U-2 whose invoice was voided when its amounts changed and issued again."""
    take(engine, make_order_dict(external_id="U-2", **UNPAID))
    take(engine, make_order_dict(external_id="U-2", **UNPAID, lines=TWO_HONEY, total="750.00",
                                 updated_at="2026-11-22T09:00:00+07:00"))
    return books


def test_the_ticked_orders_documents_in_one_pdf_in_the_order_ticked(client, reissued, tmp_path):
    page = client.get("/orders?lang=en")
    assert 'formaction="/orders/print"' in page.text and "at most 200" in page.text
    answer = client.post("/orders/print", data=form(client, pick=["import:R-1", "import:U-2", "import:P-1", "import:U-1"]))
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    printed = pages_of(answer.content, tmp_path)
    # its receipt then its credit note; U-2: only the invoice issued again (750.00), not the
    # voided one; P-1: its receipt; U-1: its voided invoice, nothing replaced it.
    expected = [reissued["credited_receipt"], reissued["credit_note"], "IV-202611-00003", reissued["receipt"],
                reissued["void_invoice"]]
    assert answer.headers["x-document-count"] == str(len(expected))
    assert len(printed) == len(expected)  # one page per document, each on a sheet of its own
    for page_text, number in zip(printed, expected, strict=True):
        assert number in page_text, (number, page_text[:400])
    assert "750.00" in printed[2] and "IV-202611-00002" not in "".join(printed)


def test_nothing_ticked_too_many_and_no_documents_say_so_in_words(client, engine, reissued):
    take(engine, make_order_dict(external_id="N-1", **UNPAID, lines=[], total="0.00", shipping_fee="0.00"))
    for lang in ("th", "en"):
        nothing = client.post(f"/orders/print?lang={lang}", data=form(client))
        assert nothing.status_code == 422 and not problems(nothing.text, lang), problems(nothing.text, lang)
    nothing = client.post("/orders/print?lang=en", data=form(client))
    assert "Tick the orders to print first." in nothing.text
    many = [f"import:X-{i}" for i in range(order_papers.MAX_ORDERS + 1)]
    too_many = client.post("/orders/print?lang=en", data=form(client, pick=many))
    assert too_many.status_code == 422 and "at most 200" in too_many.text
    none = client.post("/orders/print?lang=en", data=form(client, pick=["import:NOPE"]))
    assert none.status_code == 404 and "has a document yet" in none.text


def test_slips_and_labels_from_the_orders_page(client, reissued):
    page = client.get("/orders?lang=en").text
    assert 'formaction="/shipping/slips"' in page and 'value="label"' in page
    for size in ("a4", "label"):
        slips = client.post("/shipping/slips?lang=en", data=form(client, pick=["import:P-1", "import:R-1"], size=size))
        assert slips.status_code == 200 and slips.text.count(f"slip-{size}") == 2


def test_a_reader_may_print_but_not_ship_and_a_form_needs_its_token(app, engine, reissued, tmp_path):
    with TestClient(app, raise_server_exceptions=False) as reader:
        sign_in(reader, engine, "reader")
        page = reader.get("/orders?lang=en").text
        assert 'id="print-ticked"' in page and 'id="ship-ticked"' not in page and "Mark the ticked" not in page
        answer = reader.post("/orders/print", data=form(reader, pick="import:P-1"))
        assert answer.status_code == 200 and reissued["receipt"] in pages_of(answer.content, tmp_path)[0]
        assert reader.post("/orders/print", data={"pick": "import:P-1"}).status_code == 403  # no CSRF token
        cross = reader.post("/orders/print", data=form(reader, pick="import:P-1"),
                            headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
        assert cross.status_code == 403 and cross.headers["content-type"].startswith("text/html")
    with TestClient(app, raise_server_exceptions=False) as nobody:
        assert nobody.post("/orders/print", data={"pick": "import:P-1"}, follow_redirects=False).status_code in (303, 401, 403)
