"""The API does what /openapi.json says: schemathesis over every operation, with every check.

Each operation gets up to EXAMPLES generated requests (valid and invalid ones, the schema's
examples and its boundary cases) against the app on a SQLite database that holds orders,
documents, a source, products and an admin token. Every check schemathesis has runs on every
answer: no server error, only described status codes, content types and headers, answers that
match their schema, invalid requests refused, valid ones accepted, Allow on 405, missing auth
refused. The webhook (POST /sources/{name}/orders) is signed by the hook below, so its valid
requests reach the code behind the signature.
"""
from __future__ import annotations

import hashlib
import hmac
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.specs.openapi.checks import (
    allow_header_conformance, negative_data_rejection, positive_data_acceptance, unsupported_method,
)

from shopledger.adapters.db.engine import make_engine, writing
from shopledger.adapters.db.settings_repo import write_settings
from shopledger.services import sources
from shopledger.services.tokens import create_token
from shopledger.web.app import create_app
from tests.api.conftest import CANCELLED, SELLER, UNPAID, take
from tests.builders import make_order_dict

pytestmark = [pytest.mark.db, pytest.mark.slow]

EXAMPLES = 25
load_all_checks()
ALL_CHECKS = CHECKS.get_all()  # every check schemathesis has, not only the default ones
PUSH_SECRET = "schemathesis-secret"


# The schema is read when the module is collected, so each operation is a test of its own
# (spread over the xdist workers); the database behind the app is filled in by `seeded` before
# the first request. (schemathesis.pytest.from_fixture would read it per test, but it sets an
# attribute pytest 9.2 no longer has.)
_HOME = Path(tempfile.mkdtemp(prefix="shopledger-schemathesis-"))
_ENGINE = make_engine(f"sqlite:///{_HOME / 'shop.db'}")
_APP = create_app(_ENGINE, enqueue_sync=lambda run_id: None, demo_shop_file=_HOME / "demo-shop.json",
                  demo_shop=False, extra_hosts=("testserver",))
schema = schemathesis.openapi.from_asgi("/openapi.json", _APP)


@pytest.fixture(scope="module")
def seeded(sqlite_template) -> str:
    """The books behind the app (orders, documents, a source, products); an admin token."""
    _ENGINE.dispose()
    shutil.copy(sqlite_template, _HOME / "shop.db")
    with writing(_ENGINE) as conn:
        write_settings(conn, {"company": SELLER})
    take(_ENGINE, make_order_dict(external_id="U-1", **UNPAID))
    take(_ENGINE, make_order_dict(external_id="U-1", **UNPAID, **CANCELLED))
    take(_ENGINE, make_order_dict(external_id="P-1"))
    take(_ENGINE, make_order_dict(external_id="R-1"))
    take(_ENGINE, make_order_dict(external_id="R-1", payment_status="refunded", **CANCELLED))
    sources.add_source(_ENGINE, "shop", kind="shop-api", base_url="http://127.0.0.1:9/api", token="token",
                       push_secret=PUSH_SECRET)
    _ADMIN["token"] = create_token(_ENGINE, f"schemathesis-{uuid.uuid4().hex}", "admin")  # a name no request guesses
    yield _ADMIN["token"]
    _ENGINE.dispose()
    shutil.rmtree(_HOME, ignore_errors=True)


_ADMIN: dict[str, str] = {}
_NOT_YET = "made-by-the-seeded-fixture"


@schema.auth()
class _AdminToken:
    """The admin's bearer token on every request schemathesis means to authenticate (a case
    generated without it, or with a broken one, keeps what it was generated with)."""

    def get(self, case, context):
        return _ADMIN.get("token", _NOT_YET)  # asked at collection too, before `seeded` made it

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_does_what_the_schema_says(case, seeded):
    if (case.headers or {}).get("Authorization") == f"Bearer {_NOT_YET}":
        case.headers["Authorization"] = f"Bearer {seeded}"
    headers = _signed(case) if case.path == "/api/v1/sources/{name}/orders" else None
    checks = [check for check in ALL_CHECKS
              if not (check is negative_data_rejection and case.path in MULTIPART)
              and not (check in (unsupported_method, allow_header_conformance) and case.path in ACTIONS)]
    refused_anyway = BEYOND_THE_SCHEMA.get(f"{case.method} {case.path}")
    if refused_anyway is None:
        case.call_and_validate(headers=headers, checks=checks)
        return
    checks = [check for check in checks if check is not positive_data_acceptance]
    response = case.call_and_validate(headers=headers, checks=checks)
    _accepted_or_refused_for_a_stated_reason(case, response, refused_anyway)


