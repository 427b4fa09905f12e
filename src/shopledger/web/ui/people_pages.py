"""Signing in and out, and the people page (admins: add a person, change a role, disable, enable).

/signin and /signout are served without a session (`open_to_all`); every other page wants one
(web/auth.py) and is sent here with `?next=` when there is none. The sign-in form carries a CSRF
token of its own before any session exists: a random value in a short-lived cookie and in the
form, which must match (another site cannot read the cookie to fill in the form).
"""
from __future__ import annotations

import hmac
import secrets
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine
from starlette.requests import HTTPConnection

from shopledger.domain.errors import DomainError
from shopledger.domain.people import accounts, roles
from shopledger.services import people
from shopledger.services.people import Person, SignInRefused
from shopledger.web import i18n, sessions
from shopledger.web.auth import NotAllowed, SignInNeeded, open_to_all, page_needs
from shopledger.web.deps import engine_of
from shopledger.web.i18n import N_
from shopledger.web.ui.pages import templates

SIGN_IN_COOKIE = "shopledger_signin"
SIGN_IN_FORM_LIFETIME = 3600  # seconds a sign-in form stays good

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
ROLE_NAMES = {"admin": N_("Admin"), "accountant": N_("Accountant"), "clerk": N_("Clerk"), "reader": N_("Reader")}


def install(app: FastAPI) -> None:
    """The sign-in pages, how a page without a session or without the role answers, the person's
    language (remembered with them) and the template globals (`may`, `csrf_field`, ...)."""
    app.add_exception_handler(SignInNeeded, _to_sign_in)
    app.add_exception_handler(NotAllowed, _not_allowed)
    app.include_router(router)
    sessions.install_globals(templates.env)
    i18n.use_person_store(_language_of_person, _save_language_of_person)


def _language_of_person(request: HTTPConnection) -> str | None:
    person = getattr(request.state, "person", None)  # looked up by the page's own dependency
    return person.language if person is not None else None


def _save_language_of_person(request: HTTPConnection, lang: str) -> None:
    person = sessions.person_of(request, request.app.state.engine)
    if person is not None and person.language != lang:
        people.set_language(request.app.state.engine, person.user_id, lang)


# -- signing in and out -------------------------------------------------------------------------

@router.get("/signin", dependencies=[Depends(open_to_all)])
def sign_in_page(request: Request, next: str = "/", engine: Engine = Depends(engine_of)):
    if sessions.person_of(request, engine) is not None:
        return RedirectResponse(_local(next), status_code=303)
    return _sign_in_form(request, _local(next))


@router.post("/signin", dependencies=[Depends(open_to_all)])
def sign_in(request: Request, email: str = Form("", max_length=500), password: str = Form("", max_length=1000),
            next: str = Form("/", max_length=2000), form_token: str = Form("", alias=sessions.CSRF_FIELD),
            engine: Engine = Depends(engine_of)):
    target = _local(next)
    expected = request.cookies.get(SIGN_IN_COOKIE, "")
    if not (expected and form_token and hmac.compare_digest(expected, form_token)):
        return _sign_in_form(request, target, email, "expired", status=403)
    try:
        signed = people.sign_in(engine, email, password, previous_cookie=sessions.cookie_of(request))
    except SignInRefused as refused:
        headers = {"Retry-After": str(refused.retry_after)} if refused.retry_after else None
        return _sign_in_form(request, target, email, "locked" if refused.retry_after else "failed",
                             status=refused.status, headers=headers, retry_after=refused.retry_after)
    response = RedirectResponse(target, status_code=303)
    sessions.remember(response, request, signed.cookie)
    response.delete_cookie(SIGN_IN_COOKIE, path="/signin")
    return response


@router.post("/signout", dependencies=[Depends(open_to_all)])
async def sign_out(request: Request, engine: Engine = Depends(engine_of)):
    """Ends the session (its row is deleted). Needs the session's CSRF token while it is live."""
    person = sessions.person_of(request, engine)
    if person is not None and not people.csrf_matches(person, await sessions.csrf_sent(request)):
        raise NotAllowed(person.role, (), reason="csrf")
    people.sign_out(engine, sessions.cookie_of(request))
    response = RedirectResponse("/signin", status_code=303)
    sessions.forget(response, request)
    return response


