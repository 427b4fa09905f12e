"""Bearer tokens: none or a bad one is 401, a reader only reads."""
from __future__ import annotations

import json

import pytest

from tests.builders import make_order_dict

pytestmark = pytest.mark.db


def _upload(client, headers, orders=None):
    body = json.dumps(orders or [make_order_dict()]).encode()
    return client.post("/api/v1/imports", headers=headers, files={"file": ("orders.json", body, "application/json")})


def _is_problem(response, status, code):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert (body["status"], body["code"]) == (status, code)
    assert body["type"] == f"https://shopledger.dev/problems/{code}"
    assert body["title"] and body["detail"]
    return body


def test_no_token_is_401_problem(client):
    response = client.get("/api/v1/documents")
    _is_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("header", ["Bearer slp_not-a-real-token", "Basic dXNlcjpwYXNz", "Bearer"])
def test_bad_token_is_401(client, header):
    _is_problem(client.get("/api/v1/documents", headers={"Authorization": header}), 401, "unauthorized")


def test_every_api_route_needs_a_token(client):
    for path in ("/api/v1/documents", "/api/v1/documents/RT-202611-00001", "/api/v1/journal-entries",
                 "/api/v1/reports/trial-balance", "/api/v1/orders", "/api/v1/orders/1"):
        _is_problem(client.get(path), 401, "unauthorized")
    _is_problem(_upload(client, {}), 401, "unauthorized")


def test_reader_may_read_but_not_import(client, reader):
    assert client.get("/api/v1/documents", headers=reader).status_code == 200
    body = _is_problem(_upload(client, reader), 403, "forbidden")
    assert "reader" in body["detail"]
    assert client.get("/api/v1/orders", headers=reader).json() == []


@pytest.mark.parametrize("role", ["admin", "clerk"])
def test_admin_and_clerk_may_import(client, role, request):
    response = _upload(client, request.getfixturevalue(role))
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 1


def test_healthz_needs_no_token(client):
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok"})
