"""The home page `/`: the day at a glance (services/dashboard.py), each part shown to the roles
that may see it (sales: `sales.today`; stuck orders and stock: `alerts.read`; COD: `cod.read`;
Import Data: `sources.read`). The document list that was here lives at /documents; an old
`/?offset=N` link goes there."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import Engine

from shopledger.domain.people.roles import may
from shopledger.services import cod, dashboard
from shopledger.web.auth import guard_page, page_needs
from shopledger.web.deps import engine_of
from shopledger.web.ui.pages import templates

STUCK_SHOWN = 5

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse, dependencies=[Depends(guard_page)])


@router.get("/")
def home(request: Request, engine: Engine = Depends(engine_of), person=Depends(page_needs("orders.read"))):
    if "offset" in request.query_params:  # an old link to the document list
        return RedirectResponse(f"/documents?offset={request.query_params['offset']}", status_code=307)
    board = dashboard.dashboard(engine, alerts_too=may(person.role, "alerts.read"))
    board["cod"] = cod.cod_receivable(engine) if may(person.role, "cod.read") else None
    board["stuck_shown"] = board["stuck"][:STUCK_SHOWN]
    return templates.TemplateResponse(request, "dashboard.html", {"nav": "home", "b": board})
