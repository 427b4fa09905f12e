"""Paging shared by every list endpoint: `?limit=&offset=` in, and out the page as a JSON array
with `X-Total-Count` (all the list holds) and, while there is more, `Link: <...>; rel="next"`."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import orjson
from fastapi import Query, Request, Response
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from shopledger.services.listing import DEFAULT_LIMIT
from shopledger.services.listing import Page as Listed

MAX_LIMIT = 1000


MAX_OFFSET = 10**12  # far past any list; a larger one overflows the databases' 64-bit integers


@dataclass(frozen=True, slots=True)
class Page:
    limit: int
    offset: int


async def page(limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="at most this many items"),
         offset: int = Query(0, ge=0, le=MAX_OFFSET, description="skip this many items first")) -> Page:
    return Page(limit, offset)  # async: a plain `def` dependency would be run on a worker thread


def paged(listed: Listed, paging: Page, request: Request, response: Response) -> list[dict]:
    """The page's items, with the headers that say how many there are and where the next page is."""
    response.headers.update(_paging_headers(listed, paging, request))
    return listed.items


def paged_as(shape: type[BaseModel], listed: Listed, paging: Page, request: Request) -> Response:
    """`paged`, answered as JSON at once: the items laid out as `shape` lays them out (its fields
    in order, defaults filled in, then what else they carry), without validating each against it
    on the way out, which cost a busy list about a fifth of its time. The route keeps
    `response_model` for /openapi.json; tests/api/test_api_list_shapes.py holds the answer to
    what validating it would have given, and schemathesis checks it against the description."""
    fields = _fields_of(shape)
    items = [_laid_out(fields, item) for item in listed.items]
    return Response(orjson.dumps(items), media_type="application/json",
                    headers=_paging_headers(listed, paging, request))


def _paging_headers(listed: Listed, paging: Page, request: Request) -> dict[str, str]:
    headers = {"X-Total-Count": str(listed.total)}
    if listed.has_more:
        following = request.url.include_query_params(limit=paging.limit, offset=paging.offset + paging.limit)
        headers["Link"] = f'<{following}>; rel="next"'
    return headers


_REQUIRED = object()


@cache
def _fields_of(shape: type[BaseModel]) -> tuple[tuple[str, Any], ...]:
    return tuple((name, _REQUIRED if field.is_required() or field.default is PydanticUndefined else field.default)
                 for name, field in shape.model_fields.items())


def _laid_out(fields: tuple[tuple[str, Any], ...], item: dict) -> dict:
    out = {name: item.get(name, default) for name, default in fields if default is not _REQUIRED or name in item}
    for key, value in item.items():  # what the shape does not name (extra="allow" keeps it)
        if key not in out:
            out[key] = value
    return out
