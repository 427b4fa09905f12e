"""Settings of the running shop: the accounts money is received into (bank accounts added,
changed, disabled; where each payment method lands), the stuck-order rules' waits, and the
low-stock levels (per product, one level given to every product without one, and the level new
products get).

Read by an accountant (settings.read), changed by an admin (settings.change), through the
services the CLI and the API use: services/payment_accounts.py, company.update_settings (payment
accounts, stuck rules: domain/orders/stuck.py reads the waits), services/stock_levels.py. A refused
form is drawn again with what was typed and why (422); a form done redirects with a notice.
"""
from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import Engine

from shopledger.domain.accounting.chart import DEFAULT_PAYMENT_ACCOUNTS
from shopledger.domain.errors import DomainError
from shopledger.domain.orders.stuck import SETTING_OF, parse_duration
from shopledger.services import company, listing, payment_accounts, stock_levels
from shopledger.web.auth import page_needs
from shopledger.web.deps import engine_of
from shopledger.web.i18n import N_
from shopledger.web.ui import pages
from shopledger.web.ui.pages import _refused, _same_site, templates

router = APIRouter()
READ, CHANGE = page_needs("settings.read"), page_needs("settings.change")

PROBLEMS = {
    "invalid_bank_account": N_("A bank account needs its bank's name and an account number of 6 to 20 digits."),
    "account_in_use": N_("Payment methods land in this account: choose another account for them first."),
    "account_required": N_("This is the chart's own bank account, where COD refunds are paid from: it stays."),
    "account_disabled": N_("That account is disabled: enable it or choose another."),
    "unknown_account": N_("That account is not in the chart of accounts."),
    "too_many_accounts": N_("The chart has room for no more bank accounts."),
    "invalid_setting": N_("The wait for “%(rule)s” is not a whole number of days, hours or minutes."),
    "invalid_level": N_("A low-stock level is a whole number, 0 or more."),
    "not_found": N_("There is no such account or product."),
}
OTHER_PROBLEM = N_("That could not be done.")
DONE = {"methods": N_("Where the payment methods land was saved."), "added": N_("The bank account was added."),
        "changed": N_("The bank account was saved."), "disabled": N_("The bank account was disabled."),
        "enabled": N_("The bank account was enabled."), "stuck": N_("The stuck-order rules were saved."),
        "level": N_("The low-stock level was saved."), "filled": N_("The products without a level got one."),
        "default": N_("New products will get this level.")}
UNITS = {"d": timedelta(days=1), "h": timedelta(hours=1), "m": timedelta(minutes=1)}
RULE_OF = {setting: code for code, setting in SETTING_OF.items()}


def _problem(code: str) -> str:
    return PROBLEMS.get(code, OTHER_PROBLEM)


def _redirect(there: str, done: str) -> RedirectResponse:
    return RedirectResponse(f"{there}{'&' if '?' in there else '?'}done={done}", status_code=303)


# -- payment accounts --------------------------------------------------------------------------

def _payments(request: Request, engine: Engine, *, done: str = "", problem: str = "", typed: dict | None = None,
              status: int = 200):
    held = payment_accounts.receiving_accounts(engine)
    return templates.TemplateResponse(request, "settings_payments.html", {
        "nav": "settings", "accounts": held["accounts"], "methods": held["methods"] | (typed or {}).get("methods", {}),
        "typed": typed or {}, "done": DONE.get(done), "problem": _problem(problem) if problem else None},
        status_code=status)


@router.get("/settings/payments", dependencies=[Depends(READ)])
def payments_page(request: Request, done: str = "", engine: Engine = Depends(engine_of)):
    return _payments(request, engine, done=done)


@router.post("/settings/payments/methods", dependencies=[Depends(CHANGE)])
async def save_methods(request: Request, engine: Engine = Depends(engine_of)):
    if not _same_site(request):
        return _refused(request)
    sent = await request.form()
    wanted = {m: str(sent.get(f"method_{m}", ""))[:10].strip() for m in DEFAULT_PAYMENT_ACCOUNTS}
    wanted = {m: code for m, code in wanted.items() if code}
    try:
        company.update_settings(engine, payment_accounts=wanted)
    except DomainError as error:
        return _payments(request, engine, problem=error.code, typed={"methods": wanted}, status=422)
    return _redirect("/settings/payments", "methods")


@router.post("/settings/payments/banks", dependencies=[Depends(CHANGE)])
def add_bank(request: Request, bank: str = Form("", max_length=500), number: str = Form("", max_length=100),
             holder: str = Form("", max_length=1000), engine: Engine = Depends(engine_of)):
    if not _same_site(request):
        return _refused(request)
    try:
        payment_accounts.add_bank_account(engine, bank, number, holder)
    except DomainError as error:
        return _payments(request, engine, problem=error.code, status=422,
                         typed={"new": {"bank": bank, "number": number, "holder": holder}})
    return _redirect("/settings/payments", "added")


@router.post("/settings/payments/banks/{code}", dependencies=[Depends(CHANGE)])
def change_bank(request: Request, code: str, bank: str = Form("", max_length=500),
                number: str = Form("", max_length=100), holder: str = Form("", max_length=1000),
                engine: Engine = Depends(engine_of)):
    if not _same_site(request):
        return _refused(request)
    try:
        payment_accounts.change_bank_account(engine, code, bank, number, holder)
    except DomainError as error:
        return _payments(request, engine, problem=error.code, status=error.status,
                         typed={"edit": {"code": code, "bank": bank, "number": number, "holder": holder}})
    return _redirect("/settings/payments", "changed")


