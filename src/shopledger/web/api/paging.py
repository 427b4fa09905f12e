"""Paging shared by every list endpoint: `?limit=&offset=` in, and out the page as a JSON array
with `X-Total-Count` (all the list holds) and, while there is more, `Link: <...>; rel="next"`."""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import Query, Request, Response

from shopledger.services.listing import DEFAULT_LIMIT
from shopledger.services.listing import Page as Listed

MAX_LIMIT = 1000


MAX_OFFSET = 10**12  # far past any list; a larger one overflows the databases' 64-bit integers


@dataclass(frozen=True, slots=True)
class Page:
    limit: int
    offset: int


def page(limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="at most this many items"),
         offset: int = Query(0, ge=0, le=MAX_OFFSET, description="skip this many items first")) -> Page:
    return Page(limit, offset)


def paged(listed: Listed, paging: Page, request: Request, response: Response) -> list[dict]:
    """The page's items, with the headers that say how many there are and where the next page is."""
    response.headers["X-Total-Count"] = str(listed.total)
    if listed.has_more:
        following = request.url.include_query_params(limit=paging.limit, offset=paging.offset + paging.limit)
        response.headers["Link"] = f'<{following}>; rel="next"'
    return listed.items
