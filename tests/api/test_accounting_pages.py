"""The accountant's pages (web/ui/accounting_pages.py): each report drawn for an accountant with
its period picker, the VAT files, closing a period and a year, settling and paying VAT, the
exports; a clerk and a reader are refused."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from shopledger.services import company
from tests.api.conftest import form, sign_in

pytestmark = pytest.mark.db

PAGES = ["/accounting", "/accounting/profit-and-loss?start=2026-11-01&end=2026-11-30",
         "/accounting/balance-sheet?as_of=2026-11-30", "/accounting/ledger?account=113101&start=2026-11-01&end=2026-11-30",
         "/accounting/vat?month=2026-11", "/accounting/pp30?month=2026-11", "/accounting/aging?as_of=2026-11-30",
         "/accounting/stock-valuation?as_of=2026-11-30", "/accounting/sales?by=product&start=2026-11-01&end=2026-11-30",
         "/accounting/sales?by=channel", "/accounting/close", "/accounting/exports?month=2026-11"]


@pytest.fixture
def accountant_client(app, engine):
    with TestClient(app, raise_server_exceptions=False) as test_client:
        sign_in(test_client, engine, "accountant")
        yield test_client


@pytest.mark.parametrize("lang", ["th", "en"])
def test_an_accountant_reads_every_report(accountant_client, books, lang):
    for path in PAGES:
        page = accountant_client.get(path + ("&" if "?" in path else "?") + f"lang={lang}")
        assert page.status_code == 200, (path, page.text[:300])
        assert f'<html lang="{lang}">' in page.text
    vat = accountant_client.get(f"/accounting/vat?month=2026-11&lang={lang}").text
    assert books["receipt"] in vat and "/accounting/vat.pdf?month=2026-11" in vat
    assert ("Profit and loss" if lang == "en" else "งบกำไรขาดทุน") in accountant_client.get("/accounting").text


def test_a_bad_period_is_a_notice_not_an_error(accountant_client, books):
    page = accountant_client.get("/accounting/balance-sheet?as_of=soon&lang=en")
    assert page.status_code == 200 and "That is not a date." in page.text
    page = accountant_client.get("/accounting/profit-and-loss?start=2026-11-30&end=2026-11-01&lang=en")
    assert page.status_code == 200 and "its start is after its end" in page.text


def test_the_vat_report_and_the_exports_download(accountant_client, books):
    csv = accountant_client.get("/accounting/vat.csv?month=2026-11")
    assert csv.status_code == 200 and books["receipt"] in csv.text
    xlsx = accountant_client.get("/accounting/vat.xlsx?month=2026-11")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pack = accountant_client.get("/accounting/exports/month.xlsx?month=2026-11")
    assert pack.status_code == 200 and pack.content[:2] == b"PK"
    bean = accountant_client.get("/accounting/exports/books.beancount")
    assert bean.status_code == 200 and "open" in bean.text
    pdf = accountant_client.get("/accounting/vat.pdf?month=2026-11")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"


def test_closing_a_period_a_year_and_the_vat_of_a_month(accountant_client, books, engine):
    answer = accountant_client.post("/accounting/close/period", data=form(accountant_client, closed_through="2026-10-31"),
                                    follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/accounting/close?done=closed"
    assert company.show_settings(engine)["closed_through"] == "2026-10-31"
    assert "31 Oct 2026" in accountant_client.get("/accounting/close?lang=en").text
    answer = accountant_client.post("/accounting/close/year", data=form(accountant_client, year="2025"),
                                    follow_redirects=False)
    assert answer.headers["location"] == "/accounting/close?done=year"
    answer = accountant_client.post("/accounting/vat/settle", data=form(accountant_client, month="2026-11"))
    assert answer.status_code == 200  # November 2026 is over by the time this runs, or a notice says it is not
    answer = accountant_client.post("/accounting/vat/pay", data=form(accountant_client, month="2099-01"),
                                    follow_redirects=False)
    assert answer.headers["location"].startswith("/accounting/close?problem=")
    page = accountant_client.get(answer.headers["location"] + "&lang=en")
    assert page.status_code == 200 and 'role="alert"' in page.text
    bad = accountant_client.post("/accounting/close/year", data=form(accountant_client, year="soon"),
                                 follow_redirects=False)
    assert bad.headers["location"] == "/accounting/close?problem=invalid_year"


@pytest.mark.parametrize("role", ["clerk", "reader"])
def test_a_clerk_and_a_reader_may_not(app, engine, books, role):
    with TestClient(app, raise_server_exceptions=False) as other:
        sign_in(other, engine, role)
        for path in ("/accounting", "/accounting/vat", "/accounting/vat.csv", "/accounting/close",
                     "/accounting/exports", "/accounting/exports/books.beancount"):
            assert other.get(path).status_code == 403, path
        assert other.post("/accounting/vat/settle", data=form(other, month="2026-11")).status_code == 403
        assert other.post("/accounting/close/period", data=form(other, closed_through="2026-10-31")).status_code == 403
        assert "/accounting" not in other.get("/orders").text.split("<main")[0]
