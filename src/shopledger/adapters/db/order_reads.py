"""Read queries for the order lists: a filter on the state stored beside each order, turned
into SQL that one index answers, newest first; a page, its count, or every row streamed."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, Integer, String, and_, bindparam, case, false, func, literal, not_, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.kept_counts import remembered
from shopledger.adapters.db.shop_reads import ORDER_COLUMNS
from shopledger.domain.orders.stuck import AXIS_OF

_o, _s = t.orders, t.shipments
STREAM_CHUNK = 1000


@dataclass(frozen=True, slots=True)
class OrderFilter:
    """`status`: a display status. `stuck`: code -> the latest start of a wait stuck now (None:
    no stuck filter); `failed_ids`: orders stuck because their last sync failed; `search`: the
    needles (domain/orders/search.needles) one of which an order's search text holds."""

    status: str | None = None
    stuck: dict[str, datetime] | None = None
    failed_ids: tuple[int, ...] = field(default=())
    search: tuple[str, ...] = field(default=())
    channel: str | None = None  # the order's channel, payment method, and placed from/to (UTC, to excluded)
    payment_method: str | None = None
    placed_from: datetime | None = None
    placed_to: datetime | None = None

    @property
    def narrowed(self) -> bool:
        return any(v is not None for v in (self.channel, self.payment_method, self.placed_from, self.placed_to))


def _judged(cutoffs: dict[str, datetime], axis: str):
    """`since <= CASE wait WHEN code THEN its cutoff ... END` over one axis: stuck on it (None:
    no rule of it asked for). A CASE, not an OR per rule, so no per-rule index tempts the planner
    away from walking ix_orders_waiting in id order, and each entry costs one comparison."""
    whens = {code: literal(at, _o.c[f"{axis}_wait_since"].type) for code, at in cutoffs.items()
             if AXIS_OF[code] == axis}
    if not whens:
        return None
    return _o.c[f"{axis}_wait_since"] <= case(whens, value=_o.c[f"{axis}_wait"])


def _stuck(cutoffs: dict[str, datetime], in_waiting_index: bool = True):
    judged = [j for axis in ("payment", "fulfilment") if (j := _judged(cutoffs, axis)) is not None]
    if not judged:
        return false()
    if not in_waiting_index:  # (a search: judged inside ix_orders_search instead)
        return or_(*judged)
    # Said outright: SQLite takes a partial index only for a query that names its condition.
    waiting = or_(_o.c.payment_wait.is_not(None), _o.c.fulfilment_wait.is_not(None))
    return and_(waiting, or_(*judged))


class _position(FunctionElement):
    """Where a text starts inside another, from 1; 0 when it is not there (case counts)."""

    type = Integer()
    name = "position"
    inherit_cache = True


@compiles(_position)
def _strpos(element, compiler, **kw) -> str:
    return f"strpos({compiler.process(element.clauses, **kw)})"


@compiles(_position, "sqlite")
def _instr(element, compiler, **kw) -> str:
    return f"instr({compiler.process(element.clauses, **kw)})"


def _found(needles: tuple[str, ...]):
    """The search text holds one of the needles (both sides folded alike, so case never
    matters; a plain substring test, cheaper than LIKE and with nothing to escape). No index
    can seek inside a text; ix_orders_search holds every column a search and its filters read,
    so one pass over it (a small part of the table's size) answers."""
    return or_(*(_position(_o.c.search_text, literal(needle, String())) > 0 for needle in needles))


def _terms(where: OrderFilter) -> list:
    searching = bool(where.search)
    # A search keeps the planner off the status index (`|| ''`: no index has that expression),
    # whose range it would walk fetching each row for its text.
    status = _o.c.display_status.concat("") if searching else _o.c.display_status
    terms = [] if where.status is None else [status == where.status]
    if searching:
        terms.append(_found(where.search))
    if where.channel is not None:
        terms.append(_o.c.channel == where.channel)
    if where.payment_method is not None:
        terms.append(_o.c.payment_method == where.payment_method)
    if where.placed_from is not None:
        terms.append(_o.c.placed_at >= where.placed_from)
    if where.placed_to is not None:
        terms.append(_o.c.placed_at < where.placed_to)
    if where.stuck is None:
        return terms
    stuck = _stuck(where.stuck, in_waiting_index=not searching)
    if where.failed_ids:
        stuck = or_(stuck, _o.c.id.in_(_failed(where)))
    return [*terms, stuck]


def _failed(where: OrderFilter):
    return bindparam("failed_ids", list(where.failed_ids), expanding=True, literal_execute=True)


def order_page(conn: Connection, where: OrderFilter = OrderFilter(), *, limit: int | None = None,
               offset: int = 0) -> list:
    """One page of orders with their shipment, newest first. The page's keys are found in an
    index first and only then joined, so skipping to a deep offset reads no order rows."""
    if limit is None:
        return list(conn.execute(_joined().where(*_terms(where)).order_by(_newest(where)).offset(offset)))
    keys = select(_o.c.id).where(*_terms(where)).order_by(_newest(where)).limit(limit).offset(offset)
    ids = list(conn.scalars(keys))
    if not ids:
        return []
    query = _joined().where(_o.c.id.in_(ids)).order_by(_o.c.id.desc())
    return list(conn.execute(query))