def _sign_in_form(request: Request, target: str, email: str = "", problem: str | None = None, status: int = 200,
                  headers: dict[str, str] | None = None, retry_after: int = 0) -> Response:
    """`problem`: failed, locked (retry_after seconds) or expired (the form's own token)."""
    token = secrets.token_urlsafe(32)
    response = templates.TemplateResponse(request, "signin.html", {
        "next": target, "email": email, "problem": problem, "retry_after": retry_after, "form_token": token},
        status_code=status, headers=headers)
    response.set_cookie(SIGN_IN_COOKIE, token, max_age=SIGN_IN_FORM_LIFETIME, path="/signin", httponly=True,
                        samesite="lax", secure=request.url.scheme == "https")
    return response


def _local(target: str) -> str:
    """Only a path on this site: never another site's address (`//evil`, `https://...`)."""
    parts = urlsplit(target or "/")
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target


# -- what a page answers without a session, or without the role ---------------------------------

def _to_sign_in(request: Request, _error: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    location = "/signin" if request.method not in sessions.SAFE_METHODS or target == "/" else f"/signin?next={quote(target)}"
    if request.headers.get("hx-request"):  # htmx: the whole page goes, not a fragment swapped in
        return Response(status_code=401, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


def _not_allowed(request: Request, error: Exception) -> Response:
    assert isinstance(error, NotAllowed)
    return templates.TemplateResponse(request, "not_allowed.html", {
        "reason": error.reason, "role": error.role, "role_name": ROLE_NAMES.get(error.role or "", error.role or ""),
        "needs": error.capabilities,
        "allowed": sorted({r for c in error.capabilities for r in roles.roles_with(c)}, key=roles.ROLES.index)},
        status_code=403)


# -- the people page (admins) -------------------------------------------------------------------

MANAGE = page_needs("people.manage")


@router.get("/people", dependencies=[Depends(MANAGE)])
def people_page(request: Request, done: str = "", who: str = "", engine: Engine = Depends(engine_of)):
    return _people(request, engine, done=done, who=who)


@router.post("/people", dependencies=[Depends(MANAGE)])
def add_person(request: Request, email: str = Form("", max_length=500), role: str = Form("", max_length=20),
               password: str = Form("", max_length=1000), engine: Engine = Depends(engine_of)):
    try:
        added = people.create_user(engine, email, role, password)
    except DomainError as error:  # the form again, with what was typed (but the password) and why
        return _people(request, engine, problem=error.code, typed={"email": email, "role": role}, status=error.status)
    return RedirectResponse(f"/people?done=added&who={quote(added['email'])}", status_code=303)


@router.post("/people/{user_id}/role", dependencies=[Depends(MANAGE)])
def change_role(request: Request, user_id: int, role: str = Form("", max_length=20), engine: Engine = Depends(engine_of)):
    return _act(request, engine, lambda: people.set_role(engine, user_id, role), "role")


@router.post("/people/{user_id}/disable", dependencies=[Depends(MANAGE)])
def disable_person(request: Request, user_id: int, engine: Engine = Depends(engine_of)):
    return _act(request, engine, lambda: people.disable(engine, user_id), "disabled")


@router.post("/people/{user_id}/enable", dependencies=[Depends(MANAGE)])
def enable_person(request: Request, user_id: int, engine: Engine = Depends(engine_of)):
    return _act(request, engine, lambda: people.enable(engine, user_id), "enabled")


def _act(request: Request, engine: Engine, action, what: str) -> Response:
    try:
        person = action()
    except DomainError as error:
        return _people(request, engine, problem=error.code, status=error.status)
    return RedirectResponse(f"/people?done={what}&who={quote(person['email'])}", status_code=303)


def _people(request: Request, engine: Engine, done: str = "", who: str = "", problem: str | None = None,
            typed: dict | None = None, status: int = 200) -> Response:
    """`problem`: the code of what went wrong (people.html says it in words)."""
    me: Person | None = getattr(request.state, "person", None)
    return templates.TemplateResponse(request, "people.html", {
        "nav": "people", "people": people.list_users(engine), "roles": roles.ROLES, "role_names": ROLE_NAMES,
        "done": done, "who": who, "problem": problem, "typed": typed or {}, "me": me,
        "min_password": accounts.MIN_PASSWORD}, status_code=status)

