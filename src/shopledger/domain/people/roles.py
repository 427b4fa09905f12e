"""Who may do what: THE table of capabilities and the roles that have them (web.md, "Who signs
in, and what each may do"). People (sessions) and API tokens have the same four roles.

Every page, form and API route declares the capability it needs (`page_needs("orders.change")`,
`api_needs("orders.change")` in shopledger.web.auth); nothing else decides who may do what. A new
kind of action gets a new capability here, with the roles that may use it.
"""
from __future__ import annotations

from shopledger.domain.errors import DomainError

ADMIN, ACCOUNTANT, CLERK, READER = "admin", "accountant", "clerk", "reader"
ROLES = (ADMIN, ACCOUNTANT, CLERK, READER)
_ALL = frozenset(ROLES)
_BOOKS = frozenset({ADMIN, ACCOUNTANT})
_SHOP = frozenset({ADMIN, CLERK})
_STAFF = frozenset({ADMIN, ACCOUNTANT, CLERK})

# capability -> (the roles that have it, what it lets one do)
CAPABILITIES: dict[str, tuple[frozenset[str], str]] = {
    "orders.read": (_ALL, "see orders, one order and its history"),
    "orders.change": (_SHOP, "key in, edit, mark paid, ship, deliver, return and cancel orders"),
    "documents.read": (_ALL, "see documents, their PDFs and unsigned e-Tax XML"),
    "documents.sign": (_BOOKS, "e-Tax XML signed with the company's certificate"),
    "documents.etax": (_BOOKS, "a document's e-Tax PDF/A-3 (XML inside), and e-mailing it to the buyer"),
    "stock.read": (_ALL, "see products, stock levels and stock movements"),
    "stock.change": (_SHOP, "add or edit products, goods in, stock counts"),
    "shipping.change": (_SHOP, "record shipments, one or from a sheet"),
    "cod.read": (_STAFF, "COD money receivable by courier"),
    "cod.change": (_SHOP, "book a courier's COD payout statement"),
    "imports.run": (_SHOP, "Import Data: a source's button, an uploaded order file"),
    "sources.read": (_STAFF, "see the sources and the Import Data runs"),
    "sources.change": (frozenset({ADMIN}), "add, change or remove a source"),
    "alerts.read": (_STAFF, "see the alerts"),
    "alerts.resolve": (_STAFF, "resolve a stored alert (COD mismatch, books conflict)"),
    "sales.today": (_STAFF, "the day's sales (a clerk sees no other report)"),
    "reports.read": (_BOOKS, "journal, trial balance, P&L, balance sheet, ledger, VAT, aging, valuation, sales"),
    "reports.export": (_BOOKS, "the month's accountant pack and other exports"),
    "periods.close": (_BOOKS, "close a period (closed_through) or a year"),
    "vat.settle": (_BOOKS, "settle and pay a month's VAT"),
    "settings.read": (_BOOKS, "see the company and the books' settings"),
    "settings.change": (frozenset({ADMIN}), "change the company, VAT registration and rates, payment accounts, stuck rules"),
    "people.manage": (frozenset({ADMIN}), "people who sign in: add, change a role, disable, enable"),
    "tokens.manage": (frozenset({ADMIN}), "API tokens: list and revoke"),
}


class UnknownCapability(ValueError):
    """A route named a capability the table does not have: a programming error, raised at import."""


def check_capability(capability: str) -> str:
    if capability not in CAPABILITIES:
        raise UnknownCapability(f"no capability {capability!r} in domain/people/roles.py CAPABILITIES")
    return capability


def may(role: str | None, capability: str) -> bool:
    """Whether this role has this capability; no role (nobody signed in) has none."""
    return role in CAPABILITIES[check_capability(capability)][0]


def capabilities_of(role: str) -> list[str]:
    return [name for name, (roles, _) in CAPABILITIES.items() if role in roles]


def roles_with(capability: str) -> list[str]:
    """In the order of ROLES, e.g. ['admin', 'accountant']."""
    allowed = CAPABILITIES[check_capability(capability)][0]
    return [role for role in ROLES if role in allowed]


def check_role(role: str) -> str:
    if role not in ROLES:
        raise DomainError("unknown_role", f"role {role!r} is not one of {', '.join(ROLES)}", {"role": role})
    return role
