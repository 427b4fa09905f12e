"""Composition root: the one place that turns settings into an engine and friends."""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Engine

from shopledger.adapters.db.engine import make_engine
from shopledger.config import get_settings


@lru_cache
def engine_for(url: str) -> Engine:
    return make_engine(url)


def default_engine() -> Engine:
    return engine_for(get_settings().database_url)


def load_connectors() -> None:
    """Import every connector module so each registers its kind (the engine never lists them)."""
    from shopledger.domain.sync.connector import load_connector_modules

    load_connector_modules("shopledger.adapters.connectors")
