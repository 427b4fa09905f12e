"""No body is read past its bound (domain/limits.py): a page's form, a logo, a JSON order are
small; an order file sent to Import Data may be large. Counted as read, so a chunked body that
declares nothing is stopped as one that declares too much; refused as every error is: a page in
the person's language on a page's path, problem+json on the API."""
from __future__ import annotations

import pytest

from shopledger.domain.limits import MAX_REQUEST_BYTES

from tests.api.conftest import form

pytestmark = pytest.mark.db
OVER = MAX_REQUEST_BYTES + 1024


def test_a_page_form_past_the_bound_is_a_page_in_the_persons_language(client):
    answer = client.post("/settings/stuck", data=form(client, note="x" * OVER))
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert 'lang="th"' in answer.text and "ใหญ่เกิน" in answer.text and "request_too_large" not in answer.text


def test_a_json_order_past_the_bound_is_problem_json(anon_client, admin):
    answer = anon_client.post("/api/v1/orders", content=b'{"x": "' + b"y" * OVER + b'"}',
                              headers=admin | {"Content-Type": "application/json"})
    assert answer.status_code == 413
    assert answer.json()["code"] == "request_too_large"


def test_a_chunked_body_that_declares_nothing_is_stopped_too(anon_client, admin):
    def chunks():
        for _ in range(OVER // 65536 + 2):
            yield b" " * 65536

    answer = anon_client.post("/api/v1/orders", content=chunks(), headers=admin | {"Content-Type": "application/json"})
    assert answer.status_code == 413


def test_signing_in_is_bounded_before_anyone_is_known(anon_client):
    answer = anon_client.post("/signin", data={"email": "a@b.c", "password": "p" * OVER})
    assert answer.status_code == 413


def test_an_order_file_larger_than_a_form_still_reaches_import_data(anon_client, admin):
    lines = b"\n" * OVER  # blank lines: a file of no orders, read to its end
    answer = anon_client.post("/api/v1/imports", files={"file": ("orders.ndjson", lines, "application/x-ndjson")},
                              headers=admin)
    assert answer.status_code != 413, answer.text[:300]
