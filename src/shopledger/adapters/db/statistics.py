"""Planner statistics kept current after large writes.

Both databases plan queries from statistics that only ANALYZE gathers: PostgreSQL's
pg_statistic (autovacuum may be off, or an hour late after a bulk load) and SQLite's
sqlite_stat1. A table that has grown to twice its size since it was last analysed (or was never
analysed and holds at least MIN_ROWS) is analysed again by `refresh`, which an import calls as it
writes (services/intake.KeptStatistics). Analysing costs a bounded sample whatever the table's
size: PostgreSQL reads 30,000 rows at the default statistics target, SQLite's `analysis_limit`
reads about as many index entries.
"""
from __future__ import annotations

from sqlalchemy import Connection, Engine, text

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.engine import writing

MIN_ROWS = 5_000  # a smaller table is read whole faster than any plan could save
SQLITE_ANALYSIS_LIMIT = 2_000  # index entries SQLite samples per index (approximate ANALYZE)


def refresh(engine: Engine, min_rows: int = MIN_ROWS) -> list[str]:
    """Analyse every table that changed by at least its size at its last analysis (at least
    `min_rows`); returns their names."""
    if engine.dialect.name == "postgresql":
        return _refresh_postgresql(engine, min_rows)
    return _refresh_sqlite(engine, min_rows)


def _refresh_postgresql(engine: Engine, min_rows: int) -> list[str]:
    # n_mod_since_analyze: rows inserted, updated or deleted since the last ANALYZE (reported by
    # each backend within a second); reltuples: the rows the last ANALYZE saw, -1 if never.
    with engine.connect() as conn:
        stale = list(conn.execute(text(
            "SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid "
            "WHERE s.schemaname = current_schema() AND s.n_mod_since_analyze >= :least "
            "AND s.n_mod_since_analyze >= greatest(c.reltuples, 0) ORDER BY s.relname"), {"least": min_rows}).scalars())
        conn.rollback()
        if stale:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "ANALYZE " + ", ".join(_quoted(name) for name in stale))
    return stale


def _refresh_sqlite(engine: Engine, min_rows: int) -> list[str]:
    with engine.connect() as conn:
        analysed = _sqlite_rows_at_analysis(conn)
        stale = []
        for table in t.metadata.sorted_tables:
            rows = conn.exec_driver_sql(f"SELECT max(rowid) FROM {_quoted(table.name)}").scalar() or 0
            if rows >= min_rows and rows >= 2 * analysed.get(table.name, 0):
                stale.append(table.name)
        conn.rollback()
    if stale:
        with writing(engine) as conn:  # ANALYZE writes sqlite_stat1: SQLite's write lock
            conn.exec_driver_sql(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
            for name in stale:
                conn.exec_driver_sql(f"ANALYZE {_quoted(name)}")
    return stale


def _sqlite_rows_at_analysis(conn: Connection) -> dict[str, int]:
    """Each analysed table's rows at its last ANALYZE: the first number of its sqlite_stat1 rows."""
    if conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first() is None:
        return {}
    rows: dict[str, int] = {}
    for table, stat in conn.exec_driver_sql("SELECT tbl, stat FROM sqlite_stat1"):
        head = (stat or "").split(" ", 1)[0]
        if head.isdigit():
            rows[table] = max(rows.get(table, 0), int(head))
    return rows


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
