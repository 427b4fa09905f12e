"""GET /reports/...: statements computed from the journal."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Engine

from shopledger.adapters.db import reads
from shopledger.adapters.db.engine import reading
from shopledger.web.api.schemas import Day, TrialBalance
from shopledger.web.auth import api_needs
from shopledger.web.deps import engine_of

router = APIRouter(prefix="/reports", tags=["reports"])


@router.get("/trial-balance", dependencies=[Depends(api_needs("reports.read"))],
            response_model=TrialBalance, summary="Trial balance")
def trial_balance(engine: Engine = Depends(engine_of),
                  as_of: Annotated[Day | None, Query(description="YYYY-MM-DD; entries dated up to this day")] = None) -> dict:
    with reading(engine) as conn:  # here, not a generator dependency: that crosses to a worker thread twice more
        return reads.trial_balance(conn, as_of)
