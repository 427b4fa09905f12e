"""Cash on delivery over REST: a courier's payout statement booked, what couriers still owe.

POST /cod/remittances answers 200 with the report whenever the statement could be read,
rows that did not match listed in `mismatches` with their reasons (and kept as
`cod_mismatch` alerts), as `shopledger cod remittance --json`. Running the same statement
again books nothing.
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, UploadFile
from sqlalchemy import Engine

from shopledger.domain.errors import DomainError
from shopledger.services import cod
from shopledger.web.api.dated import AT_HELP, AtText, at_of
from shopledger.web.api.schemas import CodReceivable, CodRemittance
from shopledger.web.api.shipping import saved_upload
from shopledger.web.auth import Caller, api_needs
from shopledger.web.deps import engine_of
from shopledger.web.errors import problem_responses

router = APIRouter(prefix="/cod", tags=["cash on delivery"])


@router.post("/remittances", response_model=CodRemittance, responses=problem_responses(422),
             summary="Book a courier's COD payout statement (CSV or XLSX), matched by tracking number")
def remit(file: UploadFile = File(..., description="the courier's statement: tracking, COD amount, fee, date"),
          carrier: str = Form(..., min_length=1, max_length=100, examples=["Kerry Express"], description="the courier that paid"),
          at: AtText | None = Form(None, description=AT_HELP + "; the statement's own dates come first"),
          caller: Caller = Depends(api_needs("cod.change")), engine: Engine = Depends(engine_of)) -> dict:
    if not carrier.strip():
        raise DomainError("invalid_carrier", "name the courier whose statement this is")
    paid_at = at_of(at)
    with saved_upload(file) as path:
        return cod.remit_statement(engine, path, carrier, caller.actor(engine), at=paid_at)


@router.get("/receivable", dependencies=[Depends(api_needs("cod.read"))], response_model=CodReceivable,
            summary="COD collected and not yet remitted, per courier and age, beside the 113201 balance")
def receivable(engine: Engine = Depends(engine_of)) -> dict:
    return cod.cod_receivable(engine)