@router.post("/settings/payments/banks/{code}/{what}", dependencies=[Depends(CHANGE)])
def disable_bank(request: Request, code: str, what: str, engine: Engine = Depends(engine_of)):
    if not _same_site(request):
        return _refused(request)
    if what not in ("disable", "enable"):
        return pages._not_found(request, "page", what)
    try:
        payment_accounts.set_bank_account_disabled(engine, code, what == "disable")
    except DomainError as error:
        return _payments(request, engine, problem=error.code, status=error.status)
    return _redirect("/settings/payments", f"{what}d")


# -- stuck-order rules --------------------------------------------------------------------------

def wait_parts(text: str) -> tuple[str, str]:
    """"3d" -> ("3", "d"); "36h" -> ("36", "h"); "1d12h" -> ("36", "h"); "off" -> ("", "off")."""
    wait = parse_duration(text)
    if wait is None:
        return "", "off"
    for unit, size in UNITS.items():
        if wait and wait % size == timedelta(0):
            return str(wait // size), unit
    return str(int(wait.total_seconds() // 3600)), "h"


def _stuck(request: Request, engine: Engine, *, done: str = "", problem: str = "", rule: str = "",
           typed: dict | None = None, status: int = 200):
    shown = company.show_settings(engine)["stuck_rules"]
    rules = [{"setting": setting, "code": RULE_OF.get(setting, setting),
              "wait": (typed or {}).get(setting) or wait_parts(text)} for setting, text in shown.items()]
    problem_text = None
    if problem:
        problem_text = {"text": _problem(problem), "rule": RULE_OF.get(rule, "")}
    return templates.TemplateResponse(request, "settings_stuck.html", {
        "nav": "settings", "rules": rules, "done": DONE.get(done), "problem": problem_text}, status_code=status)


@router.get("/settings/stuck", dependencies=[Depends(READ)])
def stuck_page(request: Request, done: str = "", engine: Engine = Depends(engine_of)):
    return _stuck(request, engine, done=done)


@router.post("/settings/stuck", dependencies=[Depends(CHANGE)])
async def save_stuck(request: Request, engine: Engine = Depends(engine_of)):
    if not _same_site(request):
        return _refused(request)
    sent = await request.form()
    typed, wanted = {}, {}
    for setting in company.show_settings(engine)["stuck_rules"]:
        number = str(sent.get(f"wait_{setting}", "")).strip()[:12]
        unit = str(sent.get(f"unit_{setting}", "off"))
        unit = unit if unit in UNITS else "off"
        typed[setting] = (number, unit)
        wanted[setting] = "off" if unit == "off" else f"{number}{unit}"
    try:
        company.update_settings(engine, stuck_rules=wanted)
    except DomainError as error:
        return _stuck(request, engine, problem=error.code, rule=error.details.get("setting", ""), typed=typed,
                      status=422)
    return _redirect("/settings/stuck", "stuck")


# -- low-stock levels -------------------------------------------------------------------------

def _low_stock(request: Request, engine: Engine, offset: int, *, done: str = "", problem: str = "",
               typed: dict | None = None, status: int = 200):
    found = listing.stock(engine, pages.PAGE_SIZE, offset)
    return templates.TemplateResponse(request, "settings_low_stock.html", {
        "nav": "settings", "products": found.items, "total": found.total, "offset": offset,
        "page_size": pages.PAGE_SIZE, "has_next": offset + len(found.items) < found.total, "count": len(found.items),
        "default_level": stock_levels.default_level(engine),
        "typed": typed or {}, "done": DONE.get(done), "problem": _problem(problem) if problem else None},
        status_code=status)


@router.get("/settings/low-stock", dependencies=[Depends(READ)])
def low_stock_page(request: Request, done: str = "", offset: int = Query(0, ge=0), engine: Engine = Depends(engine_of)):
    return _low_stock(request, engine, offset, done=done)


def _level(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise DomainError("invalid_level", f"{text!r} is not a whole number")
    return int(text)


@router.post("/settings/low-stock/product", dependencies=[Depends(CHANGE)])
def save_level(request: Request, sku: str = Form("", max_length=200), level: str = Form("", max_length=20),
               offset: int = Form(0, ge=0), engine: Engine = Depends(engine_of)):
    if not _same_site(request):
        return _refused(request)
    try:
        stock_levels.set_low_stock_level(engine, sku, _level(level))
    except DomainError as error:
        return _low_stock(request, engine, offset, problem=error.code, typed={"sku": sku, "level": level},
                          status=error.status)
    return _redirect(f"/settings/low-stock?offset={offset}", "level")


@router.post("/settings/low-stock/fill", dependencies=[Depends(CHANGE)])
def fill_levels(request: Request, level: str = Form("", max_length=20), engine: Engine = Depends(engine_of)):
    if not _same_site(request):
        return _refused(request)
    try:
        wanted = _level(level)
        if wanted is None:
            raise DomainError("invalid_level", "no level given")
        stock_levels.give_level_to_products_without_one(engine, wanted)
    except DomainError as error:
        return _low_stock(request, engine, 0, problem=error.code, typed={"fill": level}, status=422)
    return _redirect("/settings/low-stock", "filled")


@router.post("/settings/low-stock/default", dependencies=[Depends(CHANGE)])
def save_default_level(request: Request, level: str = Form("", max_length=20), engine: Engine = Depends(engine_of)):
    """The level products get when they are created without one; empty: none."""
    if not _same_site(request):
        return _refused(request)
    try:
        stock_levels.set_default_level(engine, _level(level))
    except DomainError as error:
        return _low_stock(request, engine, 0, problem=error.code, typed={"default": level}, status=422)
    return _redirect("/settings/low-stock", "default")
