"""The job queue (huey): a SQLite file beside the database by default, Redis at scale."""
from __future__ import annotations

from pathlib import Path

from huey import Huey, RedisHuey, SqliteHuey

from shopledger.config import Settings


def make_huey(settings: Settings) -> Huey:
    if settings.huey_url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(settings.huey_name, url=settings.huey_url)
    if settings.huey_url.startswith("sqlite:///"):
        path = Path(settings.huey_url.removeprefix("sqlite:///"))
    elif settings.database_url.startswith("sqlite:///"):
        path = Path(settings.database_url.removeprefix("sqlite:///")).with_suffix(".jobs.db")
    else:
        path = Path("var/shopledger.jobs.db").absolute()
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(settings.huey_name, filename=str(path))
