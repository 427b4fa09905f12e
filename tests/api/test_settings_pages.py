"""Settings pages (web/ui/settings_pages.py): the company and VAT rates (an admin changes them,
an accountant reads them), API tokens (created and shown once, revoked; an admin's alone)."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from shopledger.services import company, tokens
from tests.api.conftest import form, sign_in

pytestmark = pytest.mark.db


@pytest.mark.parametrize("lang", ["th", "en"])
def test_an_admin_sets_the_company_and_a_vat_rate(client, engine, lang):
    answer = client.post("/settings/company", data=form(client, name="ร้านชาดี จำกัด", address="1 ถนนสุขุมวิท กรุงเทพฯ",
                                                        tax_id="0105556012341", branch="00000", vat_registered="yes"),
                         follow_redirects=False)
    assert answer.headers["location"] == "/settings?done=company"
    assert company.show_settings(engine)["company"]["name"] == "ร้านชาดี จำกัด"
    bad = client.post("/settings/company", data=form(client, tax_id="1234567890123"), follow_redirects=False)
    assert bad.headers["location"] == "/settings?problem=invalid_tax_id"
    client.post("/settings/vat-rate", data=form(client, rate="7", starts_on="2027-01-01"))
    page = client.get(f"/settings?done=rate&lang={lang}")
    assert page.status_code == 200 and "ร้านชาดี จำกัด" in page.text and f'<html lang="{lang}">' in page.text
    assert client.get(f"/settings?problem=invalid_tax_id&lang={lang}").status_code == 200


def test_tokens_created_shown_once_and_revoked(client, engine):
    made = client.post("/settings/tokens", data=form(client, name="shop-bot", role="clerk"))
    assert made.status_code == 200 and "slp_" in made.text
    assert "slp_" not in client.get("/settings/tokens").text
    assert "A token has that name already." in client.post("/settings/tokens?lang=en", data=form(client, name="shop-bot")).text
    answer = client.post("/settings/tokens/revoke", data=form(client, name="shop-bot"), follow_redirects=False)
    assert answer.headers["location"] == "/settings/tokens?done=revoked"
    assert not tokens.list_tokens(engine)


@pytest.mark.parametrize("role", ["accountant", "clerk", "reader"])
def test_others_read_or_are_refused(app, engine, role):
    with TestClient(app, raise_server_exceptions=False) as c:
        sign_in(c, engine, role)
        assert c.get("/settings").status_code == (200 if role == "accountant" else 403)
        assert c.post("/settings/company", data=form(c, name="x")).status_code == 403
        assert c.get("/settings/tokens").status_code == 403
        assert c.post("/settings/tokens", data=form(c, name="x")).status_code == 403
