"""The web door under test: an app on the parametrized `engine` (SQLite and PostgreSQL),
a client that turns server errors into answers, tokens per role, and a small set of books.

`client` is signed in to the pages as an admin (its cookie only: the API still wants a token, or
the session's X-CSRF-Token header); `client.csrf` is the token a form posts (`form(client)`).
`anon_client` is signed in as nobody; `sign_in(client, engine, role)` signs a client in as a role."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from shopledger.adapters.db.engine import writing
from shopledger.adapters.db.settings_repo import write_settings
from shopledger.services import people
from shopledger.services.intake import Incoming, take_orders
from shopledger.services.tokens import create_token
from shopledger.web.app import create_app
from shopledger.web.sessions import CSRF_FIELD, SESSION_COOKIE
from tests.builders import make_order_dict

SELLER = {"name": "ร้านน้ำผึ้งป่า จำกัด", "address": "1 ถนนนิมมานเหมินท์ เชียงใหม่ 50200",
          "tax_id": "0105556012341", "branch": "00001"}
CANCELLED = {"cancelled_at": "2026-11-22T09:00:00+07:00", "updated_at": "2026-11-22T09:00:00+07:00"}
UNPAID = {"payment_status": "unpaid", "paid_at": None}
PASSWORD = "correct horse battery"


@pytest.fixture
def queued_runs() -> list[int]:
    """Runs the API queued for Import Data; a test carries them out when it wants to."""
    return []


@pytest.fixture
def app(engine, tmp_path, queued_runs):
    return create_app(engine, enqueue_sync=queued_runs.append, demo_shop_file=tmp_path / "demo-shop.json",
                      demo_shop=True, extra_hosts=("testserver",))


@pytest.fixture
def client(app, engine):
    with TestClient(app, raise_server_exceptions=False) as test_client:
        sign_in(test_client, engine, "admin")
        yield test_client


@pytest.fixture
def anon_client(app):
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def sign_in(test_client: TestClient, engine, role: str, email: str | None = None) -> str:
    """Adds a person of this role (once) and gives the client their session; the CSRF token."""
    email = email or f"{role}@shop.test"
    if not any(p["email"] == email for p in people.list_users(engine)):
        people.create_user(engine, email, role, PASSWORD)
    signed = people.sign_in(engine, email, PASSWORD)
    test_client.cookies.set(SESSION_COOKIE, signed.cookie)
    test_client.csrf = signed.person.csrf_token
    return signed.person.csrf_token


def form(test_client: TestClient, **fields: str) -> dict[str, str]:
    """A page form's fields with the session's CSRF token."""
    return {CSRF_FIELD: test_client.csrf, **fields}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def admin(engine) -> dict[str, str]:
    return bearer(create_token(engine, "robot", "admin"))


@pytest.fixture
def clerk(engine) -> dict[str, str]:
    return bearer(create_token(engine, "desk", "clerk"))


@pytest.fixture
def accountant(engine) -> dict[str, str]:
    return bearer(create_token(engine, "books", "accountant"))


@pytest.fixture
def reader(engine) -> dict[str, str]:
    return bearer(create_token(engine, "accountant", "reader"))


def take(engine, *orders, source="import"):
    records = [Incoming(f"item {i}", o.get("external_id"), o) for i, o in enumerate(orders, 1)]
    return take_orders(engine, records, source=source, actor="test")


@pytest.fixture
def books(engine) -> dict[str, str]:
    """A void invoice, a receipt/tax invoice, and a receipt/tax invoice with its credit note."""
    with writing(engine) as conn:
        write_settings(conn, {"company": SELLER})
    take(engine, make_order_dict(external_id="U-1", **UNPAID))
    take(engine, make_order_dict(external_id="U-1", **UNPAID, **CANCELLED))
    take(engine, make_order_dict(external_id="P-1"))
    take(engine, make_order_dict(external_id="R-1"))
    take(engine, make_order_dict(external_id="R-1", payment_status="refunded", **CANCELLED))
    return {"void_invoice": "IV-202611-00001", "receipt": "RT-202611-00001",
            "credited_receipt": "RT-202611-00002", "credit_note": "CN-202611-00001"}
