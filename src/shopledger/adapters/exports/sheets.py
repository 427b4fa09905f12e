"""Tables out as CSV (UTF-8 with a BOM, so Excel reads Thai) or as sheets of one XLSX workbook.

A table is a title, header cells and rows of plain values; money comes as Decimal and stays
exact (an XLSX cell holds the decimal text, never a float's approximation)."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

MONEY_FORMAT = "#,##0.00"


@dataclass
class Table:
    title: str  # the sheet's name (31 characters at most in XLSX)
    header: list[str]
    rows: Iterable[list] = field(default_factory=list)


def csv_bytes(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow(["" if v is None else (f"{v:.2f}" if isinstance(v, Decimal) else v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(tables: list[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    for table in tables:
        sheet = book.create_sheet(table.title[:31])
        bold = Font(bold=True)
        head = []
        for text in table.header:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            head.append(cell)
        sheet.append(head)
        for row in table.rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, Decimal):
                    cell.number_format = MONEY_FORMAT
                cells.append(cell)
            sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True) if str(path.parent) not in ("", ".") else None
    path.write_bytes(data)
