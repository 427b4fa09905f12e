"""GET /orders, /orders/{source}/{external_id} and /orders/{id}: orders as staff read them.

Both status axes, the display status derived from them and, with `stuck=true`, only the
stuck orders and why (services/order_views.py, as `shopledger orders --json`). Staff
changes to an order are in orders_write.py.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import Engine

from shopledger.adapters.db import order_reads
from shopledger.adapters.db.engine import reading
from shopledger.domain.errors import NotFound
from shopledger.domain.orders.status import DisplayStatus
from shopledger.domain.orders.stuck import SETTING_OF
from shopledger.services import order_views
from shopledger.web.api.paging import Page, page, paged_as
from shopledger.web.api.schemas import OrderDetailView, OrderView, QueryFlag
from shopledger.web.auth import api_needs
from shopledger.web.deps import engine_of
from shopledger.web.errors import problem_responses

router = APIRouter(prefix="/orders", tags=["orders"])


@router.get("", dependencies=[Depends(api_needs("orders.read"))],
            response_model=list[OrderView], summary="List orders, by display status, only the stuck ones, or a search",
            responses=problem_responses(422))
def list_orders(status: str | None = Query(None, description="a display status, e.g. `to_ship` (422 `invalid_status` "
                                                             "for an unknown one)",
                                           json_schema_extra={"enum": ["", *(str(s) for s in DisplayStatus)]}),  # "": any
                # Annotated: a `= Query(...)` default would drop QueryFlag's validator
                stuck: Annotated[QueryFlag, Query(description="only stuck orders, each with `stuck`: why and what to do")]
                = False,
                rule: str | None = Query(None, description="only orders stuck by one rule, e.g. `unpaid` (422 "
                                                           "`invalid_rule` for an unknown one)",
                                         json_schema_extra={"enum": ["", *SETTING_OF]}),  # "": any
                search: str | None = Query(None, description="only orders whose number, customer name, phone or "
                                           "tracking number holds this text (case and spaces aside; a phone by its "
                                           "digits: `081-234-5678` finds 0812345678); combines with the other filters "
                                           "(422 `invalid_search` past 300 characters)"),
                *, request: Request,
                paging: Page = Depends(page), engine: Engine = Depends(engine_of)) -> Response:
    found = order_views.orders_page(engine, status=status, stuck=stuck, rule=rule, search=search,
                                    limit=paging.limit, offset=paging.offset)
    return paged_as(OrderView, found, paging, request)


# `:path`: an external id may hold '/' (INV/2025/001), sent as it is or as %2F
@router.get("/{source}/{external_id:path}", dependencies=[Depends(api_needs("orders.read"))],
            response_model=OrderDetailView, responses=problem_responses(404),
            summary="One order: data, shipment with tracking link, documents, entries, stock movements, events")
def get_order(source: str, external_id: str, engine: Engine = Depends(engine_of)) -> dict:
    return order_views.order_detail(engine, source, external_id)


@router.get("/{order_id}", dependencies=[Depends(api_needs("orders.read"))],
            response_model=OrderDetailView, summary="One order by its id (as GET /orders lists it)",
            responses=problem_responses(404))
def get_order_by_id(order_id: int, engine: Engine = Depends(engine_of)) -> dict:
    with reading(engine) as conn:
        key = order_reads.order_key(conn, order_id)
    if key is None:
        raise NotFound("order", order_id)
    return order_views.order_detail(engine, *key)
