"""Order files, read as a stream: a JSON array (or one object), NDJSON, CSV and XLSX.

`read_orders(path)` yields one `RawOrder` per order: its interchange dict, not yet validated
(that is `parse_order`'s job), or the reason the record could not even be read. One bad
record never stops the rest of the file; `UnreadableFile` means there is nothing to read
(not one order in it, or the file's own shape is wrong before its first order).
Hostile shapes are bounded before parsing (file_guards.py, domain/limits.py): nesting, one
record's size, a number's digits, an XLSX's unpacked size.
Memory stays flat in the number of orders for JSON, NDJSON and CSV (about 30-40 MB for
100,000 orders). XLSX is the exception: calamine loads the whole first sheet (about 2.5 KB a
row at 29 columns, ~500 MB for 200,000 rows); send big imports as CSV or NDJSON.

CSV/XLSX layout: one row per order line; rows with the same external_id, next to each other,
form one order; the order-level columns repeat on each row (a blank repeat is fine, a
different value is an error). Columns are the interchange fields flattened with "_"
(customer_name, shipment_tracking_number, ...) plus sku, name, quantity, unit_price and
line_discount; headers are matched case-insensitively, "-", "." and spaces read as "_", and
the aliases in `COLUMNS` are accepted; one column twice (even by two of its names) makes the
file unreadable. Empty cells mean absent. Refunds cannot be expressed in this layout: record
them through JSON or the API.
"""
from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from itertools import chain
from pathlib import Path
from typing import IO, Any

import ijson
import python_calamine

from shopledger.adapters.connectors.file_guards import (
    FileLimit, NestingGuard, bounded_lines, nesting_problem, workbook_size_problem,
)
from shopledger.domain import limits
from shopledger.domain.clock import BANGKOK
from shopledger.domain.money import CENT

# Canonical column -> accepted header aliases. The first alias is the Thai header that
# `write_orders_csv/xlsx(..., thai_headers=True)` writes.
COLUMNS: dict[str, tuple[str, ...]] = {
    "external_id": ("เลขที่คำสั่งซื้อ", "หมายเลขคำสั่งซื้อ", "order_id", "order_no", "order_number"),
    "channel": ("ช่องทาง", "ช่องทางการขาย"),
    "placed_at": ("วันที่สั่งซื้อ", "order_date"),
    "updated_at": ("วันที่แก้ไขล่าสุด", "วันที่อัปเดต"),
    "payment_status": ("สถานะการชำระเงิน",),
    "fulfillment_status": ("สถานะการจัดส่ง",),
    "cancelled_at": ("วันที่ยกเลิก",),
    "payment_method": ("วิธีชำระเงิน", "วิธีการชำระเงิน"),
    "paid_at": ("วันที่ชำระเงิน",),
    "currency": ("สกุลเงิน",),
    "prices_include_vat": ("ราคารวมภาษีมูลค่าเพิ่ม", "ราคารวมvat"),
    "customer_name": ("ชื่อลูกค้า",),
    "customer_email": ("อีเมล",),
    "customer_phone": ("เบอร์โทรศัพท์", "เบอร์โทร", "โทรศัพท์"),
    "customer_tax_id": ("เลขประจำตัวผู้เสียภาษี", "เลขประจำตัวผู้เสียภาษีอากร"),
    "customer_branch": ("สาขา",),
    "customer_address": ("ที่อยู่",),
    "sku": ("รหัสสินค้า", "line_sku"),
    "name": ("ชื่อสินค้า", "line_name", "product_name"),
    "quantity": ("จำนวน", "line_quantity", "qty"),
    "unit_price": ("ราคาต่อหน่วย", "line_unit_price"),
    "line_discount": ("ส่วนลดต่อรายการ", "ส่วนลดสินค้า"),
    "shipping_fee": ("ค่าจัดส่ง", "ค่าส่ง"),
    "discount": ("ส่วนลด", "ส่วนลดท้ายบิล"),
    "total": ("ยอดรวม", "ยอดชำระ"),
    "shipment_carrier": ("บริษัทขนส่ง", "ขนส่ง"),
    "shipment_tracking_number": ("เลขพัสดุ", "เลขติดตามพัสดุ", "tracking_number"),
    "shipment_shipped_at": ("วันที่จัดส่ง",),
    "note": ("หมายเหตุ",),
}
# Line columns -> keys of an interchange line.
LINE_FIELDS = {
    "sku": "sku", "name": "name", "quantity": "quantity", "unit_price": "unit_price", "line_discount": "discount",
}
MONEY_COLUMNS = frozenset({"shipping_fee", "discount", "total", "unit_price", "line_discount"})
TIME_COLUMNS = frozenset({"placed_at", "updated_at", "cancelled_at", "paid_at", "shipment_shipped_at"})
# Spreadsheets store "0105556012341" typed as a number without its leading zero.
ZERO_PADDED = {"customer_tax_id": 13, "customer_branch": 5}


