"""Exports: the whole books as Beancount text that bean-check accepts with our trial balance to
the satang, and the month's XLSX pack with its six sheets (on the demo and on random orders)."""
from __future__ import annotations

import io
import shutil
import subprocess
import sys
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from shopledger.adapters.db import report_reads
from shopledger.adapters.db.engine import reading
from shopledger.adapters.exports.beancount import account_name
from shopledger.services.demo import load_demo
from shopledger.services.reports import exports, statements, vat

pytestmark = pytest.mark.db
BEAN_CHECK = shutil.which("bean-check") or str(Path(sys.executable).with_name("bean-check"))


def _beancount_balances(path: Path) -> dict[str, Decimal]:
    from beancount import loader
    from beancount.core import data

    entries, errors, _ = loader.load_file(str(path))
    assert not errors, errors[:3]
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        if isinstance(entry, data.Transaction):
            for posting in entry.postings:
                assert posting.units.currency == "THB"
                sums[posting.account] += posting.units.number
    return {k: v for k, v in sums.items() if v}


def _check_beancount(engine, tmp_path: Path) -> None:
    path = tmp_path / "books.beancount"
    count = exports.write_beancount(engine, path)
    assert count > 0
    checked = subprocess.run([BEAN_CHECK, str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout[-2000:] + checked.stderr[-2000:]
    with reading(engine) as conn:
        names = {a.code: account_name(a) for a in report_reads.chart(conn)}
    ours = {names[r["code"]]: Decimal(r["balance"]) for r in statements.trial_balance(engine)["accounts"]
            if Decimal(r["balance"])}
    assert _beancount_balances(path) == ours


def test_beancount_of_the_demo(engine, tmp_path):
    load_demo(engine, today=date(2026, 12, 10))
    _check_beancount(engine, tmp_path)


def test_beancount_of_three_months_settled_and_closed(engine, three_months, tmp_path):
    from datetime import datetime, timezone

    vat.settle(engine, "2026-08", now=datetime(2026, 11, 2, tzinfo=timezone.utc))
    statements.close_year(engine, 2026, now=datetime(2027, 1, 2, tzinfo=timezone.utc))
    _check_beancount(engine, tmp_path)


def test_the_month_pack(engine, three_months):
    data = exports.month_pack(engine, "2026-09")
    book = load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames == ["Trial balance", "Journal", "Output VAT", "PP30", "Receivables", "Stock valuation"]
    report = vat.output_vat_report(engine, "2026-09")
    rows = list(book["Output VAT"].iter_rows(values_only=True))
    assert rows[0][0] == "ลำดับที่ / No." and len(rows) >= len(report["rows"]) + 4
    total = next(r for r in rows if r[3] == "รวม / Total")
    assert Decimal(str(total[7])) == Decimal(report["total_vat"])
    tb = statements.trial_balance(engine, date(2026, 9, 30))
    tb_rows = list(book["Trial balance"].iter_rows(values_only=True))
    assert Decimal(str(tb_rows[-1][3])) == Decimal(tb["total_debit"])
    journal = list(book["Journal"].iter_rows(values_only=True))[1:]
    assert journal and all(str(r[0]).startswith("2026-09") for r in journal)
    assert sum(Decimal(str(r[6])) for r in journal) == sum(Decimal(str(r[7])) for r in journal)
    pp30 = {r[0]: r[1] for r in book["PP30"].iter_rows(values_only=True)}
    assert Decimal(str(pp30["ภาษีขาย / Output VAT"])) == Decimal(report["total_vat"])


def test_vat_report_csv_has_the_same_columns(engine, three_months):
    text = exports.vat_csv(engine, "2026-08").decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].split(",")[:3] == ["ลำดับที่ / No.", "วันที่ / Date", "เลขที่ / Number"]
    report = vat.output_vat_report(engine, "2026-08")
    assert lines[1].startswith(f"1,{report['rows'][0]['date']},{report['rows'][0]['number']},")
    assert any(line.startswith(",,,รวม / Total,") and line.endswith(f",{report['total_vat']},") for line in lines)
