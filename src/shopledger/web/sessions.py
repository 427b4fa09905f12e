"""The browser's session: its cookie, its CSRF token, and what templates ask of it.

The cookie (`shopledger_session`) holds a random session id and nothing else: HttpOnly (no script
reads it), SameSite=Lax (another site's form or fetch does not carry it), Secure when the page
was asked for over https, Path=/. Every request that is not a read (not GET/HEAD/OPTIONS) must
send the session's CSRF token, as the form field `csrf_token` (templates: `{{ csrf_field() }}`)
or the header `X-CSRF-Token` (htmx sends it from base.html's `hx-headers`).

Jinja globals for every template: `may("orders.change")` (the signed-in person's role has that
capability: domain/people/roles.py), `csrf_field()`, `csrf_token()`, `signed_in()` (the Person
or None).
"""
from __future__ import annotations

from fastapi import Request, Response
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from sqlalchemy import Engine
from starlette.requests import HTTPConnection

from shopledger.domain.people import roles
from shopledger.services import people
from shopledger.services.people import Person

SESSION_COOKIE = "shopledger_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def cookie_of(request: HTTPConnection) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or None


def person_of(request: HTTPConnection, engine: Engine) -> Person | None:
    """The signed-in person, looked up once per request (and kept for the templates)."""
    if not hasattr(request.state, "person"):
        request.state.person = people.session_person(engine, cookie_of(request))
    return request.state.person


def remember(response: Response, request: Request, cookie: str) -> None:
    response.set_cookie(SESSION_COOKIE, cookie, max_age=int(people.SESSION_LONGEST.total_seconds()), path="/",
                        httponly=True, samesite="lax", secure=_https(request))


def forget(response: Response, request: Request) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=_https(request))


def _https(request: Request) -> bool:
    return request.url.scheme == "https"


async def csrf_sent(request: Request) -> str | None:
    """The token a request carries: the header, else the form field (the form is read once and kept)."""
    if (header := request.headers.get(CSRF_HEADER)):
        return header
    if request.headers.get("content-type", "").startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


# -- for the templates --------------------------------------------------------------------------

def _person(context: Context) -> Person | None:
    """The page's person: looked up by its route's dependency, or here for a page no route drew
    (a 404 or 500 page keeps the menu of whoever is signed in)."""
    request = context.get("request")
    if request is None:
        return None
    if not hasattr(request.state, "person"):
        try:
            return person_of(request, request.app.state.engine)
        except Exception:  # noqa: BLE001 - a page about a failure is drawn without a menu rather than not at all
            request.state.person = None
    return request.state.person


@pass_context
def may(context: Context, capability: str) -> bool:
    person = _person(context)
    return person is not None and roles.may(person.role, capability)


@pass_context
def csrf_token(context: Context) -> str:
    person = _person(context)
    return person.csrf_token if person is not None else ""


@pass_context
def csrf_field(context: Context) -> Markup:
    token = csrf_token(context)
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(token)}">') if token else Markup("")


@pass_context
def signed_in(context: Context) -> Person | None:
    return _person(context)


def install_globals(env: Environment) -> None:
    env.globals.update(may=may, csrf_token=csrf_token, csrf_field=csrf_field, signed_in=signed_in)
