"""Tokens over REST: admins list and revoke them; a revoked token is refused at once; use is noted."""
from __future__ import annotations

from datetime import timedelta

import pytest

from shopledger.domain.clock import utc_now
from shopledger.services import tokens
from shopledger.services.tokens import create_token
from tests.api.conftest import bearer

pytestmark = pytest.mark.db


def test_an_admin_lists_tokens_without_their_secret(client, admin, clerk):
    listed = client.get("/api/v1/tokens", headers=admin)
    assert listed.status_code == 200, listed.text
    assert [(t["name"], t["role"]) for t in listed.json()] == [("desk", "clerk"), ("robot", "admin")]
    assert set(listed.json()[0]) == {"name", "role", "created_at", "last_used_at"}
    assert admin["Authorization"].split()[1] not in listed.text


@pytest.mark.parametrize("role", ["clerk", "reader"])
def test_only_an_admin_may_see_or_revoke_tokens(client, admin, role, request):
    headers = request.getfixturevalue(role)
    assert client.get("/api/v1/tokens", headers=headers).status_code == 403
    assert client.delete("/api/v1/tokens/robot", headers=headers).status_code == 403
    assert client.get("/api/v1/documents", headers=admin).status_code == 200


def test_a_revoked_token_is_refused_on_the_very_next_request(client, admin, clerk):
    assert client.get("/api/v1/documents", headers=clerk).status_code == 200
    assert client.delete("/api/v1/tokens/desk", headers=admin).status_code == 204
    refused = client.get("/api/v1/documents", headers=clerk)
    assert refused.status_code == 401 and refused.json()["code"] == "unauthorized"
    assert client.delete("/api/v1/tokens/desk", headers=admin).json()["code"] == "not_found"


def test_revoked_outside_the_server_is_refused_too(engine, client, clerk):
    assert client.get("/api/v1/documents", headers=clerk).status_code == 200
    tokens.revoke_token(engine, "desk")  # as `shopledger token revoke` does, from another process
    assert client.get("/api/v1/documents", headers=clerk).status_code == 401


def test_last_use_is_noted_at_most_once_a_minute(engine):
    token = create_token(engine, "robot", "admin")
    start = utc_now()

    def used(at):
        assert tokens.authenticate(engine, token, now=lambda: at).name == "robot"
        return tokens.list_tokens(engine)[0]["last_used_at"]

    assert tokens.list_tokens(engine)[0]["last_used_at"] is None
    assert used(start) == start.isoformat()
    assert used(start + timedelta(seconds=59)) == start.isoformat()
    assert used(start + timedelta(seconds=61)) == (start + timedelta(seconds=61)).isoformat()


def test_a_request_notes_the_tokens_use(client, admin):
    client.get("/api/v1/documents", headers=admin)
    robot = next(t for t in client.get("/api/v1/tokens", headers=admin).json() if t["name"] == "robot")
    assert robot["last_used_at"] is not None


def test_a_token_that_never_existed_is_401(engine, client):
    create_token(engine, "robot", "admin")
    assert client.get("/api/v1/documents", headers=bearer("slp_guess")).status_code == 401
