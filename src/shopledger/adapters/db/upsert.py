"""INSERT ... ON CONFLICT DO NOTHING on either database: idempotency lives in unique keys."""
from __future__ import annotations

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def insert_ignoring_duplicates(conn: Connection, table: Table, rows: list[dict]) -> None:
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(table).on_conflict_do_nothing(), rows)


def upsert(conn: Connection, table: Table, rows: list[dict], keys: list[str], update: list[str]) -> None:
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table)
    stmt = stmt.on_conflict_do_update(index_elements=keys, set_={c: stmt.excluded[c] for c in update})
    conn.execute(stmt, rows)
