"""Create or upgrade the database and seed what a new shop starts with."""
from __future__ import annotations

from sqlalchemy import Engine, func, select

from shopledger.adapters.db import migrate, settings_repo, stock_repo, tables as t
from shopledger.adapters.db.engine import reading, writing
from shopledger.services import order_state


def init_database(engine: Engine) -> None:
    """Idempotent: migrate to the latest schema, then seed only what is missing."""
    migrate.upgrade(engine)
    with writing(engine) as conn:
        settings_repo.seed(conn)
        stock_repo.fill_in_alert_times(conn)
    order_state.fill_in_missing(engine)


def is_empty(engine: Engine) -> bool:
    with reading(engine) as conn:
        return conn.execute(select(func.count()).select_from(t.orders)).scalar_one() == 0
