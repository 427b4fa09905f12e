"""The accounts the buyers' money is received into, and which payment method lands in which.

The chart has one bank account (111201). A shop with several adds more: each new bank account is
an account of the chart (111202, 111203, ...: the books keep one balance per bank) with its
bank, number and holder kept in the settings under `bank_accounts`. One no longer used is
disabled, never deleted (its entries stay); a payment method may not land in a disabled account,
and an account a payment method lands in may not be disabled.
"""
from __future__ import annotations

import re

from sqlalchemy import Connection, Engine, select, update

from shopledger.adapters.db import settings_repo, tables as t
from shopledger.adapters.db.engine import reading, writing
from shopledger.domain.accounting import chart
from shopledger.domain.errors import DomainError, NotFound
from shopledger.domain.limits import MAX_NAME, MAX_TEXT, text_problem

SETTING = "bank_accounts"
BANK_PREFIX = chart.BANK[:4]  # 1112xx: money in banks
# Where a payment method's money may land: cash, banks, payment clearing, COD receivable.
RECEIVING_PREFIXES = (chart.CASH[:4], BANK_PREFIX, chart.PAYMENT_CLEARING[:4], chart.COD_RECEIVABLE[:4])
_NUMBER = re.compile(r"^[0-9][0-9 -]{4,28}[0-9]$")


def receiving_accounts(engine: Engine) -> dict:
    """{"accounts": [{code, name_th, name_en, bank, number, holder, disabled, methods}], "methods":
    {method: code}} with the defaults filled in (chart.DEFAULT_PAYMENT_ACCOUNTS)."""
    with reading(engine) as conn:
        values = settings_repo.read_settings(conn)
        methods = chart.DEFAULT_PAYMENT_ACCOUNTS | (values["payment_accounts"] or {})
        details = values.get(SETTING) or {}
        rows = conn.execute(select(t.accounts).order_by(t.accounts.c.code)).all()
    accounts = []
    for row in rows:
        if not row.code.startswith(RECEIVING_PREFIXES) and row.code not in methods.values():
            continue
        kept = details.get(row.code) or {}
        accounts.append({"code": row.code, "name_th": row.name_th, "name_en": row.name_en,
                         "is_bank": row.code.startswith(BANK_PREFIX), "added": row.code in details and row.code != chart.BANK,
                         "bank": kept.get("bank", ""), "number": kept.get("number", ""), "holder": kept.get("holder", ""),
                         "disabled": bool(kept.get("disabled")),
                         "methods": [m for m, code in methods.items() if code == row.code]})
    return {"accounts": accounts, "methods": methods}


def added_account_names(engine: Engine) -> dict[str, tuple[str, str]]:
    """{code: (name_th, name_en)} of the bank accounts the merchant added (not the chart's own), for
    pages that show entry lines by code alone (a handful of rows)."""
    own = {a.code for a in chart.DEFAULT_CHART}
    with reading(engine) as conn:
        rows = conn.execute(select(t.accounts.c.code, t.accounts.c.name_th, t.accounts.c.name_en)
                            .where(t.accounts.c.code.like(BANK_PREFIX + "%"))).all()
    return {r.code: (r.name_th, r.name_en) for r in rows if r.code not in own}


def add_bank_account(engine: Engine, bank: str, number: str, holder: str = "") -> dict:
    """A new bank account of the chart (the next free 1112xx), named after its bank and number."""
    bank, number, holder = _checked(bank, number, holder)
    with writing(engine) as conn:
        taken = {row.code for row in conn.execute(select(t.accounts.c.code).where(
            t.accounts.c.code.like(BANK_PREFIX + "%")))}
        code = next((f"{BANK_PREFIX}{n:02d}" for n in range(2, 100) if f"{BANK_PREFIX}{n:02d}" not in taken), None)
        if code is None:
            raise DomainError("too_many_accounts", "the chart has room for 98 bank accounts (111202 to 111299)")
        conn.execute(t.accounts.insert().values(code=code, type=str(chart.AccountType.ASSET), **_names(bank, number)))
        _keep(conn, code, {"bank": bank, "number": number, "holder": holder, "disabled": False})
    return receiving_accounts(engine) | {"added": code}


def change_bank_account(engine: Engine, code: str, bank: str, number: str, holder: str = "") -> dict:
    """A bank account's bank, number and holder; an added one's name in the chart follows."""
    bank, number, holder = _checked(bank, number, holder)
    with writing(engine) as conn:
        _bank_account(conn, code)
        kept = (settings_repo.read_settings(conn).get(SETTING) or {}).get(code) or {}
        _keep(conn, code, kept | {"bank": bank, "number": number, "holder": holder})
        if code != chart.BANK:  # the chart's own bank account keeps its name in the chart
            conn.execute(update(t.accounts).where(t.accounts.c.code == code).values(**_names(bank, number)))
    return receiving_accounts(engine)


def set_bank_account_disabled(engine: Engine, code: str, disabled: bool) -> dict:
    with writing(engine) as conn:
        _bank_account(conn, code)
        values = settings_repo.read_settings(conn)
        if disabled:
            if code == chart.BANK:
                raise DomainError("account_required", "111201 is where COD refunds are paid from: it stays")
            methods = chart.DEFAULT_PAYMENT_ACCOUNTS | (values["payment_accounts"] or {})
            using = sorted(m for m, landed in methods.items() if landed == code)
            if using:
                raise DomainError("account_in_use", f"{', '.join(using)} land(s) in {code}: choose another account "
                                                    "for them first", {"methods": using})
        kept = (values.get(SETTING) or {}).get(code) or {}
        _keep(conn, code, kept | {"disabled": disabled})
    return receiving_accounts(engine)


def disabled_accounts(values: dict) -> set[str]:
    """The codes of disabled bank accounts in the settings as read (settings_repo.read_settings)."""
    return {code for code, kept in (values.get(SETTING) or {}).items() if kept.get("disabled")}


def _checked(bank: str, number: str, holder: str) -> tuple[str, str, str]:
    bank, number, holder = (bank or "").strip(), (number or "").strip(), (holder or "").strip()
    if not bank:
        raise DomainError("invalid_bank_account", "a bank account needs its bank's name", {"field": "bank"})
    if not _NUMBER.match(number) or not 6 <= sum(c.isdigit() for c in number) <= 20:
        raise DomainError("invalid_bank_account", f"{number!r} is not an account number (6 to 20 digits, "
                                                  "dashes or spaces between)", {"field": "number"})
    for label, text, most in (("bank", bank, MAX_TEXT), ("holder", holder, MAX_NAME)):
        if (problem := text_problem(label, text, most)):
            raise DomainError("invalid_bank_account", problem, {"field": label})
    return bank, number, holder


def _names(bank: str, number: str) -> dict:
    return {"name_th": f"เงินฝากธนาคาร {bank} {number}"[:200], "name_en": f"Bank {bank} {number}"[:200]}


def _bank_account(conn: Connection, code: str) -> None:
    found = conn.execute(select(t.accounts.c.code).where(t.accounts.c.code == code)).first()
    if found is None or not code.startswith(BANK_PREFIX):
        raise NotFound("bank account", code)


def _keep(conn: Connection, code: str, kept: dict) -> None:
    details = settings_repo.read_settings(conn).get(SETTING) or {}
    settings_repo.write_settings(conn, {SETTING: details | {code: kept}})
