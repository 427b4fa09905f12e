"""Create or upgrade the schema with Alembic, from code (used by `shopledger init` and tests)."""
from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", "shopledger:migrations")
    if url:
        config.attributes["url"] = url
    return config


def upgrade(engine: Engine) -> None:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
