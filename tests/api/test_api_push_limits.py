"""Issue 7 (point 11) at the push webhook: a signed body nested too deeply is refused with a
reason, not a 500. Run under a memory cap like every hostile input."""
from __future__ import annotations

import resource
from contextlib import contextmanager

import pytest

from shopledger.domain.clock import utc_now
from shopledger.domain.sync.webhook import signed_headers
from shopledger.services import sources

pytestmark = pytest.mark.db
URL = "/api/v1/sources/web/orders"


@contextmanager
def address_space_cap(extra: int = 1 << 30):
    """This process may take `extra` more bytes of address space until the block ends."""
    with open("/proc/self/status") as status:
        size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (size + extra, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.fixture
def secret(engine) -> str:
    return sources.add_source(engine, "web", kind="shop-api", base_url="http://shop.test", token="tok")["push_secret"]


@pytest.mark.parametrize("body", [b"[" * 5000 + b"]" * 5000, b'{"order_no": "A", "x": ' + b"[" * 3000 + b"]" * 3000 + b"}"])
def test_a_signed_body_nested_too_deeply_is_refused_with_a_reason(client, secret, body):
    with address_space_cap():
        answer = client.post(URL, content=body, headers=signed_headers(secret, "d-1", body, utc_now()))
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "invalid_body"
    assert answer.json()["detail"] == "the pushed body cannot be read: nested too deeply (more than 20 levels of brackets)"