def order_page_counted(conn: Connection, where: OrderFilter, *, limit: int, offset: int = 0) -> tuple[list, int]:
    """A page and the count of every order the filter matches. A search, which no index can
    seek, finds both in the same pass (`count(*) OVER ()` beside each key); only a page past
    the end of what it found is counted apart."""
    if not where.search:
        return order_page(conn, where, limit=limit, offset=offset), order_count(conn, where)
    keys = (select(_o.c.id, func.count().over().label("total")).where(*_terms(where))
            .order_by(_newest(where)).limit(limit).offset(offset))
    found = list(conn.execute(keys))
    if not found:
        return [], 0 if offset == 0 else order_count(conn, where)
    rows = conn.execute(_joined().where(_o.c.id.in_([k.id for k in found])).order_by(_o.c.id.desc()))
    return list(rows), found[0].total


def order_count(conn: Connection, where: OrderFilter = OrderFilter()) -> int:
    """How many orders the filter matches; kept a moment per filter (adapters/db/kept_counts.py)."""
    stuck = where.stuck or {}
    key = ("orders", where.status, tuple(stuck), where.failed_ids, where.search, where.channel, where.payment_method,
           where.placed_from, where.placed_to, where.stuck is None)
    return remembered(conn, key, lambda: _order_count(conn, where), tuple(stuck.values()))


def _order_count(conn: Connection, where: OrderFilter) -> int:
    if where.stuck is not None and where.status is None and not where.search and not where.narrowed:
        return _stuck_count(conn, where)
    return conn.execute(select(func.count()).select_from(_o).where(*_terms(where))).scalar_one()


def _stuck_count(conn: Connection, where: OrderFilter) -> int:
    """Each rule's stuck orders counted in its own index range, less the orders stuck on both
    axes (found among the payment axis's, whose index carries the fulfilment wait), plus those
    stuck only because a sync failed: no walk over every waiting order."""
    count = 0
    for code, cutoff in where.stuck.items():
        axis = AXIS_OF[code]
        count += conn.execute(select(func.count()).select_from(_o).where(
            _o.c[f"{axis}_wait"] == code, _o.c[f"{axis}_wait_since"] <= cutoff)).scalar_one()
    on_payment, on_fulfilment = _judged(where.stuck, "payment"), _judged(where.stuck, "fulfilment")
    if on_payment is not None and on_fulfilment is not None:
        count -= conn.execute(select(func.count()).select_from(_o).where(
            _o.c.payment_wait.is_not(None), on_payment, on_fulfilment)).scalar_one()
    if where.failed_ids:
        count += conn.execute(select(func.count()).select_from(_o).where(
            _o.c.id.in_(_failed(where)), not_(func.coalesce(_stuck(where.stuck), false())))).scalar_one()
    return count


def order_stream(conn: Connection, where: OrderFilter = OrderFilter()) -> Iterator[list]:
    """Every matching order, newest first, in lists of STREAM_CHUNK as the cursor hands them over."""
    query = _joined().where(*_terms(where)).order_by(_newest(where))
    yield from conn.execution_options(yield_per=STREAM_CHUNK).execute(query).partitions()


def _newest(where: OrderFilter):
    """Newest first. A search sorts what it found (`id + 0`: not walked in key order, where a
    rare text would have every row fetched before the page is full)."""
    return (_o.c.id + 0).desc() if where.search else _o.c.id.desc()


def _joined():
    return select(*ORDER_COLUMNS).select_from(_o.outerjoin(_s, _s.c.order_id == _o.c.id))


# -- the orders one stuck rule holds, oldest wait first (alerts) ------------------------------

def _waiting_for(code: str, cutoff: datetime):
    code_column, since = _o.c[f"{AXIS_OF[code]}_wait"], _o.c[f"{AXIS_OF[code]}_wait_since"]
    return and_(code_column == code, since <= cutoff), (since, _o.c.id)


def stuck_summary(conn: Connection, code: str, cutoff: datetime) -> tuple[int, datetime | None]:
    """How many orders a rule holds stuck, and the oldest wait's start (one index range; kept a
    moment, adapters/db/kept_counts.py)."""
    def summary() -> tuple[int, datetime | None]:
        where, (since, _) = _waiting_for(code, cutoff)
        count, oldest = conn.execute(select(func.count(), func.min(since)).select_from(_o).where(where)).one()
        return count, oldest

    return remembered(conn, ("stuck summary", code), summary, (cutoff,))


def stuck_page(conn: Connection, code: str, cutoff: datetime, *, limit: int, offset: int = 0) -> list:
    where, order = _waiting_for(code, cutoff)
    keys = select(_o.c.id).where(where).order_by(*order).limit(limit).offset(offset)
    ids = list(conn.scalars(keys))
    return list(conn.execute(_joined().where(_o.c.id.in_(ids)).order_by(*order))) if ids else []


def stuck_stream(conn: Connection, code: str, cutoff: datetime) -> Iterator[list]:
    where, order = _waiting_for(code, cutoff)
    query = _joined().where(where).order_by(*order)
    yield from conn.execution_options(yield_per=STREAM_CHUNK).execute(query).partitions()


def order_ids_by_key(conn: Connection, keys: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    found = {}
    for source in {s for s, _ in keys}:
        wanted = [e for s, e in keys if s == source]
        for i in range(0, len(wanted), 1000):
            query = select(_o.c.id, _o.c.external_id).where(_o.c.source == source,
                                                              _o.c.external_id.in_(wanted[i:i + 1000]))
            found |= {(source, row.external_id): row.id for row in conn.execute(query)}
    return found


def order_key(conn: Connection, order_id: int) -> tuple[str, str] | None:
    """(source, external_id) of the order with this id, or None."""
    row = conn.execute(select(_o.c.source, _o.c.external_id).where(_o.c.id == order_id)).first()
    return None if row is None else (row.source, row.external_id)
