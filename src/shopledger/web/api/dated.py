"""The optional `at` of an action recorded after the fact (shipped yesterday, goods in last week):
an ISO 8601 date-time, Asia/Bangkok without an offset, read by domain/clock.parse_at. A text that
is no date-time is 422 `invalid_at`; a closed or future one is refused by the service (422
`closed_period`, `time_in_future`)."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from shopledger.domain.clock import parse_at
from shopledger.domain.errors import DomainError
from shopledger.web.api.schemas import Input

AT_HELP = ("when it happened, if not now: ISO 8601 date-time (2026-11-28T15:30; Asia/Bangkok without an offset); "
           "not in a closed period and not in the future")
AtText = Annotated[str, Field(min_length=1, max_length=40, examples=["2026-11-28T15:30"], description=AT_HELP)]


class DatedIn(Input):
    at: AtText | None = None


def at_of(text: str | None) -> datetime | None:
    if text is None or not text.strip():
        return None
    try:
        return parse_at(text)
    except ValueError as error:
        raise DomainError("invalid_at", f"at: {error}", {"field": "at"}) from None
