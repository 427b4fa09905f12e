"""Orders written as the CSV and XLSX files merchants keep (one row per order line), for
tests, the demo and the benchmark; `files.read_orders` reads them back."""
from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from shopledger.adapters.connectors.files import COLUMNS, LINE_FIELDS, MONEY_COLUMNS, TIME_COLUMNS
from shopledger.domain.clock import BANGKOK

FLAT_COLUMNS = [column for column in COLUMNS if column not in LINE_FIELDS] + list(LINE_FIELDS)


def flatten_order(order: dict) -> list[dict[str, object]]:
    """The CSV/XLSX rows of one interchange dict: one per line. Refunds are left out."""
    common: dict[str, object] = {}
    for key, value in order.items():
        if key in ("customer", "shipment") and isinstance(value, dict):
            common.update({f"{key}_{inner}": item for inner, item in value.items()})
        elif key in COLUMNS and key not in LINE_FIELDS:
            common[key] = value
    rows = []
    for line in order.get("lines") or []:
        row = dict(common)
        row.update({column: line.get(key) for column, key in LINE_FIELDS.items()})
        rows.append(row)
    return rows


def _header(thai_headers: bool) -> list[str]:
    return [COLUMNS[column][0] if thai_headers else column for column in FLAT_COLUMNS]


def write_orders_csv(
    orders: Iterable[dict], path: str | Path, *, thai_headers: bool = False, bom: bool = False
) -> None:
    """Write interchange dicts as CSV (UTF-8; `bom=True` is what Excel wants for Thai text)."""
    with Path(path).open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(_header(thai_headers))
        for order in orders:
            for row in flatten_order(order):
                writer.writerow([_csv_value(row.get(column)) for column in FLAT_COLUMNS])


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_orders_xlsx(orders: Iterable[dict], path: str | Path, *, thai_headers: bool = False) -> None:
    """Write interchange dicts as XLSX the way a merchant's sheet holds them: amounts and
    quantities as numbers, times as Bangkok date-times, flags as booleans."""
    import openpyxl  # only when writing a spreadsheet: it is slow to import

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("orders")
    sheet.append(_header(thai_headers))
    for order in orders:
        for row in flatten_order(order):
            sheet.append([_xlsx_value(column, row.get(column)) for column in FLAT_COLUMNS])
    workbook.save(Path(path))


def _xlsx_value(column: str, value: object) -> object:
    if value is None or value == "":
        return None
    if column in MONEY_COLUMNS and isinstance(value, str):
        return Decimal(value)  # openpyxl writes a Decimal as a number cell, exactly
    if column == "quantity" and isinstance(value, str) and value.isdigit():
        return int(value)
    if column in TIME_COLUMNS and isinstance(value, str):
        return datetime.fromisoformat(value).astimezone(BANGKOK).replace(tzinfo=None)
    return value
