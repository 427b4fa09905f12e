"""Shipping many orders from a sheet: source, external_id, carrier, tracking per row.

Each row is its own transaction through `order_changes.ship`, so one bad row (an unknown
order, a cancelled one) is reported with its reason and every other row still ships.
Shipping an order again with the carrier and tracking it already has changes nothing, so
a sheet can be run twice.
"""
from __future__ import annotations

import csv
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from shopledger.domain.clock import utc_now
from shopledger.domain.errors import DomainError
from shopledger.domain.shipping.carriers import fold, normalize_tracking, resolve_carrier
from shopledger.services import order_changes as oc
from shopledger.services.acted_at import refuse_if_not_allowed

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "source": ("source", "แหล่งที่มา", "ที่มา", "ร้าน"),
    "external_id": ("external_id", "order", "order id", "order no", "order number", "external id",
                    "เลขที่คำสั่งซื้อ", "หมายเลขคำสั่งซื้อ", "คำสั่งซื้อ"),
    "carrier": ("carrier", "courier", "shipping company", "ขนส่ง", "บริษัทขนส่ง", "ผู้ให้บริการขนส่ง"),
    "tracking": ("tracking", "tracking number", "tracking no", "tracking_number", "awb",
                 "เลขพัสดุ", "เลขที่พัสดุ", "หมายเลขพัสดุ", "เลขติดตามพัสดุ"),
}
_ALIAS_TO_FIELD = {fold(alias): name for name, aliases in HEADER_ALIASES.items() for alias in aliases}
NOT_SHIPPED = "could not be shipped because of a problem on our side (logged for support); try this row again later"
_log = logging.getLogger(__name__)


class _AlreadyShipped(Exception):
    """Raised inside the change to roll it back: the order already carries this shipment."""


def read_rows(path: str | Path) -> list[dict[str, str]]:
    """A CSV (comma, semicolon or tab; an Excel BOM is fine) or XLSX sheet as dicts of text."""
    path = Path(path)
    try:
        if path.suffix.lower() in (".xlsx", ".xls"):
            return _xlsx_rows(path)
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise DomainError("unreadable_file", f"cannot read {path.name}: {error}", {"path": str(path)}) from None
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    records = csv.reader(text.splitlines(), dialect=dialect)
    header = [cell.strip() for cell in next(records, [])]
    # a blank line stays as a blank row, so row i is still line i + 2 of the file
    return [{name: (row[i] if i < len(row) else "") for i, name in enumerate(header)} for row in records]


def _xlsx_rows(path: Path) -> list[dict[str, str]]:
    import python_calamine

    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    if not sheet:
        return []
    header = [str(cell).strip() for cell in sheet[0]]
    return [{header[i]: _cell(value) for i, value in enumerate(row) if i < len(header)} for row in sheet[1:]]


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a tracking or order number typed as a number
    return "" if value is None else str(value)


def ship_one(engine: Engine, source: str, external_id: str, carrier: str, tracking: str, actor: str,
             now: datetime | None = None, at: datetime | None = None) -> str:
    """Ship one order: "shipped", or "unchanged" if it already has this carrier and tracking.
    `at`: when it was shipped, if not now (order_changes.change_order)."""
    if not normalize_tracking(tracking or ""):
        raise DomainError("invalid_shipment", "a shipment needs a tracking number")
    if not (carrier or "").strip():
        raise DomainError("invalid_shipment", "a shipment needs a carrier")
    try:
        oc.change_order(engine, source, external_id, _ship_once(carrier, tracking), actor, now or utc_now(), at=at)
    except _AlreadyShipped:
        return "unchanged"
    return "shipped"


def _ship_once(carrier: str, tracking: str) -> oc.Change:
    ship = oc.ship(carrier, tracking)

    def apply(data: dict, now: datetime) -> dict:
        held = data.get("shipment") or {}
        if (data["fulfillment_status"] == "shipped" and held.get("tracking_number")
                and normalize_tracking(held["tracking_number"]) == normalize_tracking(tracking)
                and resolve_carrier(held.get("carrier") or "other").code == resolve_carrier(carrier).code):
            raise _AlreadyShipped()
        return ship(data, now)
    return apply


def ship_rows(engine: Engine, rows: Sequence[Mapping[str, str]], actor: str, *, default_source: str | None = None,
              now: datetime | None = None, at: datetime | None = None) -> dict:
    """Ship every row it can -> {"shipped": [...], "unchanged": [...], "failed": [...]} (line 1 = header)."""
    columns = _columns(rows, default_source)
    refuse_if_not_allowed(engine, at, now)  # a closed or future day: the whole sheet, not each row
    report: dict[str, list] = {"shipped": [], "unchanged": [], "failed": []}
    for index, row in enumerate(rows):
        values = {name: (row.get(header) or "").strip() for name, header in columns.items()}
        if not any(values.values()):
            continue
        values["source"] = values.get("source") or default_source or ""
        item = {"line": index + 2, "source": values["source"], "external_id": values["external_id"],
                "carrier": values["carrier"], "tracking": values["tracking"]}
        try:
            _require(values)
            outcome = ship_one(engine, values["source"], values["external_id"], values["carrier"],
                               values["tracking"], actor, now, at)
            report[outcome].append(item)
        except DomainError as error:
            report["failed"].append(item | {"reason": error.message})
        except Exception:  # noqa: BLE001 - one row's failure is reported, the sheet goes on
            _log.exception("row %s of a shipping sheet could not be shipped", item["line"])  # SQL is for support
            report["failed"].append(item | {"reason": NOT_SHIPPED})
    return report


def ship_file(engine: Engine, path: str | Path, actor: str, *, default_source: str | None = None,
              now: datetime | None = None, at: datetime | None = None) -> dict:
    return ship_rows(engine, read_rows(path), actor, default_source=default_source, now=now, at=at)


def _columns(rows: Sequence[Mapping[str, str]], default_source: str | None) -> dict[str, str]:
    headers = list(dict.fromkeys(header for row in rows for header in row))
    found: dict[str, str] = {}
    for header in headers:
        name = _ALIAS_TO_FIELD.get(fold(header or ""))
        if name and name not in found:
            found[name] = header
    required = ("external_id", "carrier", "tracking") + (() if default_source else ("source",))
    missing = [name for name in required if name not in found]
    if rows and missing:
        raise DomainError("ship_file_columns_missing", f"the sheet has no {', '.join(missing)} column",
                          {"missing": missing, "headers": headers})
    return found


def _require(values: dict[str, str]) -> None:
    for name, label in (("source", "source"), ("external_id", "order id"), ("carrier", "carrier"),
                        ("tracking", "tracking number")):
        if not values.get(name):
            raise DomainError("invalid_shipment", f"no {label}")
