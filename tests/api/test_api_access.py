"""Every page, form and API route x every role: what the role table (domain/people/roles.py) says.

The routes are read from the app itself, so a route added without declaring the capability it
needs (`page_needs` / `api_needs`, web/auth.py) fails here, and so does a new route served to
anyone that is not in OPEN. A role that lacks the capability gets 403; one that has it is never
refused (no 401/403) and no server error, and a page or read answers 200 with the sample data.
"""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route

from shopledger.adapters.db.engine import make_engine
from shopledger.domain.clock import business_date, utc_now
from shopledger.domain.people import roles
from shopledger.services import people, products, sources
from shopledger.services.setup import init_database
from shopledger.services.sync import queue_run
from shopledger.services.tokens import create_token
from shopledger.web.app import create_app
from shopledger.web.auth import declared, routes_of
from shopledger.web.sessions import CSRF_FIELD, SESSION_COOKIE
from tests.api.conftest import PASSWORD, take
from tests.builders import make_order_dict

pytestmark = pytest.mark.db

# Served without a session or a token, each for its reason.
OPEN = {("GET", "/signin"), ("POST", "/signin"),  # signing in
        ("POST", "/signout"),  # ends whatever session there is (with its CSRF token while it lives)
        ("GET", "/healthz"),  # the load balancer's
        ("POST", "/api/v1/sources/{name}/orders"),  # a shop's webhook, signed with the source's secret
        ("GET", "/help"), ("GET", "/help/{name}")}  # the product's own docs (docs/*.md), as the repository shows them
NOT_ROUTES = {"/openapi.json", "/static", "/demo-shop"}  # the spec, files, the demo shop (its own token)


def _app(engine=None):
    return create_app(engine or make_engine("sqlite://"), enqueue_sync=lambda run_id: None, demo_shop=False,
                      extra_hosts=("testserver",))


def _routes() -> list[tuple[str, str, object]]:
    return [(method, route.path, route) for route in routes_of(_app()) for method in sorted(route.methods)]


ROUTES = _routes()
GUARDED = [(method, path) for method, path, _ in ROUTES if (method, path) not in OPEN]

TODAY = business_date(utc_now()).isoformat()
MONTH = "2026-11"
QUERIES = {
    "/api/v1/reports/vat": f"month={MONTH}", "/api/v1/reports/pp30": f"month={MONTH}",
    "/api/v1/reports/profit-and-loss": "from=2026-11-01&to=2026-11-30",
    "/api/v1/reports/balance-sheet": "as_of=2026-11-30",
    "/api/v1/reports/ledger": "account=111201&from=2026-11-01&to=2026-11-30",
    "/api/v1/reports/receivables": "as_of=2026-11-30", "/api/v1/reports/cod-aging": "as_of=2026-11-30",
    "/api/v1/reports/stock-valuation": "as_of=2026-11-30",
    "/api/v1/reports/sales": f"by=channel&from={TODAY}&to={TODAY}",  # today's: a clerk may too
    "/api/v1/exports/month": f"month={MONTH}",
    "/api/v1/documents/pdf": "numbers=RT-202611-00001",
    "/orders/edit": "source=import&external_id=U-1",  # an unpaid order: its form
}
# Reads that answer something else than 200 with the sample data, and why.
NOT_200 = {("GET", "/documents/{number}/xml"), ("GET", "/api/v1/documents/{number}/xml"),  # the seller lacks e-Tax parts
           ("GET", "/documents/{number}/etax.pdf"), ("GET", "/api/v1/documents/{number}/etax.pdf"),  # so its XML too
           ("GET", "/settings/images/{kind}")}  # no logo is set


