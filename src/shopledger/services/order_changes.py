"""What staff do to an order: key it in, edit it while unpaid, mark it paid, ship, deliver,
take it back. Each change is a new version of the order in the interchange format, going
through the same engine as an import, so documents, stock and events follow by one road.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import Connection, Engine, select

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.books_repo import NumberBook
from shopledger.adapters.db.engine import reading, writing
from shopledger.adapters.db.settings_repo import load_policy
from shopledger.domain.accounting.vat import VatTerms
from shopledger.domain.clock import BANGKOK, business_date, refuse_backdate, utc_now
from shopledger.domain.errors import Conflict, DomainError, NotFound
from shopledger.domain.limits import MAX_NOTE
from shopledger.domain.money import ZERO, fmt
from shopledger.domain.orders.canonical import order_to_dict
from shopledger.domain.orders.interchange import parse_order
from shopledger.domain.orders.model import Order
from shopledger.domain.shipping.carriers import resolve_carrier
from shopledger.services.order_books import write_chunk

MANUAL = "manual"
Change = Callable[[dict, datetime], dict]


def create_manual_order(engine: Engine, data: dict, actor: str, now: datetime | None = None) -> Order:
    """An order keyed in by staff (a chat order from Facebook, LINE, Instagram...)."""
    now = now or utc_now()
    with writing(engine) as conn:
        data = dict(data)
        if not data.get("external_id"):
            numbers = NumberBook(conn)
            data["external_id"] = numbers.take("MO", f"{now:%Y%m}")
            numbers.flush()
        data.setdefault("placed_at", now.isoformat())
        data["updated_at"] = now.isoformat()
        policy = load_policy(conn)
        order = parse_order(data, MANUAL, vat=policy.vat_terms)
        if _stored(conn, MANUAL, order.external_id) is not None:
            raise Conflict("order_exists", f"order {order.external_id} already exists", {"external_id": order.external_id})
        write_chunk(conn, [(order, None)], policy, actor, now)
        return order


def vat_terms(engine: Engine) -> VatTerms:
    """The merchant's VAT registration and dated rates, which an order's total keyed in follows."""
    with reading(engine) as conn:
        return load_policy(conn).vat_terms


def change_order(engine: Engine, source: str, external_id: str, change: Change, actor: str,
                 now: datetime | None = None, at: datetime | None = None) -> Order:
    """`at`: when it happened, if not now (shipped yesterday): the change is dated `at` (shipped,
    paid, delivered, the stock movement, the entries' day), while the new version of the order is
    the newest one (a version stamp after the order's last change). Refused in a closed period,
    in the future, or on a day before the order's last change."""
    now = now or utc_now()
    with writing(engine) as conn:
        row = _stored(conn, source, external_id)
        if row is None:
            raise NotFound("order", f"{source}:{external_id}")
        policy = load_policy(conn)
        current = parse_order(row.data, source, vat=policy.vat_terms)
        if at is not None:
            refuse_backdate(at, now, policy.closed_through)
            _not_before_last_change(at, current)
        moment = max(at or now, current.updated_at + timedelta(milliseconds=1))
        data = change(order_to_dict(current), at or moment)
        data["updated_at"] = moment.isoformat()
        order = parse_order(data, source, vat=policy.vat_terms)
        write_chunk(conn, [(order, None)], policy, actor, moment)
        return order


def _not_before_last_change(at: datetime, current: Order) -> None:
    """A version must be newer than the stored one, so an action dated on an earlier day than the
    order's last change would get documents and entries on the wrong day: refused instead. The
    same day is fine (its times follow the last change, its day is the one given)."""
    last = business_date(current.updated_at)
    if business_date(at) < last:
        shown = at.astimezone(BANGKOK)
        raise DomainError("before_last_change", f"{shown:%Y-%m-%d %H:%M} is before the order's last change "
                          f"({current.updated_at.astimezone(BANGKOK):%Y-%m-%d %H:%M}); choose that day or later",
                          {"at": shown.isoformat(), "last_change": current.updated_at.astimezone(BANGKOK).isoformat()})


def _stored(conn: Connection, source: str, external_id: str):
    o = t.orders
    return conn.execute(select(o.c.id, o.c.data).where(o.c.source == source, o.c.external_id == external_id)).first()


def _awaiting_payment(data: dict) -> None:
    if data.get("cancelled_at") or data["payment_status"] not in ("unpaid", "verifying"):
        raise Conflict("order_locked", "only an unpaid order that is not cancelled can be edited")


def edit(patch: dict) -> Change:
    """New lines, prices, customer...: allowed while unpaid; the invoice is voided and reissued."""
    def apply(data: dict, now: datetime) -> dict:
        _awaiting_payment(data)
        locked = {"external_id", "source", "payment_status", "paid_at", "cancelled_at", "fulfillment_status"}
        return data | {k: v for k, v in patch.items() if k not in locked}
    return apply


def mark_verifying() -> Change:
    def apply(data: dict, now: datetime) -> dict:
        _awaiting_payment(data)
        return data | {"payment_status": "verifying"}
    return apply


def mark_paid(payment_method: str | None = None, paid_at: datetime | None = None) -> Change:
    def apply(data: dict, now: datetime) -> dict:
        _awaiting_payment(data)
        return data | {"payment_status": "paid", "paid_at": (paid_at or now).isoformat(),
                       "payment_method": payment_method or data["payment_method"]}
    return apply


def cancel() -> Change:
    def apply(data: dict, now: datetime) -> dict:
        if data.get("cancelled_at"):
            raise Conflict("already_cancelled", "the order is already cancelled")
        return data | {"cancelled_at": now.isoformat()}
    return apply


def ship(carrier: str, tracking_number: str, shipped_at: datetime | None = None) -> Change:
    def apply(data: dict, now: datetime) -> dict:
        if data.get("cancelled_at"):
            raise Conflict("order_cancelled", "a cancelled order is not shipped")
        if data["fulfillment_status"] in ("delivered", "returned"):
            raise Conflict("already_delivered", f"the order is already {data['fulfillment_status']}")
        shipment = {"carrier": resolve_carrier(carrier).name, "tracking_number": tracking_number,
                    "shipped_at": (shipped_at or now).isoformat()}
        return data | {"fulfillment_status": "shipped", "shipment": shipment}
    return apply


def deliver() -> Change:
    """Delivered. For cash on delivery the courier collected the money: the order is paid then."""
    def apply(data: dict, now: datetime) -> dict:
        if data["fulfillment_status"] != "shipped":
            raise Conflict("not_shipped", f"the order is {data['fulfillment_status']}, not shipped")
        changed = data | {"fulfillment_status": "delivered"}
        if data["payment_method"] == "cod" and data["payment_status"] in ("unpaid", "verifying"):
            changed |= {"payment_status": "paid", "paid_at": now.isoformat()}
        return changed
    return apply


def give_back() -> Change:
    """The parcel came back (a refused COD parcel, returned to sender): goods back in stock."""
    def apply(data: dict, now: datetime) -> dict:
        if data["fulfillment_status"] not in ("shipped", "delivered"):
            raise Conflict("not_shipped", f"the order is {data['fulfillment_status']}: nothing to take back")
        return data | {"fulfillment_status": "returned"}
    return apply


def refund(amount: Decimal, reason: str = "") -> Change:
    """Money paid back to a paid order's buyer, in part or in full: one more entry in its refunds,
    so the reconciler issues its credit note and pays it out (accounting-rules.md). Paying back all
    that is left also says the order is refunded. The reason goes on the order's note, by the
    refund's id."""
    def apply(data: dict, now: datetime) -> dict:
        if data["payment_status"] != "paid":
            raise Conflict("not_paid", f"the order is {data['payment_status']}: only a paid order is refunded")
        refunds = list(data.get("refunds") or [])
        left = Decimal(data["total"]) - sum((Decimal(r["amount"]) for r in refunds), ZERO)
        if not ZERO < amount <= left:
            raise DomainError("invalid_refund", f"a refund is more than 0.00 and at most {fmt(left)}",
                              {"left": fmt(left)})
        taken, number = {r["external_id"] for r in refunds}, len(refunds) + 1
        while f"RF-{number}" in taken:
            number += 1
        refund_id = f"RF-{number}"
        refunds.append({"external_id": refund_id, "amount": fmt(amount), "lines": [], "restock": False,
                        "created_at": now.isoformat()})
        changed = data | {"refunds": refunds}
        if amount == left:
            changed["payment_status"] = "refunded"
        note = data.get("note") or ""
        line = f"{refund_id}: {reason.strip()}" if reason.strip() else ""
        if line and len(note) + len(line) + 1 <= MAX_NOTE:
            changed["note"] = f"{note}\n{line}" if note else line
        return changed
    return apply
