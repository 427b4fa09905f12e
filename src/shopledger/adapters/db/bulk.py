"""Bulk inserts on the hot path, straight to the driver's executemany.

SQLAlchemy's per-row parameter processing cost more than SQLite's own work on a large
import, so the hottest tables are written here with values already in the driver's terms:
money as integer satang, moments as the column stores them, JSON as text. The columns come
from tables.py, so the statement always matches the schema.
"""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import Connection, Table, text

from shopledger.adapters.db.types import Money, UtcDateTime
from sqlalchemy import JSON, Date


def _converter(column, dialect: str):
    kind = column.type
    if isinstance(kind, Money):
        return lambda v: None if v is None else int(v * 100)
    if isinstance(kind, UtcDateTime):
        if dialect == "sqlite":
            return lambda v: None if v is None else v.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
        return lambda v: v
    if isinstance(kind, Date) and dialect == "sqlite":
        return lambda v: None if v is None else v.isoformat()
    if isinstance(kind, JSON):
        return lambda v: None if v is None else json.dumps(v, ensure_ascii=False, separators=(",", ":"))
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
            converters = [_converter(self.table.c[name], dialect) for name in self.columns]
            self._prepared[dialect] = (sql, converters)
        return self._prepared[dialect]

    def run(self, conn: Connection, rows: list[dict]) -> None:
        if not rows:
            return
        sql, converters = self._prepare(conn.dialect.name)
        names = self.columns
        params = [tuple(v if conv is None else conv(v) for v, conv in zip((row[n] for n in names), converters))
                  for row in rows]
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
