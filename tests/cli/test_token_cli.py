"""`shopledger token list` / `token revoke`: never the secret; an unknown name is exit 2."""
from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.db


def test_tokens_listed_without_their_secret_and_revoked_by_name(cli):
    secret = cli("token", "create", "--name", "robot").stdout.strip()
    cli("token", "create", "--name", "eyes", "--role", "reader")
    listed = json.loads(cli("token", "list", "--json").stdout)
    assert [(t["name"], t["role"], t["last_used_at"]) for t in listed] == [("eyes", "reader", None),
                                                                          ("robot", "admin", None)]
    assert all(t["created_at"] for t in listed)
    table = cli("token", "list").stdout
    assert "robot" in table and "never" in table and secret not in table and secret not in json.dumps(listed)
    assert "revoked" in cli("token", "revoke", "robot").stdout
    assert [t["name"] for t in json.loads(cli("token", "list", "--json").stdout)] == ["eyes"]


def test_revoking_an_unknown_name_is_one_line_and_exit_2(cli):
    output = cli("token", "revoke", "nobody", code=2).output
    assert output.strip() == "error (not_found): token nobody not found"
    cli("token", "create", "--name", "gone")
    cli("token", "revoke", "gone")
    cli("token", "revoke", "gone", code=2)


def test_a_live_name_is_not_given_twice_but_a_revoked_one_may_be_reused(cli):
    cli("token", "create", "--name", "robot")
    assert "token_exists" in cli("token", "create", "--name", "robot", code=2).output
    cli("token", "revoke", "robot")
    cli("token", "create", "--name", "robot")
