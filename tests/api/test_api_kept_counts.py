"""The counts behind X-Total-Count (and the orders page's tabs, the alerts' groups) are kept a
moment (adapters/db/kept_counts.py): a write in this process is counted at once; a write this
process cannot see (another web process, a worker) within KEPT_FOR seconds."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from shopledger.adapters.db import kept_counts, order_reads
from shopledger.adapters.db import tables as t
from shopledger.adapters.db.engine import reading, writing
from shopledger.adapters.db.order_reads import OrderFilter
from shopledger.domain.clock import utc_now
from shopledger.services import order_views
from tests.api.conftest import take
from tests.builders import make_order_dict

pytestmark = pytest.mark.db

TOTALS = ["/api/v1/orders", "/api/v1/orders?status=to_ship", "/api/v1/orders?stuck=true", "/api/v1/documents",
          "/api/v1/journal-entries", "/api/v1/alerts"]


@pytest.fixture
def clock(monkeypatch) -> list[float]:
    """The kept counts' clock, moved by hand: [seconds]."""
    now = [1000.0]
    monkeypatch.setattr(kept_counts, "_clock", lambda: now[0])
    return now


def _totals(client, headers) -> dict[str, int]:
    found = {}
    for path in TOTALS:
        response = client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.text)
        found[path] = int(response.headers["X-Total-Count"])
    return found


def test_a_write_in_this_process_is_counted_at_once(client, admin, engine, books, clock):
    before = _totals(client, admin)
    assert _totals(client, admin) == before  # asked again within the moment: the same (kept) counts
    take(engine, make_order_dict(external_id="P-9"))  # paid long ago, not shipped: stuck; a receipt and its entry
    after = _totals(client, admin)
    assert after == {path: count + 1 for path, count in before.items()}


def test_a_commit_outside_the_books_lock_is_counted_at_once_too(client, admin, engine, books, clock):
    assert int(client.get("/api/v1/orders?status=cancelled", headers=admin).headers["X-Total-Count"]) == 1  # U-1
    with engine.begin() as conn:  # not through writing(): any commit that is not a plain read
        conn.execute(update(t.orders).where(t.orders.c.external_id == "P-1").values(display_status="cancelled"))
    assert int(client.get("/api/v1/orders?status=cancelled", headers=admin).headers["X-Total-Count"]) == 2


def test_a_write_this_process_cannot_see_is_counted_within_kept_for(client, admin, engine, books, clock):
    path = "/api/v1/orders?status=to_ship"
    assert int(client.get(path, headers=admin).headers["X-Total-Count"]) == 1
    # As another process writes: the driver's own connection, no SQLAlchemy events.
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("UPDATE orders SET display_status = 'cancelled' WHERE external_id = 'P-1'")
        cursor.close()
        raw.commit()
    finally:
        raw.close()
    clock[0] += kept_counts.KEPT_FOR / 2
    stale = client.get(path, headers=admin)
    assert stale.json() == [] and stale.headers["X-Total-Count"] == "1"  # the page is read; the count is kept
    clock[0] += kept_counts.KEPT_FOR / 2 + 0.01
    assert client.get(path, headers=admin).headers["X-Total-Count"] == "0"


def test_a_stuck_count_is_kept_only_while_its_moment_moves_less_than_kept_for(engine, books, clock):
    """Which orders are stuck moves with the clock: a count taken for one moment is not one of
    a moment further on, even with nothing written between."""
    take(engine, make_order_dict(external_id="NEW-1", placed_at=utc_now().isoformat(), paid_at=utc_now().isoformat(),
                                 updated_at=utc_now().isoformat()))
    now = utc_now()
    count = order_views.orders_page(engine, stuck=True, limit=1, now=now).total
    assert order_views.orders_page(engine, stuck=True, limit=1, now=now + timedelta(seconds=1)).total == count
    assert order_views.orders_page(engine, stuck=True, limit=1, now=now + timedelta(days=30)).total == count + 1


class _Undone(Exception):
    pass


def test_inside_a_write_counts_are_never_kept(engine, books, clock):
    with reading(engine) as conn:
        to_ship = order_reads.order_count(conn, OrderFilter(status="to_ship"))
    with pytest.raises(_Undone), writing(engine) as conn:
        conn.execute(update(t.orders).where(t.orders.c.external_id == "P-1").values(display_status="cancelled"))
        assert order_reads.order_count(conn, OrderFilter(status="to_ship")) == to_ship - 1  # its own write
        raise _Undone  # rolled back
    with reading(engine) as conn:
        assert order_reads.order_count(conn, OrderFilter(status="to_ship")) == to_ship
        assert conn.scalar(select(t.orders.c.display_status).where(t.orders.c.external_id == "P-1")) == "to_ship"
