"""An action dated by a person (shipped yesterday, goods in last Friday), checked before any of it
is done: a whole sheet or statement is refused at once rather than row by row. The services that
write check it again inside their own transaction (domain/clock.refuse_backdate)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from shopledger.adapters.db.engine import reading
from shopledger.adapters.db.settings_repo import load_policy
from shopledger.domain.clock import refuse_backdate, utc_now


def refuse_if_not_allowed(engine: Engine, at: datetime | None, now: datetime | None = None) -> None:
    if at is None:
        return
    with reading(engine) as conn:
        closed_through = load_policy(conn).closed_through
    refuse_backdate(at, now or utc_now(), closed_through)
