"""Stock alerts a merchant reads: low stock, oversell, and a SKU nobody had set up.

Sentences, not codes, because they land as-is in `shopledger alerts` and the REST API
(interfaces.md: kind, subject, reason, action); `params` carries the facts in them, so the
pages can say the same in the person's language.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from shopledger.domain.stock.cost import StockPosition


class StockAlertKind(StrEnum):
    LOW_STOCK = "low_stock"
    OVERSELL = "oversell"
    UNKNOWN_SKU = "unknown_sku"


@dataclass(frozen=True, slots=True)
class StockAlert:
    kind: StockAlertKind
    subject: str
    reason: str
    action: str
    since: datetime | None = None
    params: dict = field(default_factory=dict, hash=False)


def _label(sku: str, name: str) -> str:
    return f"{sku} ({name})" if name and name != sku else sku


def stock_alerts(sku: str, name: str, position: StockPosition,
                 low_stock_at: int | None) -> list[StockAlert]:
    """Oversell when available < 0; otherwise low stock when available <= low_stock_at.

    Oversold stock is also low, but one problem gets one alert: the oversell says more.
    `low_stock_at` None means the merchant set no level, so no low-stock alert.
    """
    available = position.available
    if available < 0:
        return [StockAlert(
            StockAlertKind.OVERSELL, sku,
            f"{_label(sku, name)} is oversold by {-available}: "
            f"{position.on_hand} on hand, {position.reserved} reserved",
            "receive more stock, or tell the buyers waiting for it",
            params={"product": [sku, name], "by": -available, "on_hand": position.on_hand,
                    "reserved": position.reserved})]
    if low_stock_at is not None and available <= low_stock_at:
        return [StockAlert(
            StockAlertKind.LOW_STOCK, sku,
            f"{_label(sku, name)} has {available} available, "
            f"at or below the low-stock level of {low_stock_at}",
            "order more from the supplier",
            params={"product": [sku, name], "available": available, "level": low_stock_at})]
    return []


def unknown_sku_alert(sku: str, order_ref: str, since: datetime | None = None) -> StockAlert:
    """An order sold a SKU that was not a product: it was created so nothing is lost."""
    return StockAlert(
        StockAlertKind.UNKNOWN_SKU, sku,
        f"order {order_ref} sold {sku}, which was not a product; "
        "it was created with no stock and no cost",
        "set its name, price and cost, then receive or count its stock",
        since, {"order": order_ref, "sku": sku})
