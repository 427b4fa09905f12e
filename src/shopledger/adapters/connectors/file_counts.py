"""How many orders an order file holds, counted cheaply beside the import (a progress bar's
total, so it can say how long is left): NDJSON lines, a JSON array's items, CSV runs of rows with
one external_id. An XLSX sheet is not counted (calamine would unpack it a second time), nor a
file that cannot be read: None. The import itself says which records were good."""
from __future__ import annotations

import csv
from pathlib import Path

import ijson

from shopledger.adapters.connectors.files import _columns


def count_orders(path: str | Path) -> int | None:
    path = Path(path)
    counter = _COUNTERS.get(path.suffix.lower())
    if counter is None:
        return None
    try:
        return counter(path)
    except Exception:  # noqa: BLE001 - a count is a nicety: the import says what is wrong with the file
        return None


def _ndjson(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def _json(path: Path) -> int:
    """Items of the top-level array (one object: 1), by the parser's events, not its objects."""
    depth, count = 0, 0
    with path.open("rb") as handle:
        for event, _ in ijson.basic_parse(handle):
            if event in ("start_map", "start_array"):
                depth += 1
                if depth == 2 and event == "start_map":
                    count += 1
            elif event in ("end_map", "end_array"):
                depth -= 1
                if depth == 0 and event == "end_map":
                    return 1
    return count


def _csv(path: Path) -> int:
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        rows = csv.reader(handle)
        at = _columns(next(rows, None), path).index("external_id")
        count, previous = 0, None
        for cells in rows:
            if not any(cell.strip() for cell in cells):
                continue
            current = cells[at].strip() if at < len(cells) else ""
            if current != previous or not current:
                count += 1
            previous = current
        return count


_COUNTERS = {".json": _json, ".ndjson": _ndjson, ".jsonl": _ndjson, ".csv": _csv}