def test_every_route_declares_what_it_needs():
    undeclared, open_unlisted, listed_not_open = [], [], []
    for method, path, route in ROUTES:
        found = declared(route)
        if found is None:
            undeclared.append(f"{method} {path}")
        elif found.public != ((method, path) in OPEN):
            (open_unlisted if found.public else listed_not_open).append(f"{method} {path}")
    assert not undeclared, f"routes without page_needs/api_needs/open_to_all: {undeclared}"
    assert not open_unlisted, f"open to anyone but not in OPEN (say why there): {open_unlisted}"
    assert not listed_not_open, f"in OPEN but they need a capability: {listed_not_open}"
    others = {r.path for r in _app().routes if isinstance(r, Mount) or type(r) is Route}
    assert others <= NOT_ROUTES, others - NOT_ROUTES
    assert len(ROUTES) > 60  # every router's routes, not only the app's own


def test_every_capability_a_route_names_is_in_the_table_and_used():
    named = {c for _, _, route in ROUTES for c in (declared(route).capabilities if declared(route) else ())}
    assert named <= set(roles.CAPABILITIES)
    unused = set(roles.CAPABILITIES) - named
    # sources are added and changed by the CLI so far; signing is asked for by ?signed=true on the XML route
    assert unused <= {"sources.change", "documents.sign"}, unused


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One shop for the whole table: books, a product, a source with a run, a person to act on,
    and for each role a signed-in browser and an API token."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('access') / 'shop.db'}")
    init_database(engine)
    take(engine, make_order_dict(external_id="P-1"), make_order_dict(external_id="U-1", payment_status="unpaid",
                                                                    paid_at=None))
    products.add_product(engine, "HONEY-1L", "น้ำผึ้ง", "350.00", "190.00", 5)
    sources.add_source(engine, "shop", kind="shop-api", base_url="http://127.0.0.1:9/", token="t")
    queue_run(engine, "shop")
    spare = people.create_user(engine, "spare@shop.test", "clerk", PASSWORD)
    app = _app(engine)
    clients, tokens = {}, {}
    with TestClient(app, raise_server_exceptions=False) as client:
        for role in roles.ROLES:
            people.create_user(engine, f"{role}@shop.test", role, PASSWORD)
            signed = people.sign_in(engine, f"{role}@shop.test", PASSWORD)
            clients[role] = (signed.cookie, signed.person.csrf_token)
            tokens[role] = create_token(engine, f"t-{role}", role)
        yield {"client": client, "sessions": clients, "tokens": tokens, "spare": spare["id"]}
    engine.dispose()


def _url(path: str, world) -> str:
    samples = {"number": "RT-202611-00001", "source": "import", "external_id": "P-1", "order_id": "1",
               "sku": "HONEY-1L", "name": "nobody" if path.startswith("/api/v1/tokens") else "shop",
               "run_id": "1", "alert_id": "1", "user_id": str(world["spare"]),
               "code": "111201", "what": "enable", "kind": "logo"}
    filled = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: samples[m.group(1)], path)
    return filled + (f"?{QUERIES[path]}" if path in QUERIES else "")


@pytest.mark.parametrize("role", roles.ROLES)
@pytest.mark.parametrize("method,path", GUARDED, ids=[f"{m} {p}" for m, p in GUARDED])
def test_each_role_may_use_what_the_table_gives_it(world, method, path, role):
    route = next(r for m, p, r in ROUTES if (m, p) == (method, path))
    found = declared(route)
    assert found is not None and found.capabilities, f"{method} {path} declares no capability"
    allowed = any(roles.may(role, c) for c in found.capabilities)
    client = world["client"]
    client.cookies.clear()
    url = _url(path, world)
    if path.startswith("/api/"):
        headers = {"Authorization": f"Bearer {world['tokens'][role]}"}
        kwargs = {"json": {}} if method != "GET" else {}
    else:
        cookie, csrf = world["sessions"][role]
        client.cookies.set(SESSION_COOKIE, cookie)
        headers = {}
        kwargs = {"data": {CSRF_FIELD: csrf}} if method != "GET" else {}
    answer = client.request(method, url, headers=headers, follow_redirects=False, **kwargs)
    if not allowed:
        assert answer.status_code == 403, (role, method, url, answer.status_code, answer.text[:300])
        if not path.startswith("/api/"):
            assert "text/html" in answer.headers["content-type"]
        return
    assert answer.status_code not in (401, 403) and answer.status_code < 500, \
        (role, method, url, answer.status_code, answer.text[:300])
    if method == "GET" and (method, path) not in NOT_200:
        assert answer.status_code == 200, (role, url, answer.status_code, answer.text[:300])


