"""Settings from the environment (SHOPLEDGER_ prefix) or a .env file."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOPLEDGER_", env_file=".env", extra="ignore")

    database_url: str = f"sqlite:///{Path('var/shopledger.db').absolute()}"
    host: str = "127.0.0.1"
    port: int = 8000
    timezone: str = "Asia/Bangkok"
    import_batch_size: int = 1000
    # Processes for a big file import and the CLI's Import Data; unset: measured once per machine
    # (services/import_workers.py) and kept in import_workers_file.
    import_workers: int | None = None
    import_workers_file: str = str(Path("var/import-workers.json").absolute())
    embedded_worker: bool = True
    # Processes `serve` answers with (one listening socket); unset: one per usable core.
    web_workers: int | None = None
    # Threads each web process runs requests' work on at once (anyio's pool, 40 by default): more
    # only share the GIL, and 40 requests sharing it finish together, late (bench/README.md).
    web_threads: int = Field(default=8, ge=1, le=200)
    huey_url: str = ""  # empty: a SQLite file beside the database (embedded); redis://... at scale
    # Names the job queue in its storage, so two deployments (or test runs) can share one Redis.
    huey_name: str = "shopledger"
    # Comma-separated names the server answers to besides the loopback ones and the host it is
    # bound to: a page asked for under any other name (DNS rebinding) is refused.
    allowed_hosts: str = ""
    demo_shop: bool = False  # serve the demo web shop at /demo-shop (`make run` turns it on)

    def trusted_hosts(self) -> list[str]:
        extra = [name.strip() for name in self.allowed_hosts.split(",") if name.strip()]
        bound = [] if self.host in WILDCARD_HOSTS else [_bracketed(self.host)]
        return list(dict.fromkeys([*LOOPBACK_NAMES, *bound, *extra]))

    def local_url(self) -> str:
        """Where a process on this machine reaches the server (a wildcard bind answers on loopback)."""
        host = "127.0.0.1" if self.host in WILDCARD_HOSTS else _bracketed(self.host)
        return f"http://{host}:{self.port}"


def web_processes() -> int:
    """One web process per core this process may run on: each answers on one core (the GIL)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
WILDCARD_HOSTS = ("0.0.0.0", "::", "")


def _bracketed(host: str) -> str:
    # An IPv6 literal is written in brackets in a URL and in the Host header.
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


@lru_cache
def get_settings() -> Settings:
    return Settings()