def _normalize_header(text: str) -> str:
    return re.sub(r"[\s.\-]+", "_", text.strip().lower()).strip("_")


_HEADER_LOOKUP = {
    _normalize_header(alias): column for column, aliases in COLUMNS.items() for alias in (column, *aliases)
}


@dataclass(frozen=True, slots=True)
class RawOrder:
    """One record of a file: `data` (an interchange dict) or `error` (why it could not be read).

    `position` ("line 17", "rows 5-7", "item 3") locates it for the merchant; `error` does
    not repeat it.
    """

    position: str
    external_id: str | None
    data: dict | None = None
    error: str | None = None
    received: str | None = None  # as services.intake.Incoming: a file leaves the hashing to the engine


class UnreadableFile(Exception):
    """Nothing in the file can be read: missing, unknown type, not JSON, no usable header."""


def read_orders(path: str | Path) -> Iterator[RawOrder]:
    """The orders of a .json, .ndjson/.jsonl, .csv or .xlsx file, one `RawOrder` each.

    Reads up to the first record before returning, so `UnreadableFile` (the file's shape, or
    no record in it at all) is raised by this call rather than by the iteration.
    """
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise UnreadableFile(f"{path.name}: unknown file type (use .json, .ndjson, .jsonl, .csv or .xlsx)")
    if not path.is_file():
        raise UnreadableFile(f"{path}: no such file")
    records = reader(path)
    first = next(records, None)
    if first is None:
        raise UnreadableFile(f"{path.name}: no orders in the file")
    return chain([first], records)


def _raw(position: str, item: object) -> RawOrder:
    if not isinstance(item, dict):
        return RawOrder(position, None, error="not a JSON object (an order)")
    external_id = item.get("external_id")
    if type(external_id) is int:
        external_id = str(external_id)
    if not isinstance(external_id, str) or not external_id.strip():
        return RawOrder(position, None, data=item)
    return RawOrder(position, external_id.strip(), data=item)


# --- JSON and NDJSON -----------------------------------------------------------------------


def _read_json(path: Path) -> Iterator[RawOrder]:
    handle = path.open("rb")
    try:
        first = _skip_to_content(handle)
    except UnreadableFile:
        handle.close()
        raise
    if first not in (b"[", b"{"):
        handle.close()
        raise UnreadableFile(f"{path.name}: not JSON (expected an array of orders or one order object)")
    return _json_items(handle, "item" if first == b"[" else "")


def _skip_to_content(handle: IO[bytes]) -> bytes:
    """Leave `handle` at the first byte that is not a BOM or whitespace; return that byte."""
    head = handle.read(65536)
    body = head[3:] if head.startswith(codecs.BOM_UTF8) else head
    content = body.lstrip()
    if not content:
        raise UnreadableFile(f"{Path(handle.name).name}: the file is empty")
    handle.seek(len(head) - len(content))
    return content[:1]


def _json_items(handle: IO[bytes], prefix: str) -> Iterator[RawOrder]:
    number = 0
    guarded = NestingGuard(handle, 1 if prefix else 0)
    with handle:
        try:
            # use_float=False: numbers come as Decimal or int, so parse_order can refuse
            # money written as a number without our having lost digits to a float first.
            for number, item in enumerate(ijson.items(guarded, prefix, use_float=False), 1):
                yield _raw(f"item {number}", item)
        except Exception as error:  # noqa: BLE001 - whatever the parser raises, the file's orders so far stand
            reason = (str(error) if isinstance(error, FileLimit) else f"not valid JSON ({_first_line(error)})"
                      if isinstance(error, ijson.JSONError) else "not valid JSON")
            if number == 0:
                raise UnreadableFile(f"{Path(handle.name).name}: {reason}") from None
            # An array cannot be resynchronised after broken JSON: report it and stop.
            yield RawOrder(f"item {number + 1}", None, error=f"{reason}; the rest of the file was not read")


def _first_line(error: Exception) -> str:
    """yajl reports bytes spanning several lines, with a picture of where; keep the words."""
    detail = error.args[0] if error.args else error
    text = detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__


_DECIMAL_JSON = json.JSONDecoder(parse_float=Decimal)  # one decoder: json.loads(..., parse_float=) makes one a line


