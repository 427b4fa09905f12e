"""`shopledger user ...` (interfaces.md, version 2): exit 0, 2 when the e-mail exists or the role is unknown."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from shopledger import bootstrap
from shopledger.cli.main import app
from shopledger.services import people

pytestmark = pytest.mark.db


def _with_input(args: list[str], text: str, code: int = 0):
    result = CliRunner().invoke(app, args, input=text)
    assert result.exit_code == code, (args, result.output, result.exception)
    return result


def test_create_list_disable_enable(cli):
    made = _with_input(["user", "create", "Owner@Shop.TH", "--role", "admin", "--password-stdin"], "a long password\n")
    assert "owner@shop.th added (admin)" in made.output
    _with_input(["user", "create", "desk@shop.th", "--role", "clerk"], "another password\nanother password\n")
    listed = json.loads(cli("user", "list", "--json").stdout)
    assert [(p["email"], p["role"], p["disabled"]) for p in listed] == [("desk@shop.th", "clerk", False),
                                                                      ("owner@shop.th", "admin", False)]
    assert "password" not in json.dumps(listed).replace("password_", "")
    assert "desk@shop.th" in cli("user", "disable", "desk@shop.th").stdout
    table = cli("user", "list").stdout
    assert "disabled" in table and "never" in table
    assert json.loads(cli("user", "list", "--json").stdout)[0]["disabled"] is True
    cli("user", "enable", "desk@shop.th")
    engine = bootstrap.default_engine()
    assert people.sign_in(engine, "desk@shop.th", "another password").person.role == "clerk"


def test_exit_2_for_an_e_mail_taken_or_an_unknown_role(cli):
    _with_input(["user", "create", "a@shop.th", "--role", "admin", "--password-stdin"], "a long password\n")
    taken = _with_input(["user", "create", "A@SHOP.TH", "--role", "clerk", "--password-stdin"], "x long password\n", 2)
    assert "email_exists" in taken.output
    unknown = _with_input(["user", "create", "b@shop.th", "--role", "owner", "--password-stdin"], "a long password\n", 2)
    assert "unknown_role" in unknown.output and "admin, accountant, clerk, reader" in unknown.output
    assert "weak_password" in _with_input(["user", "create", "b@shop.th", "--role", "clerk", "--password-stdin"],
                                          "short\n", 2).output
    assert "not_found" in cli("user", "disable", "nobody@shop.th", code=2).output
    assert "last_admin" in cli("user", "disable", "a@shop.th", code=2).output


def test_password_and_role(cli):
    _with_input(["user", "create", "a@shop.th", "--role", "admin", "--password-stdin"], "a long password\n")
    _with_input(["user", "create", "b@shop.th", "--role", "reader", "--password-stdin"], "a long password\n")
    _with_input(["user", "password", "b@shop.th", "--password-stdin"], "the new password\n")
    assert "b@shop.th is now accountant" in cli("user", "role", "b@shop.th", "accountant").stdout
    person = people.sign_in(bootstrap.default_engine(), "b@shop.th", "the new password").person
    assert person.role == "accountant"
    cli("user", "role", "b@shop.th", "owner", code=2)


def test_a_token_may_be_an_accountant(cli):
    cli("token", "create", "--name", "books", "--role", "accountant")
    assert json.loads(cli("token", "list", "--json").stdout)[0]["role"] == "accountant"
    assert "unknown_role" in cli("token", "create", "--name", "x", "--role", "owner", code=2).output


def test_the_demo_prints_how_to_sign_in(cli):
    shown = cli("demo").stdout
    assert "admin@demo.shop / demo-admin" in shown and "clerk@demo.shop / demo-clerk" in shown and "/signin" in shown
    again = cli("demo", "--if-empty").stdout
    assert "nothing loaded" in again and "admin@demo.shop / demo-admin" in again
