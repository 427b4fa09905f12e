"""Database fixtures: every `db` test runs on SQLite and, when SHOPLEDGER_TEST_PG_URL is set,
on PostgreSQL too. Under CI (SHOPLEDGER_REQUIRE_PG=1) a missing PostgreSQL fails the run."""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from hypothesis import settings
from sqlalchemy import create_engine, text

from shopledger.adapters.db.engine import make_engine
from shopledger.bootstrap import load_connectors
from shopledger.adapters.db.tables import metadata
from shopledger.services import people
from shopledger.services.setup import init_database

# Passwords hashed with argon2id at its cheapest: the product's own cost (64 MiB, 3 passes) would
# spend a quarter of a second per hash on every person a test adds (services/people.py).
people.PASSWORDS = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

# CI runs the property tests on the same examples each time (a failure there can be run again);
# a developer's `make test` keeps drawing new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("SHOPLEDGER_TEST_DERANDOMIZE") == "1":
    settings.load_profile("ci")

PG_URL = os.environ.get("SHOPLEDGER_TEST_PG_URL", "")
REQUIRE_PG = os.environ.get("SHOPLEDGER_REQUIRE_PG") == "1"
load_connectors()  # as the composition root does for every door


def pytest_configure(config):
    if REQUIRE_PG and not PG_URL:
        raise pytest.UsageError("SHOPLEDGER_REQUIRE_PG=1 but SHOPLEDGER_TEST_PG_URL is not set")


def _backends():
    yield pytest.param("sqlite", id="sqlite")
    yield pytest.param("postgresql", id="pg", marks=pytest.mark.pg)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """One migrated, seeded SQLite file; each test gets a copy (migrating per test is slow)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    init_database(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_database() -> str:
    """A database of its own for this test worker, created fresh and migrated once."""
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("PostgreSQL tests must run under CI but SHOPLEDGER_TEST_PG_URL is unset")
        pytest.skip("SHOPLEDGER_TEST_PG_URL not set")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"shopledger_t_{worker}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_URL.rsplit("/", 1)[0] + "/" + name
    engine = make_engine(url)
    init_database(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _fresh_pg(url: str):
    engine = make_engine(url)
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    init_database(engine)
    return engine


@pytest.fixture(params=list(_backends()))
def db_url(request, tmp_path) -> str:
    """A URL to an empty, migrated, seeded database of the parametrized kind."""
    if request.param == "sqlite":
        path = tmp_path / "shop.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_database")
    _fresh_pg(url).dispose()
    return url


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_engine(pg_database):
    """An empty, migrated, seeded PostgreSQL database, for what only PostgreSQL has (query plans)."""
    engine = _fresh_pg(pg_database)
    yield engine
    engine.dispose()
