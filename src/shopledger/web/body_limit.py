"""No request body is read past its bound (domain/limits.py): an order file sent to Import Data
may be large; anything else (a page's form, a logo, a COD statement, a JSON body) is small.

Counted as the body is read, so a sender who declares nothing (chunked) is stopped the same way
as one who declares too much, and a check that parses a form first (CSRF, before the role) never
spools more than the bound. The refusal is an HTTP 413 raised where the route reads its body, so
it answers as every other error does (web/errors.py): problem+json `request_too_large` on the
API, a page in the person's language elsewhere. Starlette's own limiter (FastAPI's
`max_body_size`) answers a body declared too large with plain text whatever the app says, which
would bypass both."""
from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shopledger.domain.limits import MAX_ORDER_FILE_UPLOAD, MAX_REQUEST_BYTES

ORDER_FILE_PATHS = frozenset({"/api/v1/imports", "/import/file", "/import/preview"})


def bound_for(path: str) -> int:
    return MAX_ORDER_FILE_UPLOAD if path.rstrip("/") in ORDER_FILE_PATHS else MAX_REQUEST_BYTES


class BodyLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        bound = bound_for(scope["path"])
        declared = _declared_length(scope)
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            if declared > bound:
                raise _too_large(bound)
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > bound:
                    raise _too_large(bound)
            return message

        await self.app(scope, counted, send)


def _too_large(bound: int) -> HTTPException:
    return HTTPException(413, f"the request is larger than the {bound:,} bytes accepted here")


def _declared_length(scope: Scope) -> int:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return 0
