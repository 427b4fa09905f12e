"""GET /orders and /orders/{id}: orders as last taken, with their books and history."""
from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy import Connection

from shopledger.adapters.db import order_reads
from shopledger.domain.errors import NotFound
from shopledger.web.api.paging import Page, page
from shopledger.web.api.schemas import OrderDetail, OrderSummary
from shopledger.web.deps import read_conn
from shopledger.web.errors import problem_responses

router = APIRouter(prefix="/orders", tags=["orders"])


@router.get("", response_model=list[OrderSummary], summary="List orders")
def list_orders(paging: Page = Depends(page), conn: Connection = Depends(read_conn)) -> list[dict]:
    return order_reads.orders(conn, limit=paging.limit, offset=paging.offset)


@router.get("/{order_id}", response_model=OrderDetail, summary="One order with its documents, entries and events",
            responses=problem_responses(404))
def get_order(order_id: int, conn: Connection = Depends(read_conn)) -> dict:
    found = order_reads.order(conn, order_id)
    if found is None:
        raise NotFound("order", order_id)
    return found
