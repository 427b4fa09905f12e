"""Exact money: Decimal baht in the domain, integer satang in storage, strings on the wire.

A float never touches an amount: parse_money refuses one outright, because 0.1 + 0.2 is
how books stop balancing.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from shopledger.domain.limits import amount_problem, clip, number_text

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
_MOST = Decimal("1E+20")  # beyond any limit, still exact at two places in the default context


class MoneyError(ValueError):
    """An amount that is not a decimal string with at most two places."""


def parse_money(value: object, *, field: str = "amount", limit: Decimal | None = None) -> Decimal:
    """A decimal string (or int) in baht -> Decimal with two places. Floats are refused, and so
    is an amount beyond `limit` (either sign), or one too large to have two places at all."""
    if isinstance(value, bool) or isinstance(value, float):
        raise MoneyError(f"{field} must be a decimal string, not a number like {value!r}")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "")
        if not text:
            raise MoneyError(f"{field} is empty")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise MoneyError(f"{field} {clip(repr(value))} is not a decimal amount") from None
    else:
        raise MoneyError(f"{field} must be a decimal string")
    if not amount.is_finite():
        raise MoneyError(f"{field} {clip(repr(value))} is not a finite amount")
    if (problem := amount_problem(field, amount, _MOST if limit is None else limit, _shown(value, amount))):
        raise MoneyError(problem)  # before quantize: 1e309 has no room for two places and would raise
    if amount != amount.quantize(CENT):
        raise MoneyError(f"{field} {clip(repr(value))} has more than two decimal places")
    return amount.quantize(CENT)


def _shown(value: object, amount: Decimal) -> str:
    return clip(value.strip(), 30) if isinstance(value, str) else number_text(amount)


def to_satang(amount: Decimal) -> int:
    return int(amount.quantize(CENT) * 100)


def from_satang(satang: int) -> Decimal:
    return (Decimal(satang) / 100).quantize(CENT)


def fmt(amount: Decimal) -> str:
    """Two places, no grouping: the wire format ("750.00"). Rounds like quantize (half-even)."""
    return f"{amount:.2f}"


def fmt_satang(satang: int) -> str:
    return fmt(from_satang(satang))


def round_half_up(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split integer `total` over `weights` by largest remainder: the parts add up exactly.

    Ties in remainder go to the earlier part so the result is deterministic. All-zero
    weights put everything on the first part.
    """
    if not weights:
        if total:
            raise ValueError("cannot allocate a non-zero total over no parts")
        return []
    if total == 0:
        return [0] * len(weights)
    weight_sum = sum(weights)
    if weight_sum == 0:
        return [total] + [0] * (len(weights) - 1)
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    floors, remainders = [], []
    for index, weight in enumerate(weights):
        share, remainder = divmod(magnitude * weight, weight_sum)
        floors.append(share)
        remainders.append((-remainder, index))
    leftover = magnitude - sum(floors)
    for _, index in sorted(remainders)[:leftover]:
        floors[index] += 1
    return [sign * part for part in floors]
