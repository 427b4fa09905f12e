"""Settings: the company on the documents (name, address, tax ID, branch), VAT registration and
its rates (a rate from a date), and API tokens (listed, created and shown once, revoked).

An accountant reads the company and VAT (settings.read); only an admin changes them
(settings.change) or manages tokens (tokens.manage). Forms post with the CSRF token and answer
with a redirect carrying a notice; a new token is shown on the answer to its form, once.
"""
from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import Engine

from shopledger.domain.errors import DomainError, NotFound
from shopledger.domain.people.roles import ROLES
from shopledger.services import company, tokens
from shopledger.web.auth import guard_page, page_needs
from shopledger.web.deps import engine_of
from shopledger.web.i18n import N_
from shopledger.web.ui.pages import _refused, _same_site, templates

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse, dependencies=[Depends(guard_page)])

PROBLEMS = {
    "invalid_tax_id": N_("The tax ID fails its check digit."),
    "invalid_branch": N_("A branch is 5 digits (00000 is the head office)."),
    "invalid_address": N_("The address does not read."),
    "invalid_rate": N_("The rate does not read as a percentage."),
    "invalid_date": N_("That is not a date."),
    "not_found": N_("There is no such token."),
    "token_exists": N_("A token has that name already."),
}
OTHER_PROBLEM = N_("That could not be done.")
DONE = {"company": N_("The company was saved."), "rate": N_("The VAT rate was added."),
        "revoked": N_("The token was revoked.")}


def _settings_page(request: Request, engine: Engine, done: str = "", problem: str = ""):
    return templates.TemplateResponse(request, "settings.html", {
        "nav": "settings", "s": company.show_settings(engine), "done": DONE.get(done),
        "problem": PROBLEMS.get(problem, OTHER_PROBLEM) if problem else None})


@router.get("/settings", dependencies=[Depends(page_needs("settings.read"))])
def settings_page(request: Request, done: str = "", problem: str = "", engine: Engine = Depends(engine_of)):
    return _settings_page(request, engine, done, problem)


def _after(request: Request, there: str, done: str, action):
    if not _same_site(request):
        return _refused(request)
    try:
        action()
    except NotFound:
        return RedirectResponse(f"{there}?problem=not_found", status_code=303)
    except DomainError as error:
        return RedirectResponse(f"{there}?problem={error.code}", status_code=303)
    return RedirectResponse(f"{there}?done={done}", status_code=303)


@router.post("/settings/company", dependencies=[Depends(page_needs("settings.change"))])
def save_company(request: Request, name: str = Form(""), address: str = Form(""), tax_id: str = Form(""),
                 branch: str = Form(""), vat_registered: str = Form(""), engine: Engine = Depends(engine_of)):
    given = {"name": name.strip(), "address": address.strip(), "tax_id": tax_id.strip(), "branch": branch.strip()}
    return _after(request, "/settings", "company", lambda: company.update_settings(
        engine, company={k: v for k, v in given.items() if v} or None, vat_registered=vat_registered == "yes"))


@router.post("/settings/vat-rate", dependencies=[Depends(page_needs("settings.change"))])
def add_rate(request: Request, rate: str = Form(""), starts_on: str = Form(""), engine: Engine = Depends(engine_of)):
    def action():
        try:
            day = date.fromisoformat(starts_on)
        except ValueError:
            raise DomainError("invalid_date", "not a date") from None
        company.set_vat_rate(engine, rate.strip(), day)
    return _after(request, "/settings", "rate", action)


@router.get("/settings/tokens", dependencies=[Depends(page_needs("tokens.manage"))])
def tokens_page(request: Request, done: str = "", problem: str = "", engine: Engine = Depends(engine_of)):
    return _tokens(request, engine, done=DONE.get(done), problem=PROBLEMS.get(problem, OTHER_PROBLEM) if problem else None)


def _tokens(request: Request, engine: Engine, **context):
    return templates.TemplateResponse(request, "settings_tokens.html", {
        "nav": "settings", "tokens": tokens.list_tokens(engine), "roles": ROLES} | context)


@router.post("/settings/tokens", dependencies=[Depends(page_needs("tokens.manage"))])
def create_token(request: Request, name: str = Form(""), role: str = Form("reader"), engine: Engine = Depends(engine_of)):
    if not _same_site(request):
        return _refused(request)
    name = name.strip()[:60]
    if not name:
        return _tokens(request, engine, problem=OTHER_PROBLEM)
    if any(t["name"] == name for t in tokens.list_tokens(engine)):
        return _tokens(request, engine, problem=PROBLEMS["token_exists"])
    try:
        made = tokens.create_token(engine, name, role)
    except DomainError as error:
        return _tokens(request, engine, problem=PROBLEMS.get(error.code, OTHER_PROBLEM))
    return _tokens(request, engine, new_token=made, new_name=name)


@router.post("/settings/tokens/revoke", dependencies=[Depends(page_needs("tokens.manage"))])
def revoke_token(request: Request, name: str = Form(""), engine: Engine = Depends(engine_of)):
    return _after(request, "/settings/tokens", "revoked", lambda: tokens.revoke_token(engine, name))
