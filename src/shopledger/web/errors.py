"""Every error of the web door as RFC 9457 problem+json, with a stable snake_case `code`.

Mapped once, here (a page's path answers a page in the person's language instead:
web/ui/error_pages.py; API paths, static files and the demo shop keep problem+json): a DomainError answers with its own status (404 NotFound, 409 Conflict,
422 otherwise), a request that does not parse with 422 `invalid_request`, the framework's
HTTP errors by their status (404 `not_found` for an unknown route, 405
`method_not_allowed`, ...), every database connection in use with 503 `unavailable` and
Retry-After (a busy moment, not a fault), and anything unexpected with 500 `internal_error`,
logged here and never shown to the client.
"""
from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from shopledger.domain.errors import DomainError
from shopledger.web.i18n import is_page

log = logging.getLogger("shopledger.web")

PROBLEM_TYPE = "https://shopledger.dev/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"

_CODES_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "request_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    500: "internal_error",
    503: "unavailable",
}


class Problem(BaseModel):
    """The body of every error answer; extension members (e.g. `errors`, `what`) may follow."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(examples=[PROBLEM_TYPE + "not_found"])
    title: str = Field(examples=["Not Found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["document IV-202611-00009 not found"])
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$", examples=["not_found"])


class WebProblem(DomainError):
    """An error only the web door knows (no token, wrong role): a code with an HTTP status."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(code, message)
        self.status = status
        self.headers = headers or {}


def problem(status: int, code: str, detail: str, extra: dict[str, Any] | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    body = dict(extra or {})  # extension members never override the standard ones
    body |= {"type": PROBLEM_TYPE + code, "title": _title(status), "status": status, "detail": detail, "code": code}
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries declaring problem+json bodies for these statuses."""
    return {status: {"model": Problem, "description": _title(status),
                     "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            for status in statuses}


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(PoolTimeout, _busy)
    app.add_exception_handler(Exception, _unexpected)
    _problems_only_in_openapi(app)


def _problems_only_in_openapi(app: FastAPI) -> None:
    """FastAPI lists a `model` response under application/json too; errors are only problem+json."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            for operation in (op for path in schema.get("paths", {}).values() for op in path.values()):
                for answer in operation.get("responses", {}).values():
                    content = answer.get("content", {})
                    if PROBLEM_MEDIA_TYPE in content:
                        content.pop("application/json", None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _page(request: Request, status: int, headers: dict[str, str] | None = None):
    """The page for an error on a page's path; None on an API path (it answers problem+json)."""
    if not is_page(request.url.path):
        return None
    from shopledger.web.ui.error_pages import error_page

    return error_page(request, status, headers)


def _domain_error(request: Request, error: DomainError) -> JSONResponse:
    if (page := _page(request, error.status, getattr(error, "headers", None))) is not None:
        return page
    return problem(error.status, error.code, error.message, _jsonable(error.details), getattr(error, "headers", None))


def _invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
    if (page := _page(request, 422)) is not None:
        return page
    errors = [{"loc": [str(part) for part in e.get("loc", ())], "msg": e.get("msg", ""), "type": e.get("type", "")}
              for e in error.errors()]
    where = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors[:3])
    return problem(422, "invalid_request", f"the request is not valid ({where})", {"errors": errors})


def _http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    headers = getattr(error, "headers", None)
    if error.status_code == 405:
        headers = dict(headers or {}) | {"Allow": _allowed(request)}
    if (page := _page(request, error.status_code, headers)) is not None:
        return page
    code = _CODES_BY_STATUS.get(error.status_code) or _title(error.status_code).lower().replace(" ", "_")
    if error.status_code == 404 and error.detail in (None, "Not Found"):
        detail = f"nothing at {request.url.path}"
    elif error.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
    else:
        detail = str(error.detail)
    return problem(error.status_code, code, detail, headers=headers)


def _allowed(request: Request) -> str:
    """Every method some route answers at this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


RETRY_AFTER_SECONDS = 1


def _busy(request: Request, error: Exception) -> JSONResponse:
    log.warning("no database connection free for %s %s: %s", request.method, request.url.path, error)
    if (page := _page(request, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)})) is not None:
        return page
    return problem(503, "unavailable", "the server is busy (every database connection is in use); try again shortly",
                   headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
    if (page := _page(request, 500)) is not None:
        return page
    return problem(500, "internal_error", "something went wrong on our side; it has been logged")


def _jsonable(details: dict[str, Any]) -> dict[str, Any]:
    return {key: value if isinstance(value, (str, int, float, bool, list, dict, type(None))) else str(value)
            for key, value in details.items()}
