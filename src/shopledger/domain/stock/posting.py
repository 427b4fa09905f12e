"""Journal entries for stock: cost of goods sold, returns, receipts, counts, oversell true-ups.

Amounts are satang (the stock ledger's unit) and become baht here. A signed amount picks
its direction, so an undone shipment or a count that found goods posts the mirror entry
instead of a negative line. Nothing to post (zero) gives None.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from shopledger.domain.accounting.chart import (
    ACCOUNTS_PAYABLE,
    COST_OF_GOODS_SOLD,
    INVENTORY,
    STOCK_COUNT_DIFFERENCES,
)
from shopledger.domain.accounting.journal import EntryDraft, cr, dr, entry
from shopledger.domain.money import from_satang
from shopledger.domain.stock.movements import Movement, MovementKind


def _pair(day: date, memo: str, event: str, debit: str, credit: str,
          satang: int) -> EntryDraft | None:
    """Dr `debit` / Cr `credit` for a positive amount; the other way round for a negative one."""
    if satang == 0:
        return None
    if satang < 0:
        debit, credit = credit, debit
    amount = from_satang(abs(satang))
    return entry(day, memo, event, dr(debit, amount), cr(credit, amount))


def goods_shipped_entry(day: date, cost: int, memo: str) -> EntryDraft | None:
    """Dr 511101 cost of goods sold / Cr 114101 inventory, at moving-average cost."""
    return _pair(day, memo, "goods_shipped", COST_OF_GOODS_SOLD, INVENTORY, cost)


def goods_returned_entry(day: date, cost: int, memo: str) -> EntryDraft | None:
    """Dr 114101 / Cr 511101, at the cost the goods left with."""
    return _pair(day, memo, "goods_returned", INVENTORY, COST_OF_GOODS_SOLD, cost)


def goods_received_entry(day: date, value: int, memo: str) -> EntryDraft | None:
    """Dr 114101 inventory / Cr 212101 accounts payable (paying the supplier is another entry)."""
    return _pair(day, memo, "goods_received", INVENTORY, ACCOUNTS_PAYABLE, value)


def stock_count_entry(day: date, difference: int, memo: str) -> EntryDraft | None:
    """Goods found (positive): Dr 114101 / Cr 531101; goods missing: Dr 531101 / Cr 114101."""
    return _pair(day, memo, "stock_count", INVENTORY, STOCK_COUNT_DIFFERENCES, difference)


def cost_adjustment_entry(day: date, adjustment: int, memo: str) -> EntryDraft | None:
    """Oversold units settled: they cost more (positive) -> Dr 511101 / Cr 114101, or less."""
    return _pair(day, memo, "stock_cost_adjustment", COST_OF_GOODS_SOLD, INVENTORY, adjustment)


def movement_entries(day: date, memo: str, movements: Iterable[Movement]) -> list[EntryDraft]:
    """One entry per kind of money that moved in a batch of costed movements (reservations post nothing).

    A REVALUE movement's value_delta is the inventory change, so its COGS adjustment is its negative.
    """
    totals = {kind: 0 for kind in MovementKind}
    for move in movements:
        totals[move.kind] += move.value_delta
    drafts = [
        goods_shipped_entry(day, -totals[MovementKind.SHIP], memo),
        goods_returned_entry(day, totals[MovementKind.RETURN] + totals[MovementKind.RESTOCK], memo),
        goods_received_entry(day, totals[MovementKind.RECEIVE], memo),
        stock_count_entry(day, totals[MovementKind.COUNT], memo),
        cost_adjustment_entry(day, -totals[MovementKind.REVALUE], memo),
    ]
    return [draft for draft in drafts if draft is not None]
