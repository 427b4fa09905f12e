"""What staff do to an order over REST: key one in, edit it while unpaid, move it along.

Each answers with the order as GET /orders/{source}/{external_id} shows it afterwards. The
changes go through services/order_changes.py (the road of an import), and their order
events name the caller's token (`api <token name>`). An order that cannot be taken is 422
`invalid_order` with the reason; a change its state does not allow is 409 (`order_locked`,
`already_cancelled`, `not_shipped`, ...).

An external id may hold '/' (INV/2025/001): routes take it as `{external_id:path}` with the
action matched after it, so /orders/import/INV/2025/001/ship (or INV%2F2025%2F001/ship)
ships INV/2025/001, and an id without '/' is reached as before.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Body, Depends, Response
from pydantic import Field
from sqlalchemy import Engine

from shopledger.services import bulk_ship, order_changes as oc, order_views
from shopledger.web.api.dated import AtText, DatedIn, at_of
from shopledger.web.api.schemas import Input, OrderDetailView
from shopledger.web.auth import Caller, api_needs
from shopledger.web.deps import engine_of
from shopledger.web.errors import problem_responses

router = APIRouter(prefix="/orders", tags=["orders"])
CHANGED = {"response_model": OrderDetailView, "responses": problem_responses(404, 409, 422)}
ORDER_EXAMPLE = {"channel": "line", "payment_status": "unpaid", "fulfillment_status": "unfulfilled",
                 "payment_method": "bank_transfer", "currency": "THB",
                 "customer": {"name": "คุณสมหญิง", "phone": "0812345678", "address": "เชียงใหม่ 50200"},
                 "lines": [{"sku": "HONEY-1L", "name": "น้ำผึ้งป่า 1 ลิตร", "quantity": 2, "unit_price": "350.00"}],
                 "shipping_fee": "50.00", "total": "750.00"}


class PaidIn(Input):
    payment_method: str | None = Field(None, examples=["bank_transfer"], description="how it was paid, if not as ordered")


class ShipIn(Input):
    carrier: str = Field(min_length=1, examples=["Kerry Express"])
    tracking_number: str = Field(min_length=1, examples=["KEX123456789TH"])
    at: AtText | None = None


@router.post("", status_code=201, summary="Key in an order (interchange format, source `manual`)",
             response_model=OrderDetailView, responses=problem_responses(409, 422))
def create_order(response: Response, data: dict[str, Any] = Body(..., examples=[ORDER_EXAMPLE], description=(
                     "one order as in orders.md; `external_id` (else MO-yyyymm-nnnnn), `placed_at` (else now) may "
                     "be left out; amounts are decimal strings")),
                 caller: Caller = Depends(api_needs("orders.change")), engine: Engine = Depends(engine_of)) -> dict:
    order = oc.create_manual_order(engine, data, caller.actor(engine))
    response.headers["Location"] = f"/api/v1/orders/{quote(order.source, safe='')}/{quote(order.external_id, safe='')}"
    return order_views.order_detail(engine, order.source, order.external_id)


@router.patch("/{source}/{external_id:path}", summary="Edit an unpaid order (lines, customer, ...); 409 once paid", **CHANGED)
def edit_order(source: str, external_id: str, patch: dict[str, Any] = Body(..., examples=[{"note": "gift wrap"}],
                                                                           description="interchange fields to replace"),
               caller: Caller = Depends(api_needs("orders.change")), engine: Engine = Depends(engine_of)) -> dict:
    return _change(engine, caller, source, external_id, oc.edit(patch))


@router.post("/{source}/{external_id:path}/verifying", summary="The buyer says they paid: check the payment", **CHANGED)
def mark_verifying(source: str, external_id: str, caller: Caller = Depends(api_needs("orders.change")),
                   engine: Engine = Depends(engine_of)) -> dict:
    return _change(engine, caller, source, external_id, oc.mark_verifying())


@router.post("/{source}/{external_id:path}/paid", summary="The payment is in: the receipt/tax invoice is issued", **CHANGED)
def mark_paid(source: str, external_id: str, body: PaidIn | None = None,
              caller: Caller = Depends(api_needs("orders.change")),
              engine: Engine = Depends(engine_of)) -> dict:
    return _change(engine, caller, source, external_id, oc.mark_paid(body.payment_method if body else None))


@router.post("/{source}/{external_id:path}/cancel", summary="Cancel (its invoice is voided, or a credit note issued)",
             **CHANGED)
def cancel(source: str, external_id: str, caller: Caller = Depends(api_needs("orders.change")),
           engine: Engine = Depends(engine_of)) -> dict:
    return _change(engine, caller, source, external_id, oc.cancel())


@router.post("/{source}/{external_id:path}/ship", summary="Shipped with this carrier and tracking number (again: no change)",
             **CHANGED)
def ship(source: str, external_id: str, body: ShipIn, caller: Caller = Depends(api_needs("orders.change")),
         engine: Engine = Depends(engine_of)) -> dict:
    bulk_ship.ship_one(engine, source, external_id, body.carrier, body.tracking_number, caller.actor(engine),
                       at=at_of(body.at))
    return order_views.order_detail(engine, source, external_id)


@router.post("/{source}/{external_id:path}/deliver", summary="Delivered (a COD parcel: the courier collected the money)",
             **CHANGED)
def deliver(source: str, external_id: str, body: DatedIn | None = None,
            caller: Caller = Depends(api_needs("orders.change")), engine: Engine = Depends(engine_of)) -> dict:
    return _change(engine, caller, source, external_id, oc.deliver(), at_of(body and body.at))


@router.post("/{source}/{external_id:path}/return", summary="The parcel came back: goods back in stock", **CHANGED)
def give_back(source: str, external_id: str, body: DatedIn | None = None,
              caller: Caller = Depends(api_needs("orders.change")), engine: Engine = Depends(engine_of)) -> dict:
    return _change(engine, caller, source, external_id, oc.give_back(), at_of(body and body.at))


def _change(engine: Engine, caller: Caller, source: str, external_id: str, change: oc.Change,
            at: datetime | None = None) -> dict:
    oc.change_order(engine, source, external_id, change, caller.actor(engine), at=at)
    return order_views.order_detail(engine, source, external_id)