@pytest.mark.parametrize("method,path", [(m, p) for m, p in GUARDED if not p.startswith("/api/")],
                         ids=[f"{m} {p}" for m, p in GUARDED if not p.startswith("/api/")])
def test_a_page_without_a_session_goes_to_sign_in(world, method, path):
    client = world["client"]
    client.cookies.clear()
    answer = client.request(method, _url(path, world), follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/signin")


@pytest.mark.parametrize("method,path", [(m, p) for m, p in GUARDED if p.startswith("/api/")],
                         ids=[f"{m} {p}" for m, p in GUARDED if p.startswith("/api/")])
def test_an_api_route_without_a_token_is_401(world, method, path):
    client = world["client"]
    client.cookies.clear()
    answer = client.request(method, _url(path, world), follow_redirects=False)
    assert answer.status_code == 401 and answer.json()["code"] == "unauthorized"


def test_a_clerk_sees_today_s_sales_but_no_other_report(world):
    client, token = world["client"], world["tokens"]["clerk"]
    client.cookies.clear()
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/v1/reports/sales?by=channel&from={TODAY}&to={TODAY}", headers=auth).status_code == 200
    month = client.get("/api/v1/reports/sales?by=channel&from=2026-11-01&to=2026-11-30", headers=auth)
    assert month.status_code == 403 and month.json()["needs"] == ["reports.read"]


def test_an_accountant_closes_periods_but_changes_no_other_setting(world):
    client, token = world["client"], world["tokens"]["accountant"]
    client.cookies.clear()
    auth = {"Authorization": f"Bearer {token}"}
    assert client.patch("/api/v1/settings", json={"closed_through": "2020-01-31"}, headers=auth).status_code == 200
    refused = client.patch("/api/v1/settings", json={"company": {"name": "x"}}, headers=auth)
    assert refused.status_code == 403 and refused.json()["needs"] == ["settings.change"]
    clerk = {"Authorization": f"Bearer {world['tokens']['clerk']}"}
    assert client.patch("/api/v1/settings", json={"closed_through": "2020-01-31"}, headers=clerk).status_code == 403


def test_a_forbidden_page_says_so(world):
    client = world["client"]
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, world["sessions"]["reader"][0])
    answer = client.get("/journal")
    assert answer.status_code == 403 and "text/html" in answer.headers["content-type"]
    assert 'href="/journal"' not in answer.text  # nor does the menu offer it


@pytest.mark.parametrize("role", roles.ROLES)
def test_the_menu_shows_only_what_the_role_may_use(world, role):
    client = world["client"]
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, world["sessions"][role][0])
    html = client.get("/orders").text
    nav = html[html.index("<nav"):html.index("</nav>")]
    menu = {"/journal": "reports.read", "/trial-balance": "reports.read", "/orders": "orders.read",
            "/stock": "stock.read", "/alerts": "alerts.read", "/sources": "sources.read",
            "/sync-runs": "sources.read", "/people": "people.manage"}
    for href, capability in menu.items():
        assert (f'href="{href}"' in nav) == roles.may(role, capability), (role, href)


def test_the_table_is_as_web_md_says():
    may = roles.may
    assert all(may("admin", c) for c in roles.CAPABILITIES)
    assert [c for c in roles.CAPABILITIES if may("reader", c)] == ["orders.read", "documents.read", "stock.read"]
    for capability in ("reports.read", "reports.export", "periods.close", "vat.settle", "documents.sign",
                       "settings.read"):
        assert may("accountant", capability) and not may("clerk", capability)
    for capability in ("people.manage", "tokens.manage", "sources.change", "settings.change"):
        assert not may("accountant", capability) and not may("clerk", capability)
    for capability in ("orders.change", "stock.change", "shipping.change", "cod.change", "imports.run", "sales.today"):
        assert may("clerk", capability)
    assert not may("accountant", "orders.change") and not may("accountant", "imports.run")
