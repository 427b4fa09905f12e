"""The push webhook reads nothing it should not: a bounded body, the signature before the JSON,
one answer for an unknown source and a bad signature, no replays; on SQLite and PostgreSQL."""
from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.engine import reading
from shopledger.demo_shop.store import ShopStore
from shopledger.domain.clock import utc_now
from shopledger.domain.sync.webhook import SignedHeaders, signed_headers
from shopledger.services import sources
from shopledger.services.push import take_pushed_order
from shopledger.web.api.push import MAX_BODY_BYTES

pytestmark = pytest.mark.db
URL = "/api/v1/sources/web/orders"


@pytest.fixture
def secret(engine) -> str:
    return sources.add_source(engine, "web", kind="shop-api", base_url="http://shop.test", token="tok")["push_secret"]


def _order(external_id: str = "BW-1", total: str | None = None) -> bytes:
    store = ShopStore()
    store.seed_demo(n=1)
    order = store.changed_since(None)[0] | {"order_no": external_id}
    return json.dumps(order | ({"grand_total": total} if total else {})).encode()


def _counts(engine) -> tuple[int, int]:
    with reading(engine) as conn:
        return (conn.execute(select(func.count()).select_from(t.orders)).scalar(),
                conn.execute(select(func.count()).select_from(t.sync_runs)).scalar())


def test_a_valid_push_is_taken(engine, client, secret):
    body = _order()
    answer = client.post(URL, content=body, headers=signed_headers(secret, "d-1", body, utc_now()))
    assert answer.status_code == 200, answer.text
    assert (answer.json()["status"], answer.json()["created"]) == ("received", 1)
    assert _counts(engine) == (1, 1)


def test_an_unknown_source_and_a_bad_signature_get_the_same_answer(engine, client, secret):
    body = _order()
    unknown = client.post("/api/v1/sources/nope/orders", content=body,
                          headers=signed_headers(secret, "d-1", body, utc_now()))
    wrong = client.post(URL, content=body, headers=signed_headers("not-the-secret", "d-1", body, utc_now()))
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.content == wrong.content and unknown.json()["code"] == "bad_signature"
    assert unknown.headers["content-type"] == wrong.headers["content-type"]
    assert _counts(engine) == (0, 0)


def test_the_signature_is_checked_before_the_body_is_parsed(client, secret):
    answer = client.post(URL, content=b"{not json", headers=signed_headers("wrong", "d-1", b"{not json", utc_now()))
    assert answer.json()["code"] == "bad_signature"
    signed = client.post(URL, content=b"{not json", headers=signed_headers(secret, "d-2", b"{not json", utc_now()))
    assert signed.json()["code"] == "invalid_body"


def test_a_signature_covers_the_time_and_the_delivery_id(client, secret):
    body = _order()
    sent = signed_headers(secret, "d-1", body, utc_now())
    for changed in ({"X-Shop-Delivery": "d-2"}, {"X-Shop-Timestamp": str(int(sent["X-Shop-Timestamp"]) - 1)}):
        assert client.post(URL, content=body, headers=sent | changed).json()["code"] == "bad_signature"


def test_a_stale_timestamp_is_refused(engine, client, secret):
    body = _order()
    for moment in (utc_now() - timedelta(minutes=6), utc_now() + timedelta(minutes=6)):
        answer = client.post(URL, content=body, headers=signed_headers(secret, "d-1", body, moment))
        assert answer.status_code == 401 and answer.json()["code"] == "stale_timestamp"
    assert _counts(engine) == (0, 0)


def test_a_replayed_delivery_is_answered_once_and_changes_nothing(engine, client, secret):
    body = _order()
    first = client.post(URL, content=body, headers=signed_headers(secret, "d-1", body, utc_now()))
    replay = client.post(URL, content=body, headers=signed_headers(secret, "d-1", body, utc_now()))
    assert replay.status_code == 200
    assert replay.json() | {"failed": []} == {"created": 0, "updated": 0, "unchanged": 0, "failed": [],
                                              "run_id": first.json()["run_id"], "status": "already_received"}
    other = _order(total="1.00")  # even a different body under a delivery id already taken
    again = client.post(URL, content=other, headers=signed_headers(secret, "d-1", other, utc_now()))
    assert again.json()["status"] == "already_received"
    assert _counts(engine) == (1, 1)


def test_a_delivery_is_remembered_for_a_day_then_forgotten(engine, secret):
    body, start = _order(), utc_now()

    def push(at):
        sent = signed_headers(secret, "d-1", body, at)
        headers = SignedHeaders(sent["X-Shop-Timestamp"], sent["X-Shop-Delivery"], sent["X-Shop-Signature"])
        return take_pushed_order(engine, "web", body, headers, now=lambda: at)

    assert not push(start).already_received
    assert push(start + timedelta(hours=23)).already_received
    later = push(start + timedelta(hours=25))
    assert not later.already_received and later.report.unchanged == 1
    with reading(engine) as conn:
        assert conn.execute(select(func.count()).select_from(t.push_deliveries)).scalar() == 1


def _raw_post(app, headers: dict[str, str], chunks_available: int) -> tuple[int, int]:
    """POSTs a body of 64 KiB chunks straight to the ASGI app: (status, chunks the app asked for)."""
    asked = 0

    async def receive():
        nonlocal asked
        asked += 1
        return {"type": "http.request", "body": b"x" * 65536, "more_body": asked < chunks_available}

    sent = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": URL, "raw_path": URL.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"localhost"), *((k.lower().encode(), v.encode()) for k, v in headers.items())],
             "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}
    asyncio.run(app(scope, receive, send))
    return next(m["status"] for m in sent if m["type"] == "http.response.start"), asked


def test_a_body_over_the_limit_is_refused_while_it_is_read(app, secret):
    headers = signed_headers(secret, "d-1", b"", utc_now())  # well-formed; the body never gets that far
    status, asked = _raw_post(app, headers, chunks_available=10_000)  # 655 MB offered
    assert status == 413
    assert asked <= MAX_BODY_BYTES // 65536 + 1


def test_a_declared_length_over_the_limit_is_refused_before_reading(app, secret):
    headers = signed_headers(secret, "d-1", b"", utc_now()) | {"content-length": str(MAX_BODY_BYTES + 1)}
    assert _raw_post(app, headers, chunks_available=10_000) == (413, 0)


def test_a_push_without_signing_headers_is_refused_before_reading(app):
    assert _raw_post(app, {}, chunks_available=10_000) == (401, 0)
