"""A rehearsal: the real writers run in one transaction under the books' lock, and nothing stays.

A dry run of an import (services/preview.py) posts exactly as an import would, reads back what
it wrote, and rolls it all back. A rollback undoes every row, but not what PostgreSQL keeps
outside transactions: its sequences (`nextval` of a serial id, the `setval` of bulk.next_ids)
move for good. So their state is read when the rehearsal starts, under the lock, and put back
before it ends, while the lock is still held and no other writer of the books can have taken a
value since. Each step that may fail runs in a savepoint, so a failed chunk is undone and
tried again order by order, as an import does.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import Connection, Engine, text

from shopledger.adapters.db.engine import BOOKS_LOCK_ID


class Rehearsal:
    """One connection standing in for the engine: its reads see the rehearsal's own writes."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.dialect = conn.dialect

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        yield self.conn

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A savepoint: released on success, rolled back on any error (then raised again)."""
        with self.conn.begin_nested():
            yield self.conn


@contextmanager
def rehearsing(engine: Engine) -> Iterator[Rehearsal]:
    """A write transaction (the books' lock taken) that is always rolled back."""
    with engine.connect() as conn:
        conn.info["write"] = True  # SQLite: BEGIN IMMEDIATE, as every writer of the books
        try:
            outer = conn.begin()
            try:
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": BOOKS_LOCK_ID})
                sequences = sequence_states(conn)
                work = conn.begin_nested()
                try:
                    yield Rehearsal(conn)
                finally:
                    if work.is_active:
                        work.rollback()
                    _put_back(conn, sequences)
            finally:
                outer.rollback()
        finally:
            conn.info.pop("write", None)


def sequence_states(conn: Connection) -> dict[str, tuple[int, bool]]:
    """Every sequence of the schema: (last_value, is_called); none on SQLite, whose counters
    are rows (sqlite_sequence) that a rollback undoes."""
    if conn.dialect.name != "postgresql":
        return {}
    names = conn.execute(text(
        "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) FROM pg_sequences "
        "WHERE schemaname = current_schema() ORDER BY sequencename")).scalars().all()
    return {name: tuple(conn.execute(text(f"SELECT last_value, is_called FROM {name}")).one()) for name in names}


def _put_back(conn: Connection, sequences: dict[str, tuple[int, bool]]) -> None:
    for name, (last_value, is_called) in sequences.items():
        conn.execute(text("SELECT setval(CAST(:name AS regclass), :value, :called)"),
                     {"name": name, "value": last_value, "called": is_called})
