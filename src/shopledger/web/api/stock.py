"""Products and stock over REST: levels, a product set up or changed, goods in, a count, movements.

Amounts go in and out as decimal strings; a JSON number for an amount is 422
`invalid_request` (money is never a float). A receipt or count answers with the movements
planned at moving-average cost, the journal entry it booked and the new level.

A SKU is whatever an order named, '/' included (HONEY/1L): routes take it as `{sku:path}`,
with any action matched after it.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BeforeValidator, Field
from sqlalchemy import Engine

from shopledger.domain.limits import MAX_QUANTITY, MAX_REF, MAX_STOCK
from shopledger.services import listing, products
from shopledger.web.api.dated import AtText, at_of
from shopledger.web.api.paging import Page, page, paged
from shopledger.web.api.schemas import Count, Input, whole_number, MoneyIn, Product, StockChange, StockLevel, StockMovement
from shopledger.web.auth import Caller, api_needs
from shopledger.web.deps import engine_of
from shopledger.web.errors import problem_responses

router = APIRouter(tags=["stock"])
LEVEL_KEYS = tuple(StockLevel.model_fields)  # interfaces.md's stock shape, as `stock --json`


class ProductIn(Input):
    name: str = Field(min_length=1, examples=["น้ำผึ้งป่า 1 ลิตร"])
    price: MoneyIn
    cost: MoneyIn | None = Field(None, description="left out: keeps the stored cost")
    # the bounds before the validator, so that /openapi.json shows them inside anyOf
    low_stock_at: Annotated[int, Field(ge=0, le=MAX_STOCK), BeforeValidator(whole_number)] | None = Field(
        None, description="left out: keeps the stored level")


class ReceiveIn(Input):
    quantity: Count = Field(gt=0, le=MAX_QUANTITY, examples=[24])
    unit_cost: MoneyIn
    ref: str = Field("", max_length=MAX_REF, description="the supplier's invoice number")
    at: AtText | None = None


class CountIn(Input):
    quantity: Count = Field(ge=0, le=MAX_STOCK, examples=[10], description="what was counted on the shelf")
    ref: str = Field("", max_length=MAX_REF)
    at: AtText | None = None


@router.get("/products", dependencies=[Depends(api_needs("stock.read"))],
            response_model=list[Product], summary="Products with their price, cost and stock, by SKU")
def list_products(request: Request, response: Response, paging: Page = Depends(page),
                  engine: Engine = Depends(engine_of)) -> list[dict]:
    return paged(listing.stock(engine, paging.limit, paging.offset), paging, request, response)


@router.put("/products/{sku:path}", dependencies=[Depends(api_needs("stock.change"))],
            response_model=Product, responses=problem_responses(422),
            summary="Add a product, or update it (a cost or low-stock level left out is kept)")
def put_product(sku: str, body: ProductIn, engine: Engine = Depends(engine_of)) -> dict:
    return products.add_product(engine, sku, body.name, body.price, body.cost, body.low_stock_at)


@router.get("/stock", dependencies=[Depends(api_needs("stock.read"))], response_model=list[StockLevel],
            summary="Per SKU: on hand, reserved, available, average cost, low-stock level")
def stock_levels(request: Request, response: Response, paging: Page = Depends(page),
                 engine: Engine = Depends(engine_of)) -> list[dict]:
    levels = paged(listing.stock(engine, paging.limit, paging.offset), paging, request, response)
    return [{key: level[key] for key in LEVEL_KEYS} for level in levels]


@router.post("/stock/{sku:path}/receive", response_model=StockChange, responses=problem_responses(404, 422),
             summary="Goods in at a unit cost: Dr 114101 inventory / Cr 212101 accounts payable")
def receive(sku: str, body: ReceiveIn, caller: Caller = Depends(api_needs("stock.change")),
            engine: Engine = Depends(engine_of)) -> dict:
    return products.receive_stock(engine, sku, body.quantity, body.unit_cost, ref=body.ref, actor=caller.actor(engine),
                                  at=at_of(body.at))


@router.post("/stock/{sku:path}/count", response_model=StockChange, responses=problem_responses(404, 422),
             summary="A stock count: on hand becomes the quantity; the difference is booked to 531101")
def count(sku: str, body: CountIn, caller: Caller = Depends(api_needs("stock.change")),
          engine: Engine = Depends(engine_of)) -> dict:
    return products.count_stock(engine, sku, body.quantity, ref=body.ref, actor=caller.actor(engine), at=at_of(body.at))


@router.get("/stock/{sku:path}/movements", dependencies=[Depends(api_needs("stock.read"))],
            response_model=list[StockMovement], responses=problem_responses(404),
            summary="A SKU's stock movements, newest first, with their causes")
def movements(sku: str, request: Request, response: Response, paging: Page = Depends(page),
              engine: Engine = Depends(engine_of)) -> list[dict]:
    moves = products.stock_moves(engine, sku, paging.limit, paging.offset)
    found = listing.Page(moves, products.count_moves(engine, sku), paging.offset)
    return paged(found, paging, request, response)