def _read_ndjson(path: Path) -> Iterator[RawOrder]:
    with path.open("rb") as handle:
        for number, line in enumerate(bounded_lines(handle), 1):
            position = f"line {number}"
            if line is None:
                yield RawOrder(position, None, error=limits.RECORD_TOO_LARGE)
                continue
            if number == 1:
                line = line.removeprefix(codecs.BOM_UTF8)
            if not line.strip():
                continue
            # The json module recurses once per level; most lines have too few brackets to look.
            if line.count(b"[") + line.count(b"{") > limits.MAX_DEPTH and (problem := nesting_problem(line)):
                yield RawOrder(position, None, error=problem)
                continue
            try:
                item = _DECIMAL_JSON.decode(line.decode("utf-8"))  # as in _json_items
            except UnicodeDecodeError:
                yield RawOrder(position, None, error="not UTF-8 text")
            except json.JSONDecodeError as error:
                yield RawOrder(position, None, error=f"not valid JSON ({error})")
            except ValueError:  # int() refuses 4,300 digits and more
                yield RawOrder(position, None, error=f"not valid JSON ({limits.TOO_MANY_DIGITS})")
            else:
                yield _raw(position, item)


# --- CSV and XLSX ----------------------------------------------------------------------------


def _read_csv(path: Path) -> Iterator[RawOrder]:
    handle = path.open("r", encoding="utf-8-sig", newline="")
    rows = csv.reader(handle)
    try:
        header = next(rows, None)
        columns = _columns(header, path)
    except (UnicodeDecodeError, csv.Error):
        handle.close()
        raise UnreadableFile(f"{path.name}: not UTF-8 CSV text (in Excel, save as 'CSV UTF-8')") from None
    except UnreadableFile:
        handle.close()
        raise
    return _csv_orders(handle, columns, rows)


def _csv_orders(handle: IO[str], columns: list[str | None], rows: Iterator[list[str]]) -> Iterator[RawOrder]:
    grouper = _RowGrouper(columns, _text_cell)
    with handle:
        number = 1
        try:
            for number, cells in enumerate(rows, 2):
                yield from grouper.add(number, cells)
        except (UnicodeDecodeError, csv.Error) as error:
            yield from grouper.finish()
            reason = f"{_csv_break(error)}; the rest of the file was not read"
            yield RawOrder(f"row {number + 1}", None, error=reason)
            return
        yield from grouper.finish()


def _csv_break(error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        return "not UTF-8 text from here on (in Excel, save as 'CSV UTF-8')"
    if "field limit" in str(error):
        return f"a cell is longer than {csv.field_size_limit():,} characters"
    return "not readable as CSV from here on"


def _read_xlsx(path: Path) -> Iterator[RawOrder]:
    if (problem := workbook_size_problem(path)):  # calamine unpacks the whole sheet into memory
        raise UnreadableFile(f"{path.name}: {problem}")
    try:
        sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    except python_calamine.CalamineError:
        raise UnreadableFile(f"{path.name}: not a readable XLSX workbook "
                             "(open it in Excel and save it again, or save it as CSV UTF-8)") from None
    rows = sheet.iter_rows()
    header = next(rows, None)
    columns = _columns(None if header is None else [str(cell) for cell in header], path)
    return _xlsx_orders(columns, rows)


def _xlsx_orders(columns: list[str | None], rows: Iterator[list]) -> Iterator[RawOrder]:
    grouper = _RowGrouper(columns, _spreadsheet_cell)
    for number, cells in enumerate(rows, 2):
        yield from grouper.add(number, cells)
    yield from grouper.finish()


def _columns(header: list[str] | None, path: Path) -> list[str | None]:
    """Canonical column per header cell (None: ignored). A column twice is refused: which of
    two totals is the total is not ours to guess."""
    if not header or not any(cell.strip() for cell in header):
        raise UnreadableFile(f"{path.name}: no header row")
    columns: list[str | None] = []
    for cell in header:
        column = _HEADER_LOOKUP.get(_normalize_header(cell))
        if column is not None and column in columns:
            first = header[columns.index(column)].strip()
            raise UnreadableFile(f"{path.name}: column {column} appears twice ({first}, {cell.strip()})")
        columns.append(column)
    if "external_id" not in columns:
        found = ", ".join(cell.strip() for cell in header if cell.strip())
        raise UnreadableFile(f"{path.name}: no external_id column (the header row has: {found})")
    return columns


def _text_cell(column: str, value: str) -> str:
    return value.strip()


def _spreadsheet_cell(column: str, value: object) -> str:
    """A spreadsheet cell as the text a CSV would hold.

    Money cells typed as numbers arrive as floats: Decimal(repr(x)) recovers what the cell
    shows (350.1, not 350.09999...), and rounding half-up to the satang removes the float
    noise a formula leaves behind (99.99999999999999 -> 100.00). Naive date-times are
    Bangkok wall-clock time, the only clock a Thai merchant's sheet knows; a plain date is
    midnight Bangkok.
    """
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number_text(column, value)
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=BANGKOK)
        return moment.isoformat()
    if isinstance(value, date):
        return datetime.combine(value, time(), BANGKOK).isoformat()
    return str(value)


