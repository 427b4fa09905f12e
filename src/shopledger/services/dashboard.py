"""The home page's numbers: what was sold today and this month, how many orders wait at each
step, stuck orders, stock alerts, COD money a courier still holds, the last and next Import Data.

Every number is read where it is kept small: sales from the balances kept per account and day
(adapters/db/balances.py), counts per display status from the state stored beside each order
(order_state; one index range each), stuck orders per rule (alert_segments), so the page costs
the same at 100,000 orders as at 100.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine

from shopledger.adapters.db import balances, order_reads, sync_repo
from shopledger.adapters.db.engine import reading
from shopledger.adapters.db.order_reads import OrderFilter
from shopledger.domain.accounting.chart import SALES, SALES_RETURNS, SHIPPING_INCOME
from shopledger.domain.clock import business_date, utc_now
from shopledger.domain.money import fmt
from shopledger.domain.orders.status import DisplayStatus
from shopledger.services import alerts, listing
from shopledger.services.schedule import latest_due_date

WAITING = (DisplayStatus.AWAITING_PAYMENT, DisplayStatus.CHECKING_PAYMENT, DisplayStatus.TO_SHIP,
           DisplayStatus.SHIPPED, DisplayStatus.COD_AWAITING_REMITTANCE)
STOCK_KINDS = ("oversell", "low_stock", "unknown_sku")


def net_sales(sums: dict[str, tuple[Decimal, Decimal]]) -> Decimal:
    """Sales and shipping income less returns and allowances, before VAT, from debit/credit sums."""
    def credit(account: str) -> Decimal:
        debit, credit_ = sums.get(account, (Decimal(0), Decimal(0)))
        return credit_ - debit
    return credit(SALES) + credit(SHIPPING_INCOME) + credit(SALES_RETURNS)


def sales(engine: Engine, today: date) -> dict:
    with reading(engine) as conn:
        day = balances.sums(conn, start=today, end=today)
        month = balances.sums(conn, start=today.replace(day=1), end=today)
    return {"today": fmt(net_sales(day)), "month": fmt(net_sales(month)), "day": today.isoformat()}


def waiting(engine: Engine) -> list[dict]:
    with reading(engine) as conn:
        return [{"status": str(s), "count": order_reads.order_count(conn, OrderFilter(status=str(s)))} for s in WAITING]


def next_daily_run(engine: Engine, now: datetime) -> datetime | None:
    with reading(engine) as conn:
        scheduled = sync_repo.scheduled_sources(conn)
    moments = [latest_due_date(s.daily_at, s.timezone, now)[1] + timedelta(days=1) for s in scheduled]
    return min(moments, default=None)


def dashboard(engine: Engine, now: datetime | None = None, *, alerts_too: bool = True) -> dict:
    now = now or utc_now()
    runs = listing.sync_runs(engine, 1, 0).items
    groups = alerts.alert_groups(engine, now) if alerts_too else []
    stuck = [g for g in groups if g["kind"] == "stuck_order"]
    return {"sales": sales(engine, business_date(now)), "waiting": waiting(engine),
            "stuck": stuck, "stuck_count": sum(g["count"] for g in stuck),
            "stock": [g for g in groups if g["kind"] in STOCK_KINDS],
            "last_run": runs[0] if runs else None, "next_run": next_daily_run(engine, now)}


def status_counts(engine: Engine) -> dict[str, int]:
    """How many orders have each display status (one index range each): the orders page's tabs."""
    with reading(engine) as conn:
        return {str(s): order_reads.order_count(conn, OrderFilter(status=str(s))) for s in DisplayStatus}
