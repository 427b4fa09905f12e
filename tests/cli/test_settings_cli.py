"""`shopledger settings`: show, the company, VAT registration and rate, closing a period."""
from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.db


def test_settings_change_and_show(cli):
    shown = json.loads(cli("settings", "show", "--json").stdout)
    assert (shown["vat_registered"], shown["vat_rates"]) == (True, [{"rate": "7", "starts_on": "1992-01-01"}])
    cli("settings", "company", "--name", "ร้านทดสอบ", "--tax-id", "0105556012341", "--branch", "00001")
    cli("settings", "vat-rate", "10", "--from", "2027-01-01")
    cli("settings", "close-through", "2026-10-31")
    cli("settings", "payment-account", "card", "111201")
    shown = json.loads(cli("settings", "show", "--json").stdout)
    assert shown["company"]["name"] == "ร้านทดสอบ" and shown["company"]["branch"] == "00001"
    assert [r["rate"] for r in shown["vat_rates"]] == ["7", "10"]
    assert shown["closed_through"] == "2026-10-31" and shown["payment_accounts"]["card"] == "111201"


def test_bad_settings_are_refused_with_one_line(cli):
    assert "fails the checksum" in cli("settings", "company", "--tax-id", "0105556012342", code=2).output
    assert "invalid_vat_rate" in cli("settings", "vat-rate", "abc", "--from", "2027-01-01", code=2).output
    assert "not in the chart" in cli("settings", "payment-account", "card", "999999", code=2).output


def test_a_stuck_rule_changed_and_switched_off(cli):
    cli("settings", "stuck-rule", "unpaid_after", "2d")
    cli("settings", "stuck-rule", "undelivered_after", "off")
    rules = json.loads(cli("settings", "show", "--json").stdout)["stuck_rules"]
    assert (rules["unpaid_after"], rules["undelivered_after"], rules["payment_check_after"]) == ("2d", "off", "1d")
    assert "unknown stuck-order rule" in cli("settings", "stuck-rule", "nope", "1d", code=2).output


def test_settings_and_alerts_say_what_the_company_is_missing(cli):
    shown = cli("settings", "show").output
    assert "missing: name, address, tax id" in shown and "shopledger settings company" in shown
    assert json.loads(cli("settings", "show", "--json").stdout)["company_missing"] == ["name", "address", "tax_id"]
    [alert] = [a for a in json.loads(cli("alerts", "--json").stdout) if a["kind"] == "company_not_set_up"]
    assert "name, address and tax id are missing" in alert["reason"]
    assert "company_not_set_up" in cli("alerts").output

    cli("settings", "company", "--name", "ร้านทดสอบ", "--address", "เชียงใหม่", "--tax-id", "0105556012341")
    assert "missing" not in cli("settings", "show").output
    assert json.loads(cli("settings", "show", "--json").stdout)["company_missing"] == []
    assert "company_not_set_up" not in cli("alerts").output


def test_a_bank_account_added_pointed_at_disabled_and_low_stock_levels_given(cli):
    added = json.loads(cli("settings", "bank-account", "--bank", "KBank", "--number", "123-4-56789-0", "--json").stdout)
    assert added["added"] == "111202"
    cli("settings", "payment-account", "promptpay", "111202")
    assert "account_in_use" in cli("settings", "bank-account", "111202", "--disable", code=2).output
    cli("settings", "payment-account", "promptpay", "111201")
    assert "111202  KBank 123-4-56789-0  disabled" in cli("settings", "bank-account", "111202", "--disable").output
    assert "account_disabled" in cli("settings", "payment-account", "promptpay", "111202", code=2).output
    assert "6 to 20 digits" in cli("settings", "bank-account", "--bank", "SCB", "--number", "12", code=2).output
    cli("product", "add", "TEA-1", "--name", "ชา", "--price", "10")
    assert "1 product(s) got the low-stock level 3" in cli("settings", "low-stock", "--level", "3").output
    assert "0 product(s)" in cli("settings", "low-stock", "--level", "5").output  # it has its own now


def test_the_level_new_products_get(cli):
    cli("product", "add", "OLD-1", "--name", "เก่า", "--price", "10")
    said = cli("settings", "low-stock", "--level", "4", "--for-new-products").output
    assert "new products get the low-stock level 4" in said
    cli("product", "add", "NEW-1", "--name", "ใหม่", "--price", "10")
    levels = {p["sku"]: p["low_stock_at"] for p in json.loads(cli("stock", "--json").stdout)}
    assert levels == {"OLD-1": None, "NEW-1": 4}
    assert "no level" in cli("settings", "low-stock", "--level", "-1", "--for-new-products").output
    assert "invalid_level" in cli("settings", "low-stock", "--level", "-2", "--for-new-products", code=2).output
