"""Files for the accountant: the output VAT report as CSV/XLSX, the month's pack (one XLSX), and
the whole books as Beancount text."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, func, select

from shopledger.adapters.db import report_reads, settings_repo, tables as t
from shopledger.adapters.db.engine import reading
from shopledger.adapters.exports import beancount as bean
from shopledger.adapters.exports.sheets import Table, csv_bytes, xlsx_bytes
from shopledger.domain.accounting.statements import parse_month
from shopledger.services.reports import holdings, statements, vat

VAT_COLUMNS = [("no", "ลำดับที่ / No."), ("date", "วันที่ / Date"), ("number", "เลขที่ / Number"),
               ("buyer", "ชื่อผู้ซื้อ / Buyer"), ("buyer_tax_id", "เลขประจำตัวผู้เสียภาษีของผู้ซื้อ / Buyer's tax ID"),
               ("buyer_branch", "สาขา / Branch"), ("value", "มูลค่าสินค้าหรือบริการ / Value before VAT"),
               ("vat", "จำนวนเงินภาษีมูลค่าเพิ่ม / VAT"), ("cancelled", "ยกเลิก / Cancelled")]
_MONEY = {"value", "vat", "total_value", "total_vat", "amount", "debit", "credit", "balance", "avg_cost"}


def _cell(key: str, value):
    if key in _MONEY and value not in (None, ""):
        return Decimal(value)
    if isinstance(value, bool):
        return "ยกเลิก / cancelled" if value else ""
    return value


def vat_table(report: dict) -> Table:
    rows = [[_cell(k, r[k]) for k, _ in VAT_COLUMNS] for r in report["rows"]]
    rows.append(["", "", "", "รวม / Total", "", "", Decimal(report["total_value"]), Decimal(report["total_vat"]), ""])
    rows.append(["", "", "", "ภาษีขายในบัญชี 213101 / Output VAT in the ledger", "", "", "",
                 Decimal(report["ledger_vat"]), ""])
    rows.append(["", "", "", "ผลต่าง / Difference", "", "", "", Decimal(report["difference"]), ""])
    for line in report.get("reconciling", []):
        rows.append(["", line["document_date"], line["number"],
                     f"กระทบยอด: บันทึกบัญชีวันที่ {line['entry_date']} / reconciling: booked on {line['entry_date']}",
                     "", "", "", Decimal(line["vat"]), ""])
    return Table("Output VAT", [h for _, h in VAT_COLUMNS], rows)


def vat_csv(engine: Engine, month: str) -> bytes:
    return csv_bytes(vat_table(vat.output_vat_report(engine, month)))


def vat_xlsx(engine: Engine, month: str) -> bytes:
    return xlsx_bytes([vat_table(vat.output_vat_report(engine, month))])


def month_pack(engine: Engine, month: str) -> bytes:
    """One workbook for the accountant: trial balance, journal, output VAT report, PP30,
    receivables and stock valuation, as of the month's last day."""
    m = parse_month(month)
    tb = statements.trial_balance(engine, m.last)
    pp30 = vat.pp30(engine, m)
    receivables = holdings.receivables(engine, m.last)
    stock = holdings.stock_valuation(engine, m.last)
    with reading(engine) as conn:
        journal = [[e["date"].isoformat(), e["id"], e["document"] or "", e["memo"], e["event"], account, debit, credit]
                   for e in report_reads.iter_journal(conn, m.first, m.last) for account, debit, credit in e["lines"]]
    tables = [
        Table("Trial balance", ["รหัสบัญชี / Code", "ชื่อบัญชี / Account", "Account", "เดบิต / Debit", "เครดิต / Credit",
                                "ยอดคงเหลือ / Balance"],
              [[r["code"], r["name"], r["name_en"], Decimal(r["debit"]), Decimal(r["credit"]), Decimal(r["balance"])]
               for r in tb["accounts"]]
              + [["", "รวม / Total", "", Decimal(tb["total_debit"]), Decimal(tb["total_credit"]), ""]]),
        Table("Journal", ["วันที่ / Date", "รายการ / Entry", "เอกสาร / Document", "คำอธิบาย / Memo", "Event",
                          "บัญชี / Account", "เดบิต / Debit", "เครดิต / Credit"], journal),
        vat_table(vat.output_vat_report(engine, m)),
        Table("PP30", ["รายการ / Item", "จำนวนเงิน / Amount"], _pp30_rows(pp30)),
        Table("Receivables", ["ลูกหนี้ / Order", "ลูกค้า / Customer", "ตั้งแต่ / Since", "วัน / Days", "ช่วงอายุ / Bucket",
                              "จำนวนเงิน / Amount"],
              [[r["subject"], r.get("customer", ""), r["since"], r["days"], r["bucket"], Decimal(r["amount"])]
               for r in receivables["rows"]]
              + [["รวม / Total", "", "", "", "", Decimal(receivables["total"])]]),
        Table("Stock valuation", ["รหัสสินค้า / SKU", "ชื่อ / Name", "จำนวน / Quantity", "ต้นทุนเฉลี่ย / Average cost",
                                  "มูลค่า / Value"],
              [[r["sku"], r["name"], r["quantity"], Decimal(r["avg_cost"]), Decimal(r["value"])] for r in stock["rows"]]
              + [["รวม / Total", "", "", "", Decimal(stock["total"])],
                 ["บัญชี 114101 / Ledger 114101", "", "", "", Decimal(stock["ledger_114101"])]]),
    ]
    return xlsx_bytes(tables)


PP30_LABELS = [
    (("sales", "taxable"), "ยอดขายที่ต้องเสียภาษี / Taxable sales"),
    (("sales", "zero_rated"), "ยอดขายที่เสียภาษีในอัตราร้อยละ 0 / Zero-rated sales"),
    (("sales", "exempt"), "ยอดขายที่ได้รับยกเว้น / Exempt sales"),
    (("sales", "total"), "ยอดขายรวม / Total sales"),
    (("output_vat",), "ภาษีขาย / Output VAT"),
    (("purchases",), "ยอดซื้อที่มีสิทธินำภาษีซื้อมาหัก / Purchases with input VAT"),
    (("input_vat",), "ภาษีซื้อ / Input VAT"),
    (("payable",), "ภาษีที่ต้องชำระเดือนนี้ / VAT payable this month"),
    (("excess",), "ภาษีที่ชำระเกินเดือนนี้ / VAT excess this month"),
    (("brought_forward",), "ภาษีชำระเกินยกมา / Excess brought forward"),
    (("net_payable",), "ต้องชำระสุทธิ / Net payable"),
    (("net_excess",), "ชำระเกินสุทธิ / Net excess"),
]


def _pp30_rows(sheet: dict) -> list[list]:
    rows = []
    for path, label in PP30_LABELS:
        value = sheet
        for key in path:
            value = value[key]
        rows.append([label, Decimal(value)])
    return rows


def write_beancount(engine: Engine, path: Path) -> int:
    """The whole books as Beancount text; returns the number of transactions written."""
    with reading(engine) as conn, path.open("w", encoding="utf-8") as out:
        first = conn.execute(select(func.min(t.journal_entries.c.date))).scalar() or date(2000, 1, 1)
        company = (settings_repo.read_settings(conn)["company"] or {}).get("name") or "shopledger"
        return bean.write(out, report_reads.chart(conn), report_reads.iter_journal(conn), first, company)