def _number_text(column: str, value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if column in MONEY_COLUMNS:
        amount = Decimal(repr(value))
        return f"{amount.quantize(CENT, ROUND_HALF_UP):f}" if amount.is_finite() else repr(value)
    if column in ZERO_PADDED and isinstance(value, int):
        return str(value).zfill(ZERO_PADDED[column])
    return repr(value) if isinstance(value, float) else str(value)


@dataclass
class _Group:
    external_id: str
    first_row: int
    last_row: int
    fields: dict[str, str]
    lines: list[dict[str, str]] = field(default_factory=list)
    problem: str | None = None
    line_count: int = 0  # lines past MAX_LINES are counted, not kept


class _RowGrouper:
    """Turns rows into orders: adjacent rows with one external_id are one order."""

    def __init__(self, columns: list[str | None], to_text: Callable[[str, Any], str]):
        self._columns = columns
        self._to_text = to_text
        self._group: _Group | None = None
        self._seen: set[str] = set()

    def add(self, number: int, cells: list) -> Iterator[RawOrder]:
        values = self._values(cells)
        if not values:
            return
        external_id = values.pop("external_id", None)
        if external_id is None:
            yield RawOrder(f"row {number}", None, error="no external_id on this row")
            return
        line = {LINE_FIELDS[key]: values.pop(key) for key in LINE_FIELDS if key in values}
        group = self._group
        if group is None or group.external_id != external_id:
            yield from self.finish()
            group = self._group = self._start(number, external_id, values)
        else:
            self._merge(group, number, values)
        group.last_row = number
        if line:
            group.line_count += 1
            if group.line_count <= limits.MAX_LINES:
                group.lines.append(line)

    def finish(self) -> Iterator[RawOrder]:
        group, self._group = self._group, None
        if group is not None:
            yield _group_to_raw(group)

    def _values(self, cells: list) -> dict[str, str]:
        values = {}
        for column, cell in zip(self._columns, cells):
            if column is not None and cell is not None:
                text = self._to_text(column, cell)
                if text:
                    values[column] = text
        return values

    def _start(self, number: int, external_id: str, values: dict[str, str]) -> _Group:
        group = _Group(external_id, number, number, values)
        if external_id in self._seen:
            group.problem = (
                f"the rows of order {external_id} are not together (it also appears on earlier rows); "
                "sort the file by external_id"
            )
        self._seen.add(external_id)
        return group

    @staticmethod
    def _merge(group: _Group, number: int, values: dict[str, str]) -> None:
        for column, text in values.items():
            before = group.fields.setdefault(column, text)
            if before != text and group.problem is None:
                group.problem = f"{column} is {before!r} on row {group.first_row} but {text!r} on row {number}"


def _group_to_raw(group: _Group) -> RawOrder:
    first, last = group.first_row, group.last_row
    rows = f"row {first}" if first == last else f"rows {first}-{last}"
    problem = group.problem or limits.count_problem("lines", group.line_count, limits.MAX_LINES)
    if problem:
        return RawOrder(rows, group.external_id, error=problem)
    return RawOrder(rows, group.external_id, data=_unflatten(group))


def _unflatten(group: _Group) -> dict:
    order: dict[str, Any] = {"external_id": group.external_id}
    customer: dict[str, str] = {}
    shipment: dict[str, str] = {}
    for column, text in group.fields.items():
        if column.startswith("customer_"):
            customer[column.removeprefix("customer_")] = text
        elif column.startswith("shipment_"):
            shipment[column.removeprefix("shipment_")] = text
        else:
            order[column] = text
    order["customer"] = customer
    if shipment:
        order["shipment"] = shipment
    order["lines"] = group.lines
    return order


_READERS: dict[str, Callable[[Path], Iterator[RawOrder]]] = {
    ".json": _read_json,
    ".ndjson": _read_ndjson,
    ".jsonl": _read_ndjson,
    ".csv": _read_csv,
    ".xlsx": _read_xlsx,
}
