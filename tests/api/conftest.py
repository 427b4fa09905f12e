"""The web door under test: an app on the parametrized `engine` (SQLite and PostgreSQL),
a client that turns server errors into answers, tokens per role, and a small set of books."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from shopledger.adapters.db.engine import writing
from shopledger.adapters.db.settings_repo import write_settings
from shopledger.services.intake import Incoming, take_orders
from shopledger.services.tokens import create_token
from shopledger.web.app import create_app
from tests.builders import make_order_dict

SELLER = {"name": "ร้านน้ำผึ้งป่า จำกัด", "address": "1 ถนนนิมมานเหมินท์ เชียงใหม่ 50200",
          "tax_id": "0105556012341", "branch": "00001"}
CANCELLED = {"cancelled_at": "2026-11-22T09:00:00+07:00", "updated_at": "2026-11-22T09:00:00+07:00"}
UNPAID = {"payment_status": "unpaid", "paid_at": None}


@pytest.fixture
def queued_runs() -> list[int]:
    """Runs the API queued for Import Data; a test carries them out when it wants to."""
    return []


@pytest.fixture
def app(engine, tmp_path, queued_runs):
    return create_app(engine, enqueue_sync=queued_runs.append, demo_shop_file=tmp_path / "demo-shop.json",
                      demo_shop=True, extra_hosts=("testserver",))


@pytest.fixture
def client(app):
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def admin(engine) -> dict[str, str]:
    return bearer(create_token(engine, "robot", "admin"))


@pytest.fixture
def clerk(engine) -> dict[str, str]:
    return bearer(create_token(engine, "desk", "clerk"))


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
