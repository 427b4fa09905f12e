"""Products and stock by hand: set up a product, goods in from a supplier, a stock count.

Each is one writing transaction: the position is read under the books' lock, the domain
plans the movement at moving-average cost, and the movement rows and the journal entry
they imply are written together, so the stock ledger and 114101 never drift apart.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, Engine, case, func, or_, select

from shopledger.adapters.db import shop_reads, stock_repo
from shopledger.adapters.db import tables as t
from shopledger.adapters.db.books_repo import LedgerBatch
from shopledger.adapters.db.engine import reading, writing
from shopledger.adapters.db.settings_repo import default_low_stock_level, load_policy
from shopledger.domain.clock import BANGKOK, business_date, refuse_backdate, utc_now
from shopledger.domain.errors import DomainError, NotFound
from shopledger.domain.limits import (
    MAX_AMOUNT, MAX_NAME, MAX_REF, MAX_SKU, MAX_STOCK, MAX_TOTAL, amount_problem, quantity_problem, text_problem,
)
from shopledger.domain.money import MoneyError, fmt, fmt_satang, from_satang, parse_money, to_satang
from shopledger.domain.stock.cost import StockPosition
from shopledger.domain.stock.movements import Movement, plan_count, plan_receipt
from shopledger.domain.stock.posting import movement_entries


def money(value: object, field: str, limit: Decimal = MAX_AMOUNT) -> Decimal:
    """A decimal string (or Decimal) in baht; a float, a negative amount or one past `limit` is refused."""
    try:
        amount = parse_money(value, field=field, limit=limit)
    except MoneyError as bad:
        raise DomainError("invalid_amount", str(bad), {"field": field}) from None
    if amount < 0:
        raise DomainError("invalid_amount", f"{field} cannot be negative", {"field": field})
    return amount


def add_product(engine: Engine, sku: str, name: str, price: object, cost: object | None = None,
                low_stock_at: int | None = None, now: datetime | None = None) -> dict:
    """Add a product or update one; a cost or low-stock level left out keeps what is stored (a new
    product gets the settings' default level, if one is set)."""
    sku, name = (sku or "").strip(), (name or "").strip()
    if not sku or not name:
        raise DomainError("invalid_product", "a product needs a SKU and a name")
    if low_stock_at is not None and low_stock_at < 0:
        raise DomainError("invalid_product", "the low-stock level cannot be negative")
    _refuse("invalid_product", text_problem("SKU", sku, MAX_SKU), text_problem("name", name, MAX_NAME),
            None if low_stock_at is None else quantity_problem("the low-stock level", low_stock_at, MAX_STOCK))
    price_ = money(price, "price")
    cost_ = None if cost is None else money(cost, "cost")
    with writing(engine) as conn:
        stored = stock_repo.products_by_sku(conn, [sku]).get(sku)
        if low_stock_at is None:
            low_stock_at = stored.low_stock_at if stored is not None else default_low_stock_level(conn)
        stock_repo.save_product(conn, sku, name, price_, cost_, low_stock_at, now or utc_now())
        if stored is not None and stored.low_stock_at != low_stock_at:
            stock_repo.restamp_low_since(conn, sku)
        return level_view(_product(conn, sku))


def receive_stock(engine: Engine, sku: str, quantity: int, unit_cost: object, *, ref: str = "",
                  actor: str = "", now: datetime | None = None, at: datetime | None = None) -> dict:
    """Goods in at `unit_cost` baht each: Dr 114101 / Cr 212101, and the new moving average.
    `at`: when the goods came in, if not now: the movement and the entry are dated then; the
    average takes them in as they are recorded (docs/recorded-later.md)."""
    _refuse("invalid_quantity", quantity_problem("quantity", quantity), text_problem("ref", ref, MAX_REF))
    unit = to_satang(money(unit_cost, "unit cost"))
    _refuse("invalid_amount", amount_problem("the value of the goods in", from_satang(quantity * unit), MAX_TOTAL))
    now = now or utc_now()
    with writing(engine) as conn:
        product = _product(conn, sku)
        moves, position = plan_receipt(sku, stock_repo.position_of(product), quantity, unit, ref or actor)
        _refuse("invalid_quantity", quantity_problem(f"on hand of {sku} after this", position.on_hand, MAX_STOCK))
        memo = f"goods received {sku} x{quantity}" + (f" ({ref})" if ref else "")
        return _write(conn, sku, moves, position, memo, _dated(conn, at, now))


def count_stock(engine: Engine, sku: str, counted: int, *, ref: str = "", actor: str = "",
                now: datetime | None = None, at: datetime | None = None) -> dict:
    """A stock count: on hand becomes `counted`; the value difference goes to 531101. `at`: when
    it was counted, if not now (the difference is from the position as recorded now)."""
    _refuse("invalid_quantity", quantity_problem("the counted quantity", counted, MAX_STOCK),
            text_problem("ref", ref, MAX_REF))
    now = now or utc_now()
    with writing(engine) as conn:
        product = _product(conn, sku)
        moves, position = plan_count(sku, stock_repo.position_of(product), counted, ref or actor)
        _refuse("invalid_amount", *(amount_problem("the value the count changes", from_satang(abs(m.value_delta)),
                                                   MAX_TOTAL) for m in moves))
        memo = f"stock count {sku}: {counted}" + (f" ({ref})" if ref else "")
        return _write(conn, sku, moves, position, memo, _dated(conn, at, now))


def stock_levels(engine: Engine) -> list[dict]:
    """Per SKU: on hand, reserved, available, average cost, low-stock level (interfaces.md)."""
    with reading(engine) as conn:
        return [level_view(row) for row in shop_reads.product_rows(conn)]


def stock_moves(engine: Engine, sku: str, limit: int | None = None, offset: int = 0) -> list[dict]:
    """A SKU's movements, newest first, each with its cause and the order behind it."""
    with reading(engine) as conn:
        _product(conn, sku)
        return [movement_view(row) for row in shop_reads.movement_rows(conn, sku, limit, offset)]


def iter_moves(engine: Engine, sku: str):
    """stock_moves, every one, yielded as the database hands them over."""
    with reading(engine) as conn:
        _product(conn, sku)
        yield from (movement_view(row) for row in shop_reads.iter_movement_rows(conn, sku))


def count_moves(engine: Engine, sku: str) -> int:
    with reading(engine) as conn:
        return shop_reads.count_movements(conn, sku)


def level_view(row) -> dict:
    position = stock_repo.position_of(row)
    return {"sku": row.sku, "name": row.name, "on_hand": row.on_hand, "reserved": row.reserved,
            "available": position.available, "avg_cost": fmt(position.avg_cost), "low_stock_at": row.low_stock_at,
            "price": fmt(row.price), "cost": fmt(row.cost), "value": fmt_satang(row.value_satang),
            "created_from": row.created_from}


def movement_view(row) -> dict:
    order = getattr(row, "source", None)
    return {"id": row.id, "at": iso(row.at), "sku": row.sku, "kind": row.kind,
            "on_hand_delta": row.on_hand_delta, "reserved_delta": row.reserved_delta,
            "value_delta": fmt_satang(row.value_delta_satang), "cause": row.cause, "ref": row.ref,
            "order": f"{order}:{row.external_id}" if order else None}


def iso(moment: datetime | None) -> str | None:
    """Times shown to the merchant are Bangkok time, with the offset (as interfaces.md's alerts)."""
    return None if moment is None else moment.astimezone(BANGKOK).isoformat()


def _dated(conn: Connection, at: datetime | None, now: datetime) -> datetime:
    """When the movement and its entry are dated: now, or `at` if it may be (domain/clock.py)."""
    if at is None:
        return now
    refuse_backdate(at, now, load_policy(conn).closed_through)
    return at


def _refuse(code: str, *problems: str | None) -> None:
    """The first of `problems` (domain/limits.py's reasons) as the error every door shows."""
    for problem in problems:
        if problem:
            raise DomainError(code, problem)


def _product(conn: Connection, sku: str):
    row = stock_repo.products_by_sku(conn, [sku]).get(sku)
    if row is None:
        raise NotFound("product", sku)
    return row


def _write(conn: Connection, sku: str, moves: list[Movement], position: StockPosition, memo: str,
           now: datetime) -> dict:
    rows = [stock_repo.movement_row(move, None, now) for move in moves]
    stock_repo.record_movements(conn, rows, {sku: position.last_unit_cost})
    day = load_policy(conn).open_day(business_date(now))
    batch = LedgerBatch()
    drafts = movement_entries(day, memo, moves)
    for draft in drafts:
        batch.add_entry(None, None, draft, now)
    batch.write(conn)
    return {"sku": sku, "movements": [_planned_view(m) for m in moves],
            "entries": [_draft_view(d) for d in drafts], "stock": level_view(_product(conn, sku))}


def _planned_view(move: Movement) -> dict:
    return {"kind": str(move.kind), "on_hand_delta": move.on_hand_delta, "value_delta": fmt_satang(move.value_delta),
            "cause": move.cause}


def _draft_view(draft) -> dict:
    return {"date": draft.date.isoformat(), "memo": draft.memo, "event": draft.event,
            "lines": [{"account": l.account, "debit": fmt(l.debit), "credit": fmt(l.credit)} for l in draft.lines]}


def find_products(engine: Engine, text: str, limit: int = 8) -> list[dict]:
    """Products whose SKU or name holds `text` (any case), those in stock first, then by SKU: what
    a clerk picks from while keying in an order."""
    wanted = text.strip()[:MAX_NAME].lower()
    if not wanted:
        return []
    p = t.products
    in_stock = case((p.c.on_hand - p.c.reserved > 0, 0), else_=1)
    query = (select(p).where(or_(func.lower(p.c.sku).contains(wanted, autoescape=True),
                                 func.lower(p.c.name).contains(wanted, autoescape=True)))
             .order_by(in_stock, p.c.sku).limit(limit))
    with reading(engine) as conn:
        return [level_view(row) for row in conn.execute(query)]
