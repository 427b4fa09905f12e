"""GET /tokens and DELETE /tokens/{name}: the API tokens, for admins only (`tokens.manage`)."""
from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Response
from pydantic import Field
from sqlalchemy import Engine

from shopledger.services import tokens
from shopledger.web.api.schemas import Shape
from shopledger.web.auth import api_needs
from shopledger.web.deps import engine_of
from shopledger.web.errors import problem_responses

router = APIRouter(prefix="/tokens", tags=["tokens"], dependencies=[Depends(api_needs("tokens.manage"))],
                   responses=problem_responses(403))


class Token(Shape):
    name: str = Field(examples=["robot"])
    role: str = Field(examples=["admin"])
    created_at: datetime
    last_used_at: datetime | None = Field(None, description="to the minute; null if never used")


@router.get("", response_model=list[Token], summary="Live API tokens (never their secret)")
def list_tokens(engine: Engine = Depends(engine_of)) -> list[dict]:
    return tokens.list_tokens(engine)


@router.delete("/{name:path}", status_code=204, responses=problem_responses(404),
               summary="Revoke the token of this name: it is refused from the next request on")
def revoke_token(name: str, engine: Engine = Depends(engine_of)) -> Response:
    tokens.revoke_token(engine, name)
    return Response(status_code=204)
