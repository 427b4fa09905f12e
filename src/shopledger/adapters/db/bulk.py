"""Bulk inserts on the hot path, straight to the driver's executemany.

SQLAlchemy's per-row parameter processing cost more than SQLite's own work on a large
import, so the hottest tables are written here with values already in the driver's terms:
money as integer satang, moments as the column stores them, JSON as text. The columns come
from tables.py, so the statement always matches the schema.
"""
from __future__ import annotations

import orjson
from functools import lru_cache
from operator import itemgetter
from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import Connection, Table, text
from sqlalchemy import JSON, Date

from shopledger.adapters.db.types import Money, UtcDateTime


def _satang(value: Decimal) -> int:
    return int(value * 100)


@lru_cache(maxsize=4096)  # most moments of a batch are the one "now" it was written at
def _sqlite_moment(value: datetime) -> str:
    """As SQLAlchemy's SQLite DATETIME stores it: naive UTC with microseconds."""
    if value.tzinfo is not timezone.utc:
        value = value.astimezone(timezone.utc)
    text = value.isoformat(" ", "microseconds")
    return text[:-6]  # without "+00:00"


def _json_text(value: object) -> str:
    """JSON for a JSON column; a str is taken as JSON text already made (our columns never hold
    a bare string)."""
    if isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


def _converter(column, dialect: str):
    """How a non-null value becomes the driver's value, or None when it goes as it is."""
    kind = column.type
    if isinstance(kind, Money):
        return _satang
    if isinstance(kind, UtcDateTime):
        return _sqlite_moment if dialect == "sqlite" else None
    if isinstance(kind, Date) and dialect == "sqlite":
        return date.isoformat
    if isinstance(kind, JSON):
        return _json_text
    return None


class BulkInsert:
    """An INSERT of `columns` into `table`, compiled once per dialect."""

    def __init__(self, table: Table, columns: list[str]):
        self.table, self.columns = table, columns
        self._prepared: dict[str, tuple[str, list]] = {}

    def _prepare(self, dialect: str) -> tuple[str, list]:
        if dialect not in self._prepared:
            mark = "?" if dialect == "sqlite" else "%s"
            sql = (f"INSERT INTO {self.table.name} ({', '.join(self.columns)}) "
                   f"VALUES ({', '.join([mark] * len(self.columns))})")
            converters = [(i, conv) for i, name in enumerate(self.columns)
                          if (conv := _converter(self.table.c[name], dialect)) is not None]
            self._prepared[dialect] = (sql, converters)
        return self._prepared[dialect]

    def run(self, conn: Connection, rows: list[dict]) -> None:
        if not rows:
            return
        sql, converters = self._prepare(conn.dialect.name)
        pick = itemgetter(*self.columns)
        params = []
        for row in rows:
            values = list(pick(row))
            for i, convert in converters:
                if values[i] is not None:
                    values[i] = convert(values[i])
            params.append(values)
        self.run_values(conn, params)

    def run_values(self, conn: Connection, params: list) -> None:
        """Rows already in the driver's terms, in the order of `columns`."""
        if not params:
            return
        sql, _ = self._prepare(conn.dialect.name)
        cursor = conn.connection.driver_connection.cursor()
        try:
            cursor.executemany(sql, params)
        finally:
            cursor.close()


def next_ids(conn: Connection, table: Table, count: int) -> list[int]:
    """Ids for `count` new rows. Only under the books' write lock, where no other writer can
    take the same ones; on PostgreSQL the sequence is moved past them afterwards."""
    if count == 0:
        return []
    start = conn.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {table.name}")).scalar_one() + 1
    ids = list(range(start, start + count))
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), :last)"), {"last": ids[-1]})
    return ids
