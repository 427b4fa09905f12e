"""Who is calling, and may they do this? One rule for pages and the API: every route declares
the capability it needs, and the role table (domain/people/roles.py) says who has it.

    @router.post("/orders/{source}/{external_id:path}/ship")
    def ship(..., caller: Caller = Depends(api_needs("orders.change"))): ...      # REST
    @router.get("/stock", dependencies=[Depends(page_needs("stock.read"))])        # a page or a form

`api_needs(*capabilities)` (any one of them will do) authenticates the API caller: a bearer token
(`Authorization: Bearer slp_...`, the token's role), or a signed-in browser's session cookie sent
with its `X-CSRF-Token` header (htmx on our pages; a cookie alone is not enough). No caller is 401
`unauthorized`; a role without the capability is 403 `forbidden` (problem+json).

`page_needs(*capabilities)` wants a session: without one a page redirects to /signin?next=...
(an htmx request is told `HX-Redirect`); a request that changes something must carry the
session's CSRF token; a role without the capability gets the 403 page that says so.

`open_to_all` marks the few routes served without a session or token (sign-in, health, the shop's
signed webhooks). Routers guard themselves with `guard_api` / `guard_page`, which also refuse a
route that declares nothing, and tests/api/test_api_access.py enumerates the app's routes so a
route without a declaration fails the tests.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Depends, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from shopledger.domain.people import roles
from shopledger.services import people, tokens
from shopledger.services.people import Person
from shopledger.web import sessions
from shopledger.web.deps import engine_of
from shopledger.web.errors import WebProblem

log = logging.getLogger("shopledger.web")

READ_METHODS = sessions.SAFE_METHODS

bearer = HTTPBearer(auto_error=False, scheme_name="bearerAuth",
                    description="An API token from `shopledger token create --name NAME [--role ROLE]`.")


@dataclass(frozen=True, slots=True)
class Caller:
    """Who calls the API: a token (its name) or a signed-in person (their e-mail)."""
    role: str
    token: str
    name: str = ""
    person: Person | None = None

    def actor(self, engine: Engine | None = None) -> str:
        """How the books name this caller: `api <token name>`, or the person's e-mail."""
        return self.person.email if self.person is not None else f"api {self.name or self.role}"

    def may(self, capability: str) -> bool:
        return roles.may(self.role, capability)


# -- the API ------------------------------------------------------------------------------------

def authorize(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
              engine: Engine = Depends(engine_of)) -> Caller:
    if credentials is not None and credentials.credentials:
        holder = tokens.authenticate(engine, credentials.credentials)
        if holder is None:
            raise _unauthorized("the API token is not valid")
        return Caller(holder.role, credentials.credentials, holder.name)
    sent = request.headers.get(sessions.CSRF_HEADER)
    if sent and sessions.cookie_of(request):
        person = sessions.person_of(request, engine)
        if person is not None and people.csrf_matches(person, sent):
            return Caller(person.role, "", person.email, person)
        raise _unauthorized("the session has ended or its X-CSRF-Token is not right; sign in again")
    raise _unauthorized("an API token is required: send `Authorization: Bearer TOKEN`")


def api_needs(*capabilities: str) -> Callable[..., Caller]:
    """A dependency: the caller, if their role has one of these capabilities; else 403."""
    wanted = _checked(capabilities)

    async def needs(caller: Caller = Depends(authorize)) -> Caller:  # async: no worker thread for a check
        if not any(caller.may(c) for c in wanted):
            raise forbidden(caller.role, wanted)
        return caller

    needs.capabilities = wanted  # type: ignore[attr-defined]
    return needs


def forbidden(role: str, capabilities: tuple[str, ...]) -> WebProblem:
    """403 `forbidden` naming what was needed and who has it (members `needs` and `role`)."""
    problem = WebProblem(403, "forbidden", f"{_who(role)} may not do this: it needs {_needs(capabilities)}")
    problem.details = {"needs": list(capabilities), "role": role}
    return problem


async def guard_api(request: Request, caller: Caller = Depends(authorize)) -> Caller:
    """The API router's own check: a caller, and a route that declares what it needs."""
    _declared_or_refused(request)
    return caller


