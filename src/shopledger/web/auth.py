"""Bearer tokens for the REST API: who is calling, and may they do this?

Every route under /api/v1 depends on `authorize`: no token or an unknown one is 401
`unauthorized`; a `reader` may only read (GET, HEAD, OPTIONS), anything else is 403
`forbidden`. `admin` and `clerk` may do everything the API offers so far; routes that
need more say so with `require_role("admin")` (managing tokens does).
"""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from shopledger.services import tokens
from shopledger.web.deps import engine_of
from shopledger.web.errors import WebProblem

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

bearer = HTTPBearer(auto_error=False, scheme_name="bearerAuth",
                    description="An API token from `shopledger token create --name NAME [--role ROLE]`.")


@dataclass(frozen=True, slots=True)
class Caller:
    role: str
    token: str
    name: str = ""

    def actor(self, engine: Engine | None = None) -> str:
        """How the books name this caller: `api <token name>`."""
        return f"api {self.name or self.role}"


def authorize(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
              engine: Engine = Depends(engine_of)) -> Caller:
    if credentials is None or not credentials.credentials:
        raise _unauthorized("an API token is required: send `Authorization: Bearer TOKEN`")
    holder = tokens.authenticate(engine, credentials.credentials)
    if holder is None:
        raise _unauthorized("the API token is not valid")
    if holder.role == "reader" and request.method not in READ_METHODS:
        raise WebProblem(403, "forbidden", f"a reader token may only read; {request.method} needs clerk or admin")
    return Caller(holder.role, credentials.credentials, holder.name)


def require_role(*roles: str):
    """A dependency for routes only some roles may use, e.g. `Depends(require_role("admin"))`."""

    def check(caller: Caller = Depends(authorize)) -> Caller:
        if caller.role not in roles:
            raise WebProblem(403, "forbidden", f"this needs a token with role {' or '.join(roles)}")
        return caller

    return check


def _unauthorized(message: str) -> WebProblem:
    return WebProblem(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})