# An external id may hold a slash and end in an action's name (`X/paid` is an order's id,
# tests/api/test_api_external_ids.py), so GET or PATCH on an action's path reach the order of
# that id, as they should: another method on these paths is not "undeclared" there.
ACTIONS = {f"/api/v1/orders/{{source}}/{{external_id}}/{action}"
           for action in ("verifying", "paid", "cancel", "ship", "deliver", "return")}

# multipart/form-data carries every value as text: a value "of another type" (a number, a null)
# arrives as a valid text or an empty file, so the negative cases schemathesis makes by changing
# a type are not invalid on the wire.
MULTIPART = {"/api/v1/imports", "/api/v1/shipments/file", "/api/v1/cod/remittances"}

# Operations where a request the schema allows may still be refused, for a reason JSON Schema
# cannot state; each such refusal must be a 422 with one of these codes (and detail, if given),
# never FastAPI's own `invalid_request` for a shape the schema allows. Everything else a valid
# request gets is held to schemathesis's positive_data_acceptance as usual.
BEYOND_THE_SCHEMA: dict[str, set[tuple[str, str]]] = {
    # the order's own arithmetic and rules (totals = lines + shipping - discounts, VAT, dates):
    # the interchange format of docs/orders.md, checked by domain/orders/interchange.py
    "POST /api/v1/orders": {("invalid_order", "")},
    # what is inside an uploaded file (its type by name and content, its columns)
    "POST /api/v1/imports": {("unreadable_file", "")},
    "POST /api/v1/shipments/file": {("ship_file_columns_missing", ""), ("unreadable_file", "")},
    "POST /api/v1/cod/remittances": {("statement_columns_missing", ""), ("unreadable_file", "")},
    # one of three optional parameters must be given
    "GET /api/v1/documents/pdf": {("invalid_request", "say which documents")},
    # money is a decimal string, whose upper bounds (domain/limits.py) a string schema cannot hold
    "PUT /api/v1/products/{sku}": {("invalid_amount", "")},
    "POST /api/v1/stock/{sku}/receive": {("invalid_amount", "")},
    "POST /api/v1/stock/{sku}/count": {("invalid_amount", "")},  # the value the count moves
    # each stuck rule's duration and each payment account are checked against the books' rules
    # and the company's address is whole only with its subdistrict, district and province
    "PATCH /api/v1/settings": {("invalid_setting", ""), ("invalid_address", "")},
    # a period whose end is before its start (two parameters compared)
    "GET /api/v1/reports/profit-and-loss": {("invalid_period", "")},
    "GET /api/v1/reports/ledger": {("invalid_period", "")},
    "GET /api/v1/reports/sales": {("invalid_period", "")},
    # the calendar: a month or year is settled or closed only once it is over
    "POST /api/v1/vat/settle": {("month_not_over", "")},
    # and VAT is paid from an account of the chart, which is data, not schema
    "POST /api/v1/vat/pay": {("month_not_over", ""), ("invalid_date", ""), ("unknown_account", "")},
    "POST /api/v1/year/close": {("year_not_over", "")},
}
# an action's optional `at` (docs/recorded-later.md): any text to the schema, a date-time that is not
# in a closed period, not ahead of the clock and (an order's) not before its last change to the books
_AT = {("invalid_at", ""), ("closed_period", ""), ("time_in_future", ""), ("before_last_change", "")}
for _operation in ("POST /api/v1/orders/{source}/{external_id}/ship", "POST /api/v1/orders/{source}/{external_id}/deliver",
                   "POST /api/v1/orders/{source}/{external_id}/return", "POST /api/v1/shipments",
                   "POST /api/v1/shipments/file", "POST /api/v1/cod/remittances", "POST /api/v1/stock/{sku}/receive",
                   "POST /api/v1/stock/{sku}/count"):
    BEYOND_THE_SCHEMA[_operation] = BEYOND_THE_SCHEMA.get(_operation, set()) | _AT


def _accepted_or_refused_for_a_stated_reason(case, response, reasons: set[tuple[str, str]]) -> None:
    if case.meta is None or not case.meta.generation.mode.is_positive or response.status_code != 422:
        return
    try:
        body = response.json()
    except ValueError:
        body = {}
    code, detail = body.get("code", ""), body.get("detail", "")
    assert any(code == want and detail.startswith(start) for want, start in reasons), (
        f"{case.method} {case.path}: a schema-valid request refused with {response.status_code} {code}: {detail}")


def _signed(case) -> dict[str, str]:
    """The shop's signature over `{timestamp}.{delivery}.{body}` (docs/webhooks.md)."""
    body = case.as_transport_kwargs().get("content", b"") or b""
    if isinstance(body, str):
        body = body.encode()
    timestamp, delivery = str(int(time.time())), uuid.uuid4().hex
    digest = hmac.new(PUSH_SECRET.encode(), f"{timestamp}.{delivery}.".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Shop-Timestamp": timestamp, "X-Shop-Delivery": delivery, "X-Shop-Signature": f"sha256={digest}"}
