"""Low-stock levels from the settings: one product's level set or cleared, one level given
at once to every product that has none, and the default level a product gets when it is created
(by hand, by the API or from an order naming an unknown SKU: stock_repo.create_products). A product is low when what is available is at or
below its level (domain/stock/alerts.py); when the level changes, since when it has been low is
worked out again from its movements, as for a level changed on the product's own page."""
from __future__ import annotations

from sqlalchemy import Engine, update

from shopledger.adapters.db import settings_repo, stock_repo, tables as t
from shopledger.adapters.db.engine import reading, writing
from shopledger.domain.errors import DomainError, NotFound
from shopledger.domain.limits import MAX_STOCK, quantity_problem


def set_low_stock_level(engine: Engine, sku: str, level: int | None) -> int | None:
    """The product's level; None: no level, so never reported low."""
    _check(level)
    with writing(engine) as conn:
        p = t.products
        if conn.execute(update(p).where(p.c.sku == sku).values(low_stock_at=level)).rowcount != 1:
            raise NotFound("product", sku)
        stock_repo.restamp_low_since(conn, sku)
    return level


def give_level_to_products_without_one(engine: Engine, level: int) -> int:
    """Every product with no level gets `level`; how many did."""
    _check(level)
    if level is None:
        raise DomainError("invalid_level", "give the level the products without one get")
    p = t.products
    with writing(engine) as conn:
        given = conn.execute(update(p).where(p.c.low_stock_at.is_(None)).values(low_stock_at=level)).rowcount
        if given:
            stock_repo.fill_in_alert_times(conn)  # those now low: since when, from their movements
    return given


def default_level(engine: Engine) -> int | None:
    """The level new products get; None: they get none."""
    with reading(engine) as conn:
        return settings_repo.default_low_stock_level(conn)


def set_default_level(engine: Engine, level: int | None) -> int | None:
    """The level products created from now on get (products already there keep theirs); None: none."""
    _check(level)
    with writing(engine) as conn:
        settings_repo.write_settings(conn, {settings_repo.DEFAULT_LOW_STOCK: level})
    return level


def _check(level: int | None) -> None:
    if level is None:
        return
    if level < 0:
        raise DomainError("invalid_level", "a low-stock level cannot be negative")
    if (problem := quantity_problem("the low-stock level", level, MAX_STOCK)):
        raise DomainError("invalid_level", problem)
