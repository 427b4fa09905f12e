"""Paging shared by the list endpoints: `?limit=&offset=`."""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import Query

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Page:
    limit: int
    offset: int


def page(limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="at most this many items"),
         offset: int = Query(0, ge=0, description="skip this many items first")) -> Page:
    return Page(limit, offset)
