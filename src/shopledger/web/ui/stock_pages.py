"""Stock: the products with on hand, reserved, available, average cost and low-stock level, a
search; a product's page with its form (name, price, cost, low-stock level), goods in, a stock
count and its movements; adding a product.

Registered before web/ui/pages.py's router: its /stock (without a search) is this one's. A SKU
may hold '/', so a product's page takes it as `?sku=`. The forms post, carry the CSRF token and
answer with a redirect to the product's page, with a notice when the service refused.
"""
from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import Engine

from shopledger.domain.errors import DomainError, NotFound
from shopledger.domain.limits import MAX_SEARCH
from shopledger.domain.orders.search import fold
from shopledger.services import listing, products, stock_levels
from shopledger.web.auth import guard_page, page_needs
from shopledger.web.deps import engine_of
from shopledger.web.i18n import N_
from shopledger.web.sessions import person_of
from shopledger.web.ui import pages
from shopledger.web.ui.acted_at import AT_PROBLEMS, at_from_form
from shopledger.web.ui.pages import _not_found, _refused, _same_site, templates

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse, dependencies=[Depends(guard_page)])
MOVES_SHOWN = 100

PROBLEMS = {
    "invalid_product": N_("A product needs a SKU and a name, and amounts and levels that read."),
    "invalid_quantity": N_("The quantity does not read as a whole number in range."),
    "invalid_amount": N_("The amount does not read as baht."),
    "not_found": N_("There is no such product."),
} | AT_PROBLEMS
OTHER_PROBLEM = N_("That could not be done.")
DONE = {"saved": N_("The product was saved."), "received": N_("The goods in were recorded."),
        "counted": N_("The stock count was recorded.")}


@router.get("/stock", dependencies=[Depends(page_needs("stock.read"))])
def stock_list(request: Request, search: str = "", offset: int = Query(0, ge=0), engine: Engine = Depends(engine_of)):
    search = search.strip()[:MAX_SEARCH]
    if search:
        wanted = fold(search)
        levels = [p for p in products.stock_levels(engine) if wanted in fold(p["sku"]) or wanted in fold(p["name"])]
        total, items = len(levels), levels[offset:offset + pages.PAGE_SIZE]
    else:
        found = listing.stock(engine, pages.PAGE_SIZE, offset)
        total, items = found.total, found.items
    return templates.TemplateResponse(request, "stock_list.html", {
        "nav": "stock", "levels": items, "search": search, "offset": offset, "page_size": pages.PAGE_SIZE,
        "has_next": offset + len(items) < total, "total": total, "query": f"search={quote(search)}&" if search else ""})


def _product_page(request: Request, engine: Engine, sku: str, done: str, problem: str):
    product = None
    moves: list[dict] = []
    if sku:
        try:
            product = next(p for p in products.stock_levels(engine) if p["sku"] == sku)
            moves = products.stock_moves(engine, sku, limit=MOVES_SHOWN)
        except (StopIteration, NotFound):
            return _not_found(request, "product", sku)
    return templates.TemplateResponse(request, "stock_product.html", {
        "nav": "stock", "p": product, "moves": moves, "done": DONE.get(done),
        "default_level": None if product else stock_levels.default_level(engine),  # a new product's, shown
        "problem": PROBLEMS.get(problem, OTHER_PROBLEM) if problem else None})


@router.get("/stock/product", dependencies=[Depends(page_needs("stock.read"))])
def product_page(request: Request, sku: str = "", done: str = "", problem: str = "",
                 engine: Engine = Depends(engine_of)):
    """One product (`?sku=`), or the form for a new one (no SKU)."""
    return _product_page(request, engine, sku.strip(), done, problem)


def _back(sku: str, *, done: str = "", problem: str = "") -> RedirectResponse:
    there = f"/stock/product?sku={quote(sku, safe='')}" if sku else "/stock/product?"
    return RedirectResponse(there + (f"&done={done}" if done else f"&problem={problem}"), status_code=303)


def _act(request: Request, engine: Engine, sku: str, done: str, action) -> RedirectResponse:
    if not _same_site(request):
        return _refused(request)
    try:
        action(_actor(request, engine))
    except NotFound:
        return _back("", problem="not_found")
    except DomainError as error:
        known = any(p["sku"] == sku for p in products.stock_levels(engine)) if sku else False
        return _back(sku if known else "", problem=error.code)
    return _back(sku, done=done)


def _actor(request: Request, engine: Engine) -> str:
    person = person_of(request, engine)
    return person.email if person else "page"


def _whole(text: str, what: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise DomainError("invalid_quantity", f"{what} {text!r} is not a whole number") from None


@router.post("/stock/product", dependencies=[Depends(page_needs("stock.change"))])
def save_product(request: Request, sku: str = Form(""), name: str = Form(""), price: str = Form(""),
                 cost: str = Form(""), low_stock_at: str = Form(""), engine: Engine = Depends(engine_of)):
    def action(actor: str):
        low = _whole(low_stock_at, "the low-stock level")
        try:
            products.add_product(engine, sku, name, price or "0", cost.strip() or None, low)
        except DomainError as error:
            raise DomainError("invalid_product" if error.code != "invalid_amount" else error.code, str(error)) from None
    return _act(request, engine, sku.strip(), "saved", action)


@router.post("/stock/receive", dependencies=[Depends(page_needs("stock.change"))])
def receive(request: Request, sku: str = Form(""), quantity: str = Form(""), unit_cost: str = Form(""),
            ref: str = Form(""), at: str = Form(""), engine: Engine = Depends(engine_of)):
    def action(actor: str):
        products.receive_stock(engine, sku.strip(), _whole(quantity, "the quantity") or 0, unit_cost or "0",
                               ref=ref.strip(), actor=actor, at=at_from_form(at))
    return _act(request, engine, sku.strip(), "received", action)


@router.post("/stock/count", dependencies=[Depends(page_needs("stock.change"))])
def count(request: Request, sku: str = Form(""), counted: str = Form(""), ref: str = Form(""), at: str = Form(""),
          engine: Engine = Depends(engine_of)):
    def action(actor: str):
        value = _whole(counted, "the counted quantity")
        if value is None:
            raise DomainError("invalid_quantity", "a count needs a quantity")
        products.count_stock(engine, sku.strip(), value, ref=ref.strip(), actor=actor, at=at_from_form(at))
    return _act(request, engine, sku.strip(), "counted", action)
