"""The Documents page (web/ui/document_pages.py): filters by kind, status and month, a search by
number or buyer, a PDF of one document, of the ticked ones and of a month."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import sign_in

pytestmark = pytest.mark.db


@pytest.mark.parametrize("role", ["reader", "clerk", "accountant"])
def test_documents_filtered_and_searched(app, engine, books, role):
    with TestClient(app, raise_server_exceptions=False) as c:
        sign_in(c, engine, role)
        every = c.get("/documents?lang=en").text
        assert all(number in every for number in books.values())
        notes = c.get("/documents?kind=credit_note&lang=en").text
        assert books["credit_note"] in notes and books["receipt"] not in notes
        void = c.get("/documents?status=void&lang=en").text
        assert books["void_invoice"] in void and books["receipt"] not in void
        assert books["receipt"] in c.get("/documents?month=2026-11").text
        assert "No documents match." in c.get("/documents?month=2020-01&lang=en").text
        found = c.get(f"/documents?search={books['credit_note'].lower()}").text
        assert books["credit_note"] in found and books["receipt"] not in found
        by_order = c.get("/documents?search=r-1&lang=en").text  # the order's number, as the buyer's search text holds it
        assert books["credited_receipt"] in by_order and books["credit_note"] in by_order and books["receipt"] not in by_order
        bad = c.get("/documents?kind=nonsense&lang=en")
        assert bad.status_code == 200 and "every kind is shown" in bad.text and books["receipt"] in bad.text


def test_one_document_the_ticked_ones_and_a_month_as_pdf(client, books):
    one = client.get(f"/documents/{books['receipt']}/pdf")
    assert one.status_code == 200 and one.content[:4] == b"%PDF"
    assert f'/documents/{books["receipt"]}/pdf' in client.get(f"/documents/{books['receipt']}").text
    ticked = client.get(f"/documents/pdf?numbers={books['receipt']}&numbers={books['credit_note']}")
    assert ticked.status_code == 200 and ticked.content[:4] == b"%PDF"
    month = client.get("/documents/pdf?month=2026-11")
    assert month.status_code == 200 and month.content[:4] == b"%PDF"
    assert "/documents/pdf?month=2026-11" in client.get("/documents?month=2026-11").text
    nothing = client.get("/documents/pdf?lang=en")
    assert nothing.status_code == 200 and "Tick the documents" in nothing.text
    none = client.get("/documents/pdf?month=2020-01&lang=en")
    assert none.status_code == 200 and "no such documents" in none.text
    assert client.get("/documents/NOPE/pdf").status_code == 404
