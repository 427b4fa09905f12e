"""Engines for SQLite (one file, WAL) and PostgreSQL, and the one write lock on the books.

Every transaction that writes the books starts by taking the same lock, so two imports, a
daily run and a clerk never interleave their reads and writes of one order or one counter:
SQLite's BEGIN IMMEDIATE takes the database's write lock; on PostgreSQL a transaction-scoped
advisory lock does the same for writers while readers go on unblocked.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Connection, Engine, create_engine, event, text

from shopledger.adapters.db import kept_counts

BOOKS_LOCK_ID = 730_101  # any constant; it names the books' write lock on PostgreSQL


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True, future=True)


def _sqlite_engine(url: str) -> Engine:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_conn.cursor()
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL", "busy_timeout=60000"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN")

    return engine


_writer_gate = None  # a lock shared by the processes of one parallel import, when there is one


def share_writer_gate(lock) -> None:
    """Processes of one import take turns at writing through this lock: a waiter wakes the moment
    the lock is free, where SQLite's busy handler would sleep up to 100 ms between tries."""
    global _writer_gate
    _writer_gate = lock


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A transaction that writes the books: commits on success, rolls back on any error."""
    if _writer_gate is None:
        with _write_transaction(engine) as conn:
            yield conn
        return
    with _writer_gate, _write_transaction(engine) as conn:
        yield conn


@contextmanager
def _write_transaction(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        conn.info["write"] = True
        try:
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": BOOKS_LOCK_ID})
                yield conn
        finally:
            conn.info.pop("write", None)
            kept_counts.something_changed()  # committed (or not): counts kept before it are read again


@contextmanager
def recording(engine: Engine) -> Iterator[Connection]:
    """A short write outside the books (sessions, failed sign-ins): SQLite's write lock, as every
    write there takes, but not the books' lock on PostgreSQL, so a sign-in never waits for an import."""
    with engine.connect() as conn:
        conn.info["write"] = True
        try:
            with conn.begin():
                yield conn
        finally:
            conn.info.pop("write", None)


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        conn.info[kept_counts.READING] = True  # its commit writes nothing: counts kept stay good
        try:
            with conn.begin():
                yield conn
        finally:
            conn.info.pop(kept_counts.READING, None)
