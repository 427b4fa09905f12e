"""`shopledger user ...`: people who sign in to the pages (docs/people.md).

`user create EMAIL --role ROLE [--password-stdin]` (exit 2 if the e-mail exists or the role is
unknown), `user list [--json]`, `user disable EMAIL`, `user enable EMAIL`, `user password EMAIL
[--password-stdin]`, `user role EMAIL ROLE`. A password is asked for twice, hidden, unless
`--password-stdin` reads it from the first line of standard input.
"""
from __future__ import annotations

import sys

import typer

from shopledger.bootstrap import default_engine
from shopledger.cli.output import domain_errors, emit_json, table
from shopledger.domain.people.roles import ROLES
from shopledger.services import people

user_app = typer.Typer(no_args_is_help=True, help="People who sign in to the pages, and their roles.")

PASSWORD_STDIN = typer.Option(False, "--password-stdin", help="read the password from the first line of standard input")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@user_app.command("create")
@domain_errors
def create(email: str, role: str = typer.Option(..., "--role", help=" | ".join(ROLES)),
           password_stdin: bool = PASSWORD_STDIN) -> None:
    """Add a person who signs in with this e-mail. Exit 2 if the e-mail exists or the role is unknown."""
    engine = default_engine()
    people.check_new(engine, email, role)  # before asking for a password that could not be used
    person = people.create_user(engine, email, role, _password(password_stdin))
    typer.echo(f"{person['email']} added ({person['role']})")


@user_app.command("list")
def list_people(as_json: bool = typer.Option(False, "--json")) -> None:
    """People: e-mail, role, whether disabled, when added and last signed in."""
    rows = people.list_users(default_engine())
    if as_json:
        emit_json(rows)
        return
    table([r | {"disabled": "disabled" if r["disabled"] else "", "last_sign_in_at": r["last_sign_in_at"] or "never"}
           for r in rows], ["email", "role", "disabled", "created_at", "last_sign_in_at"])


@user_app.command("disable")
@domain_errors
def disable(email: str) -> None:
    """They can no longer sign in; their sessions end at once. Exit 2 if no one has the e-mail."""
    person = people.disable(default_engine(), email)
    typer.echo(f"{person['email']} disabled")


@user_app.command("enable")
@domain_errors
def enable(email: str) -> None:
    """They may sign in again."""
    person = people.enable(default_engine(), email)
    typer.echo(f"{person['email']} enabled")


@user_app.command("password")
@domain_errors
def password(email: str, password_stdin: bool = PASSWORD_STDIN) -> None:
    """A new password; every session of theirs ends."""
    engine = default_engine()
    people.find_user(engine, email)
    person = people.set_password(engine, email, _password(password_stdin))
    typer.echo(f"{person['email']}: password changed")


@user_app.command("role")
@domain_errors
def role(email: str, new_role: str = typer.Argument(..., metavar="ROLE", help=" | ".join(ROLES))) -> None:
    """Change what they may do (from their next click)."""
    person = people.set_role(default_engine(), email, new_role)
    typer.echo(f"{person['email']} is now {person['role']}")
