"""The merchant's settings the books read: the company on every document, VAT registration
and rate (with the day it starts), payment accounts, and the last closed day."""
from __future__ import annotations

from dataclasses import fields
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import Engine, select

from shopledger.adapters import thai_areas
from shopledger.adapters.db import settings_repo, tables as t
from shopledger.adapters.db.engine import reading, writing
from shopledger.domain.accounting.chart import DEFAULT_PAYMENT_ACCOUNTS
from shopledger.domain.errors import DomainError
from shopledger.domain.orders.stuck import StuckRules
from shopledger.domain.orders.taxid import is_valid_branch, is_valid_tax_id, normalize_tax_id
from shopledger.services.payment_accounts import disabled_accounts

COMPANY_FIELDS = ("name", "address", "tax_id", "branch", *thai_areas.POSTAL_FIELDS)
COMPANY_LABELS = {"name": "name", "address": "address", "tax_id": "tax id"}
COMPANY_FLAGS = {"name": "--name", "address": "--address", "tax_id": "--tax-id"}


def company_missing(values: dict) -> list[str]:
    """What the seller's particulars still lack, in COMPANY_FIELDS order.

    The name `init` seeds is a placeholder, so it counts as missing. The tax id only matters
    while VAT-registered: a tax invoice must show it, a plain receipt need not.
    """
    company = values["company"] or {}
    missing = []
    name = (company.get("name") or "").strip()
    if not name or name == settings_repo.DEFAULTS["company"]["name"]:
        missing.append("name")
    if not (company.get("address") or "").strip():
        missing.append("address")
    if values["vat_registered"] and not (company.get("tax_id") or "").strip():
        missing.append("tax_id")
    return missing


def missing_words(missing: list[str]) -> str:
    """['name', 'address', 'tax_id'] -> 'name, address and tax id'."""
    words = [COMPANY_LABELS[field] for field in missing]
    return " and ".join(words) if len(words) < 3 else ", ".join(words[:-1]) + " and " + words[-1]


def how_to_set(missing: list[str]) -> str:
    return "set it with shopledger settings company " + " ".join(f'{COMPANY_FLAGS[f]} "..."' for f in missing)


def show_settings(engine: Engine) -> dict:
    with reading(engine) as conn:
        values = settings_repo.read_settings(conn)
        rates = [{"rate": r.rate, "starts_on": r.starts_on.isoformat()}
                 for r in conn.execute(select(t.vat_rates).order_by(t.vat_rates.c.starts_on))]
    return {"company": values["company"], "company_missing": company_missing(values),
            "vat_registered": values["vat_registered"], "vat_rates": rates,
            "payment_accounts": DEFAULT_PAYMENT_ACCOUNTS | (values["payment_accounts"] or {}),
            "closed_through": values["closed_through"], "timezone": values["timezone"],
            "stuck_rules": _rules_shown(values.get("stuck_rules") or {}),
            "etax": etax_status(values)}


def etax_status(values: dict) -> dict:
    """What e-Tax XML still needs from the company (docs/etax.md), and the signing certificate."""
    company = values["company"] or {}
    missing = [f for f in ("tax_id", "building_number", "subdistrict_code", "district_code", "province_code",
                           "postcode") if not (company.get(f) or "").strip()]
    signing = values.get("etax_signing") or {}
    return {"missing": missing, "signing": {"pkcs12_path": signing.get("pkcs12_path") or None,
                                            "password_set": bool(signing.get("password"))}}


