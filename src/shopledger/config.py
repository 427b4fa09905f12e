"""Settings from the environment (SHOPLEDGER_ prefix) or a .env file."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOPLEDGER_", env_file=".env", extra="ignore")

    database_url: str = f"sqlite:///{Path('var/shopledger.db').absolute()}"
    host: str = "127.0.0.1"
    port: int = 8000
    timezone: str = "Asia/Bangkok"
    import_batch_size: int = 1000
    import_workers: int = min(2, os.cpu_count() or 1)  # processes for a big file import
    embedded_worker: bool = True
    huey_url: str = ""  # empty: a SQLite file beside the database (embedded); redis://... at scale


@lru_cache
def get_settings() -> Settings:
    return Settings()
