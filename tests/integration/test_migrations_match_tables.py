"""The migrations make exactly the tables, columns and indexes the code describes
(adapters/db/tables.py), on SQLite and PostgreSQL: a column added to one and not the other fails here."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from shopledger.adapters.db.tables import metadata

pytestmark = pytest.mark.db


def _made_on(dialect: str):
    """Leaves out what tables.py makes on another database only (`Index(...).ddl_if(dialect=...)`)."""
    def include(item, name, kind, reflected, compare_to) -> bool:
        only_on = getattr(getattr(item, "_ddl_if", None), "dialect", None)
        return only_on is None or only_on == dialect
    return include


def test_a_migrated_database_is_what_tables_py_says(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _made_on(engine.dialect.name)})
        differences = compare_metadata(context, metadata)
    assert differences == []
