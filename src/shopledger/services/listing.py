"""Every list comes two ways: a page with the count of all it could show (for people and REST),
or every item yielded as the database hands it over (for `--json`, in constant memory).

The books' lists live here (documents, entries, sync runs, stock); orders and alerts have
their own services. Newest first, except stock, which is by SKU.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, Engine

from shopledger.adapters.db import reads, shop_reads, sync_repo
from shopledger.adapters.db.engine import reading
from shopledger.services.products import level_view
from shopledger.services.sync_runs import run_view

DEFAULT_LIMIT = 100  # what a person is shown when they ask for no page


@dataclass(frozen=True, slots=True)
class Page:
    items: list[dict]
    total: int  # every item the list holds, not only this page's
    offset: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total


def _page(engine: Engine, fetch: Callable, count: Callable[[Connection], int], limit: int, offset: int) -> Page:
    with reading(engine) as conn:
        return Page(fetch(conn, limit=limit, offset=offset), count(conn), offset)


def _every(engine: Engine, stream: Callable[[Connection], Iterator[dict]]) -> Iterator[dict]:
    with reading(engine) as conn:
        yield from stream(conn)


def documents(engine: Engine, limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page:
    return _page(engine, reads.document_page, reads.count_documents, limit, offset)


def iter_documents(engine: Engine) -> Iterator[dict]:
    return _every(engine, reads.iter_documents)


def entries(engine: Engine, limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page:
    return _page(engine, reads.entry_page, reads.count_entries, limit, offset)


def iter_entries(engine: Engine) -> Iterator[dict]:
    return _every(engine, reads.iter_entries)


def sync_runs(engine: Engine, limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page:
    def fetch(conn: Connection, limit: int, offset: int) -> list[dict]:
        return [run_view(r) for r in sync_repo.run_rows(conn, limit, offset=offset)]

    return _page(engine, fetch, sync_repo.count_runs, limit, offset)


def iter_sync_runs(engine: Engine) -> Iterator[dict]:
    return _every(engine, lambda conn: (run_view(r) for r in sync_repo.iter_runs(conn)))


def stock(engine: Engine, limit: int = DEFAULT_LIMIT, offset: int = 0) -> Page:
    def fetch(conn: Connection, limit: int, offset: int) -> list[dict]:
        return [level_view(r) for r in shop_reads.product_rows(conn, limit=limit, offset=offset)]

    return _page(engine, fetch, shop_reads.count_products, limit, offset)


def iter_stock(engine: Engine) -> Iterator[dict]:
    return _every(engine, lambda conn: (level_view(r) for r in shop_reads.iter_products(conn)))
