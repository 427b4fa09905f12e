"""The demo shop's orders, in the shop's own format (what the `shop-api` connector pulls), in memory.

Thread-safe: the web server answers from a thread pool while a test (or the demo's "advance"
button) changes orders. Amounts stay decimal strings, as the shop sends them.
"""
from __future__ import annotations

import copy
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from shopledger.domain.clock import BANGKOK, parse_instant, utc_now

ONE_SECOND = timedelta(seconds=1)


@dataclass(frozen=True, slots=True)
class Fault:
    """Something the shop does to one coming request instead of (or before) answering it.

    kinds: `http` (answer `status`), `rate_limited` (429 with `retry_after`), `malformed`
    (200 with `body`), `delay` (wait `seconds`, then answer: a timeout for a client that
    waits less), `touch` (bump `order_id`'s updated_at, then answer: a change mid-paging).
    """

    kind: str
    status: int = 0
    retry_after: str | None = None
    body: bytes = b""
    seconds: float = 0.0
    order_id: str | None = None

    @classmethod
    def http(cls, status: int) -> Fault:
        return cls("http", status=status)

    @classmethod
    def rate_limited(cls, retry_after: float | str | None) -> Fault:
        return cls("rate_limited", status=429, retry_after=None if retry_after is None else str(retry_after))

    @classmethod
    def malformed(cls, body: bytes | str = b"<html>maintenance</html>") -> Fault:
        return cls("malformed", status=200, body=body.encode() if isinstance(body, str) else body)

    @classmethod
    def delay(cls, seconds: float) -> Fault:
        return cls("delay", seconds=seconds)

    @classmethod
    def touch(cls, order_id: str) -> Fault:
        return cls("touch", order_id=order_id)


def stamp(moment: datetime) -> str:
    """A time as the shop writes it: Bangkok offset, whole seconds."""
    return moment.astimezone(BANGKOK).replace(microsecond=0).isoformat()


def _order_key(order: dict) -> tuple:
    # The API's sort: updated_at, then order_id (numerically when it is a number).
    order_id = str(order["order_id"])
    id_key = (0, int(order_id), "") if order_id.isdigit() else (1, 0, order_id)
    return (parse_instant(order["updated_at"]), id_key)


class ShopStore:
    def __init__(self, clock: Callable[[], datetime] = utc_now):
        self._lock = threading.RLock()
        self._orders: dict[str, dict] = {}
        # Public so a test may look at what is still queued; deque appends and pops are atomic.
        self.faults: deque[Fault] = deque()
        self._requests: list[dict] = []
        self._clock = clock

    # --- orders -------------------------------------------------------------------------

    def upsert(self, order: dict) -> None:
        if "order_id" not in order:
            raise ValueError("a shop order needs an order_id")
        parse_instant(order["updated_at"])  # the API sorts by it: refuse what cannot be sorted
        with self._lock:
            self._orders[str(order["order_id"])] = copy.deepcopy(order)

    def get(self, order_id: str) -> dict:
        with self._lock:
            return copy.deepcopy(self._orders[str(order_id)])

    def changed_since(self, updated_from: datetime | None) -> list[dict]:
        """Orders with updated_at at or after `updated_from` (all when None), in API order."""
        with self._lock:
            orders = sorted(self._orders.values(), key=_order_key)
            if updated_from is not None:
                orders = [o for o in orders if parse_instant(o["updated_at"]) >= updated_from]
            return copy.deepcopy(orders)

    def __len__(self) -> int:
        with self._lock:
            return len(self._orders)

    def touch(self, order_id: str) -> str:
        """Bump an order's updated_at past every other order's; returns the new stamp."""
        with self._lock:
            order = self._orders[str(order_id)]
            newest = max(parse_instant(o["updated_at"]) for o in self._orders.values())
            order["updated_at"] = stamp(max(self._clock(), newest + ONE_SECOND))
            return order["updated_at"]

    def advance(self, now: datetime | None = None) -> list[str]:
        """Move some orders one step on, as a day at the shop would; returns their order_ids.

        Two awaiting payment get paid, two paid get shipped (with a tracking number), a COD
        parcel goes out and another gets paid on delivery, and one unpaid order is cancelled.
        Candidates are chosen before anything changes, so no order moves twice in one call.
        """
        with self._lock:
            now = now or self._clock()
            by_status = self._by_status()
            steps = [
                (by_status.get(1, [])[:1] + by_status.get(2, [])[:1], _pay),
                (by_status.get(3, [])[:2], _ship),
                (by_status.get(14, [])[:1], _ship_cod),
                (by_status.get(15, [])[:1], _collect_cod),
                (by_status.get(1, [])[1:2], _cancel),
            ]
            changed = []
            for orders, step in steps:
                for order in orders:
                    when = max(now, parse_instant(order["updated_at"]) + ONE_SECOND)
                    step(order, stamp(when))
                    order["updated_at"] = stamp(when)
                    changed.append(str(order["order_id"]))
            return changed

    def _by_status(self) -> dict[int, list[dict]]:
        groups: dict[int, list[dict]] = {}
        for order_id in sorted(self._orders, key=lambda key: (len(key), key)):
            order = self._orders[order_id]
            groups.setdefault(order["order_status_id"], []).append(order)
        return groups

    def seed_demo(self, n: int = 30, now: datetime | None = None, seed: int = 7, fresh: bool = False) -> list[str]:
        """Fill the shop with `n` plausible Thai orders; returns their order_ids. `fresh`: none
        waits past a stuck-order rule yet (seed.demo_orders)."""
        from shopledger.demo_shop.seed import demo_orders  # seed builds on this module: no cycle

        orders = demo_orders(n, now or self._clock(), seed=seed, fresh=fresh)
        for order in orders:
            self.upsert(order)
        return [order["order_id"] for order in orders]

    # --- faults and the request log -----------------------------------------------------

    def inject(self, *faults: Fault) -> None:
        """Queue faults; each coming request takes the next one."""
        with self._lock:
            self.faults.extend(faults)

    def next_fault(self) -> Fault | None:
        with self._lock:
            return self.faults.popleft() if self.faults else None

    def record_request(self, params: dict) -> None:
        with self._lock:
            self._requests.append(dict(params))

    @property
    def requests(self) -> list[dict]:
        """The query of every request so far (never its headers: they hold the token)."""
        with self._lock:
            return [dict(request) for request in self._requests]


# --- the steps advance() takes; each edits a shop order in place -----------------------------

CARRIERS = {"kerry": "KEX", "flash": "TH", "thaipost": "EF", "jt": "JT"}


def tracking_number(carrier: str, order_id: str) -> str:
    prefix = CARRIERS.get(carrier, "TRK")
    suffix = "TH" if carrier == "thaipost" else ""
    return f"{prefix}{int(order_id) if order_id.isdigit() else 0:010d}{suffix}"


def _pay(order: dict, when: str) -> None:
    order.update(order_status_id=3, paid_at=when)


def _ship(order: dict, when: str) -> None:
    carrier = order.get("shipping_company") or "kerry"
    order.update(
        order_status_id=7,
        shipping_company=carrier,
        tracking_no=order.get("tracking_no") or tracking_number(carrier, str(order["order_id"])),
        shipped_at=when,
    )


def _ship_cod(order: dict, when: str) -> None:
    _ship(order, when)
    order["order_status_id"] = 15


def _collect_cod(order: dict, when: str) -> None:
    order.update(order_status_id=16, paid_at=when)


def _cancel(order: dict, when: str) -> None:
    order.update(order_status_id=4, cancelled_at=when)
