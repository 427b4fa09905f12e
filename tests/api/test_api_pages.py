"""The merchant's pages: no token, Thai titles (English by ?lang=en), everything a document must show."""
from __future__ import annotations

import pytest

from shopledger.web.ui import pages, view

pytestmark = pytest.mark.db


def _page(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def test_documents_page_lists_every_document(client, books):
    html = _page(client, "/documents")
    for number in books.values():
        assert f'href="/documents/{number}"' in html
    assert "ใบเสร็จรับเงิน/ใบกำกับภาษี" in html and "Receipt / Tax invoice" not in html
    assert "ใบลดหนี้" in html and "ใบแจ้งหนี้" in html and "฿850.00" in html and "20 พ.ย. 2569" in html
    english = _page(client, "/documents?lang=en")
    assert "Receipt / Tax invoice" in english and "Credit note" in english and "20 Nov 2026" in english


def test_documents_page_when_empty(client):
    assert "ยังไม่มีเอกสาร" in _page(client, "/documents")


def test_receipt_tax_invoice_page_shows_what_the_law_asks(client, books):
    html = _page(client, f"/documents/{books['receipt']}")
    for shown in (books["receipt"], "ใบเสร็จรับเงิน/ใบกำกับภาษี", "ร้านน้ำผึ้งป่า จำกัด", "นิมมานเหมินท์",
                  "0105556012341", "สาขาที่ 00001", "บริษัท น้ำผึ้งดี จำกัด", "สำนักงานใหญ่", "20 พฤศจิกายน 2569",
                  "น้ำผึ้งป่า 1 ลิตร", "350.00", "700.00", "794.39", "55.61", "850.00", "แปดร้อยห้าสิบบาทถ้วน", "7%"):
        assert shown in html, shown
    assert "void-stamp" not in html


def test_void_invoice_page_says_void_and_when(client, books):
    html = _page(client, f"/documents/{books['void_invoice']}")
    assert "ใบแจ้งหนี้" in html and 'class="void-stamp"' in html
    assert "ยกเลิก" in html and "22 พฤศจิกายน 2569" in html


def test_credit_note_page_shows_the_correction(client, books):
    html = _page(client, f"/documents/{books['credit_note']}")
    for shown in ("ใบลดหนี้", books["credit_note"], books["credited_receipt"], "มูลค่าตามใบกำกับภาษีเดิม",
                  "มูลค่าที่ถูกต้อง", "ผลต่าง", "ภาษีมูลค่าเพิ่มของผลต่าง", "0.00", "55.61", "เหตุผล"):
        assert shown in html, shown


def test_documents_page_pages_through(client, books, monkeypatch):
    monkeypatch.setattr(pages, "PAGE_SIZE", 3)
    first = _page(client, "/documents")   # newest first
    assert books["credit_note"] in first and books["void_invoice"] not in first and "?offset=3" in first
    assert "1–3 จาก 4" in first
    second = _page(client, "/?offset=3")  # an old link: redirected to /documents
    assert books["void_invoice"] in second and books["credit_note"] not in second and "?offset=0" in second


def test_unknown_document_page_is_a_404_page(client, books):
    assert "ไม่พบ" in _page(client, "/documents/XX-1", status=404)


def test_journal_and_trial_balance_pages(client, books):
    journal = _page(client, "/journal")
    assert "ลูกหนี้การค้า" in journal and books["void_invoice"] in journal
    tb = _page(client, "/trial-balance")
    assert "งบทดลอง" in tb and "เงินฝากธนาคาร" in tb and "สมดุล" in tb
    assert "ไม่ใช่วันที่" in _page(client, "/trial-balance?as_of=soon")
    assert "1 ธ.ค. 2569" in _page(client, "/trial-balance?as_of=2026-12-01")
    assert "1 Dec 2026" in _page(client, "/trial-balance?as_of=2026-12-01&lang=en")


def test_pages_use_the_vendored_htmx_only_when_it_is_there(client, books, tmp_path, monkeypatch):
    monkeypatch.setattr(view, "HTMX_FILE", tmp_path / "missing.js")
    html = _page(client, "/")
    assert "htmx.min.js" not in html and "cdn" not in html.lower()
    present = tmp_path / "htmx.min.js"
    present.write_text("/* htmx */")
    monkeypatch.setattr(view, "HTMX_FILE", present)
    assert '<script src="/static/vendor/htmx.min.js"' in _page(client, "/")


def test_the_stylesheet_is_served(client):
    response = client.get("/static/shopledger.css")
    assert response.status_code == 200 and "text/css" in response.headers["content-type"]
