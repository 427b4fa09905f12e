"""GET /alerts (interfaces.md's shape) and POST /alerts/{id}/resolve for the stored ones.

Most alerts are derived from the data (stuck orders, low stock, oversell, unknown SKUs,
failed syncs) and go away when the data changes; COD mismatches and books conflicts are
stored, carry an `id`, and stay open until resolved.
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import Engine

from shopledger.services import alerts
from shopledger.web.api.paging import Page, page, paged_as
from shopledger.web.api.schemas import Alert, ResolvedAlert
from shopledger.web.auth import api_needs
from shopledger.web.deps import engine_of
from shopledger.web.errors import problem_responses

router = APIRouter(prefix="/alerts", tags=["alerts"])


@router.get("", dependencies=[Depends(api_needs("alerts.read"))], response_model=list[Alert],
            summary="Open alerts, most urgent kind first (stuck orders rule by rule), oldest first within")
def list_alerts(request: Request, paging: Page = Depends(page), engine: Engine = Depends(engine_of)) -> Response:
    return paged_as(Alert, alerts.alerts_page(engine, limit=paging.limit, offset=paging.offset), paging, request)


@router.post("/{alert_id}/resolve", dependencies=[Depends(api_needs("alerts.resolve"))],
             response_model=ResolvedAlert, responses=problem_responses(404),
             summary="Close a stored alert (a COD mismatch or books conflict) once dealt with")
def resolve(alert_id: int, engine: Engine = Depends(engine_of)) -> dict:
    return alerts.resolve_alert(engine, alert_id)
