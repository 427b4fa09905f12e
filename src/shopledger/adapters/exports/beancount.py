"""The books as Beancount text (https://beancount.github.io): an `open` per account of the chart,
then one transaction per journal entry, debits positive and credits negative, in THB.

`bean-check` accepts it, and its trial balance is ours to the satang: every line is written
with the exact amount stored."""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TextIO

from shopledger.domain.accounting.statements import ChartAccount

ROOTS = {"asset": "Assets", "liability": "Liabilities", "equity": "Equity", "revenue": "Income",
         "expense": "Expenses"}
CURRENCY = "THB"


def account_name(account: ChartAccount) -> str:
    """'111101' Cash (asset) -> 'Assets:111101-Cash'."""
    words = re.sub(r"[^A-Za-z0-9]+", "-", account.name_en).strip("-")
    return f"{ROOTS[account.type]}:{account.code}" + (f"-{words}" if words else "")


def _text(value: str | None) -> str:
    return (value or "").replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\r", " ")


def write(out: TextIO, chart: list[ChartAccount], entries: Iterable[dict], opened: date, title: str) -> int:
    """Writes the ledger; returns the number of transactions."""
    names = {a.code: account_name(a) for a in chart}
    out.write(f'option "title" "{_text(title)}"\noption "operating_currency" "{CURRENCY}"\n\n')
    for account in chart:
        out.write(f"{opened.isoformat()} open {names[account.code]} {CURRENCY}\n")
    out.write("\n")
    count = 0
    for e in entries:
        payee = f'"{_text(e["document"])}" ' if e["document"] else ""
        out.write(f'{e["date"].isoformat()} * {payee}"{_text(e["memo"])}"\n'
                  f'  entry: "{e["id"]}"\n  event: "{_text(e["event"])}"\n')
        for account, debit, credit in e["lines"]:
            amount: Decimal = debit - credit
            out.write(f"  {names[account]}  {amount:.2f} {CURRENCY}\n")
        out.write("\n")
        count += 1
    return count