def update_settings(engine: Engine, *, company: dict | None = None, vat_registered: bool | None = None,
                    closed_through: date | None = None, payment_accounts: dict[str, str] | None = None,
                    stuck_rules: dict[str, object] | None = None) -> dict:
    """Change what is given; documents already issued keep the particulars they were issued with."""
    with writing(engine) as conn:
        values = settings_repo.read_settings(conn)
        changes: dict = {}
        if company:
            given = {k: v for k, v in company.items() if v is not None}
            changes["company"] = _checked_company(thai_areas.with_postal_address(values["company"], given))
        if vat_registered is not None:
            changes["vat_registered"] = vat_registered
        if closed_through is not None:
            changes["closed_through"] = closed_through.isoformat()
        if payment_accounts:
            changes["payment_accounts"] = _checked_accounts(conn, values, payment_accounts)
        if stuck_rules:
            wanted = (values.get("stuck_rules") or {}) | stuck_rules
            StuckRules.from_settings(wanted)  # refuses an unknown rule or a duration it cannot read
            changes["stuck_rules"] = wanted
        settings_repo.write_settings(conn, changes)
    return show_settings(engine)


def set_vat_rate(engine: Engine, rate: str, starts_on: date) -> dict:
    """A VAT rate (percent) from a day on; documents dated before it keep the rate they had."""
    try:
        value = Decimal(rate)
    except InvalidOperation:
        raise DomainError("invalid_vat_rate", f"VAT rate {rate!r} is not a number") from None
    if not value.is_finite() or not 0 <= value < 100:
        raise DomainError("invalid_vat_rate", f"VAT rate {rate} must be a percent from 0 to below 100")
    with writing(engine) as conn:
        settings_repo.set_vat_rate(conn, value, starts_on)
    return show_settings(engine)


def _rules_shown(stored: dict) -> dict[str, str]:
    """Every stuck-order rule with the wait it uses now ("off" when switched off)."""
    rules = StuckRules.from_settings(stored)
    return {f.name: _wait(getattr(rules, f.name)) for f in fields(StuckRules)}


def _wait(value: timedelta | None) -> str:
    if value is None:
        return "off"
    hours, rest = divmod(int(value.total_seconds()), 3600)
    days, hours = divmod(hours, 24)
    text = (f"{days}d" if days else "") + (f"{hours}h" if hours else "") + (f"{rest // 60}m" if rest else "")
    return text or "0h"


def _checked_company(company: dict) -> dict:
    unknown = set(company) - set(COMPANY_FIELDS)
    if unknown:
        raise DomainError("invalid_setting", f"unknown company field(s): {', '.join(sorted(unknown))}")
    if company.get("tax_id"):
        company["tax_id"] = normalize_tax_id(company["tax_id"])
        if not is_valid_tax_id(company["tax_id"]):
            raise DomainError("invalid_tax_id", f"tax id {company['tax_id']} fails the checksum")
    if company.get("branch") and not is_valid_branch(company["branch"]):
        raise DomainError("invalid_branch", f"branch {company['branch']!r} is not 5 digits (00000 = head office)")
    if len(company.get("building_number") or "") > 16:
        raise DomainError("invalid_address", "the house number (บ้านเลขที่) has at most 16 characters, as ETDA takes it")
    if company.get("province_code") and not (company.get("address") or "").strip():
        company["address"] = thai_areas.address_text(company)  # printed on documents: from its parts
    return company


def _checked_accounts(conn, values: dict, wanted: dict[str, str]) -> dict:
    known = {row.code for row in conn.execute(select(t.accounts.c.code))}
    disabled = disabled_accounts(values)
    for method, account in wanted.items():
        if method not in DEFAULT_PAYMENT_ACCOUNTS:
            raise DomainError("invalid_setting", f"unknown payment method {method!r}")
        if account not in known:
            raise DomainError("unknown_account", f"account {account} is not in the chart of accounts")
        if account in disabled:
            raise DomainError("account_disabled", f"account {account} is disabled: enable it or choose another")
    return (values["payment_accounts"] or {}) | wanted


def address_choices(province_code: str = "", district_code: str = "", subdistrict_code: str = "") -> dict:
    """The provinces, districts, subdistricts and postcodes a form picks the address from."""
    return thai_areas.area_choices(province_code, district_code, subdistrict_code)