def _unauthorized(message: str) -> WebProblem:
    return WebProblem(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})


# -- pages --------------------------------------------------------------------------------------

class SignInNeeded(Exception):
    """No live session: the page handler sends the browser to /signin."""


class NotAllowed(Exception):
    """The person's role lacks the capability (or a form came without its CSRF token): a 403 page."""

    def __init__(self, role: str | None, capabilities: tuple[str, ...], reason: str = "role"):
        super().__init__(f"{role} may not: needs {capabilities}")
        self.role, self.capabilities, self.reason = role, capabilities, reason


def page_person(request: Request, engine: Engine = Depends(engine_of)) -> Person:
    person = sessions.person_of(request, engine)
    if person is None:
        raise SignInNeeded()
    return person


async def page_csrf(request: Request, person: Person = Depends(page_person)) -> Person:
    """A request that changes something must carry the session's CSRF token."""
    if request.method not in sessions.SAFE_METHODS and not people.csrf_matches(person, await sessions.csrf_sent(request)):
        raise NotAllowed(person.role, (), reason="csrf")
    return person


def page_needs(*capabilities: str) -> Callable[..., Person]:
    """A dependency for a page or a form: the signed-in person, if their role has one of these."""
    wanted = _checked(capabilities)

    async def needs(person: Person = Depends(page_csrf)) -> Person:
        if not any(roles.may(person.role, c) for c in wanted):
            raise NotAllowed(person.role, wanted)
        return person

    needs.capabilities = wanted  # type: ignore[attr-defined]
    return needs


async def guard_page(request: Request, person: Person = Depends(page_csrf)) -> Person:
    """A pages router's own check: signed in, CSRF for changes, and a route that declares its need."""
    _declared_or_refused(request, person.role)
    return person


async def open_to_all() -> None:
    """Marks a route served without a session or a token (sign-in, health, signed webhooks)."""


open_to_all.capabilities = ()  # type: ignore[attr-defined]
open_to_all.public = True  # type: ignore[attr-defined]


# -- what routes declare ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Declared:
    capabilities: tuple[str, ...]
    public: bool


_declared: dict[int, Declared | None] = {}


def declared(route) -> Declared | None:
    """What a route declares through its dependencies (at any depth), None if nothing."""
    found: list[Callable] = []

    def walk(dependant) -> None:
        for dep in dependant.dependencies:
            if hasattr(dep.call, "capabilities"):
                found.append(dep.call)
            walk(dep)

    walk(route.dependant)
    if not found:
        return None
    capabilities = tuple(dict.fromkeys(c for call in found for c in call.capabilities))
    return Declared(capabilities, any(getattr(call, "public", False) for call in found) and not capabilities)


def routes_of(app) -> list:
    """Every FastAPI route the app serves, each with `.path`, `.methods` and `.dependant` (what its
    routers add included): FastAPI 0.16x keeps included routers nested, older ones flat."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI before 0.16x: app.routes is every route
        return [route for route in app.routes if isinstance(route, APIRoute)]
    return [context for context in iter_route_contexts(app.routes) if isinstance(context.original_route, APIRoute)]


def _declared_or_refused(request: Request, role: str | None = None) -> None:
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    key = id(route)
    if key not in _declared:
        _declared[key] = declared(route)
    if _declared[key] is None:
        log.error("route %s %s declares no capability: refused", request.method, route.path)
        if role is None:
            raise WebProblem(403, "forbidden", "this route declares no capability, so no one may use it")
        raise NotAllowed(role, ())


def _checked(capabilities: tuple[str, ...]) -> tuple[str, ...]:
    if not capabilities:
        raise roles.UnknownCapability("a route must name at least one capability")
    return tuple(roles.check_capability(c) for c in capabilities)


def _who(role: str) -> str:
    return f"an {role}" if role[:1] in "aeiou" else f"a {role}"


def _needs(capabilities: tuple[str, ...]) -> str:
    allowed = sorted({r for c in capabilities for r in roles.roles_with(c)}, key=roles.ROLES.index)
    return f"{' or '.join(capabilities)} ({', '.join(allowed)})"
