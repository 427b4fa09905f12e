"""Pulling a source's pages on a thread or on a process of its own, while they are stored.

On a thread the shop's answer time overlaps ours; on a process (the CLI's Import Data, where
the storing is on worker processes too) the decoding and mapping of pages also get a core of
their own. Either way a fault while pulling is raised to the caller after the pages before it.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterator
from datetime import datetime
from queue import Queue

from shopledger.adapters.lifeline import die_with_parent
from shopledger.domain.errors import DomainError
from shopledger.domain.orders.canonical import received_hash
from shopledger.domain.sync.connector import CONNECTORS, PulledPage, PulledRecord

_END = "end"


def pulled_on_thread(pages: Iterator[PulledPage], ahead: int = 4) -> Iterator[PulledPage]:
    queue: Queue = Queue(maxsize=ahead)
    stop = threading.Event()

    def pull() -> None:
        try:
            for page in pages:
                if stop.is_set():
                    return
                queue.put(page)
            queue.put(_END)
        except BaseException as error:  # noqa: BLE001 - handed to the consumer, who raises it
            queue.put(error)

    threading.Thread(target=pull, daemon=True, name="pull-pages").start()
    try:
        while (item := queue.get()) != _END:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while not queue.empty():  # let a blocked puller see the stop
            queue.get_nowait()


def pulled_on_process(kind: str, settings: dict, since: datetime | None, ahead: int = 4) -> Iterator[PulledPage]:
    """`settings` must cross a process (no client objects): the connector is built over there."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue(maxsize=ahead)
    puller = context.Process(target=_pull_into, args=(kind, settings, since, queue, os.getpid()), daemon=True,
                             name="pull-pages")
    puller.start()
    try:
        while (item := queue.get()) != _END:
            if isinstance(item, dict):  # a fault, as plain data: exceptions of ours do not pickle
                raise DomainError(item["code"], item["message"], item["details"])
            yield _page(item)
    finally:
        if puller.is_alive():
            puller.terminate()
        puller.join()


def _pull_into(kind: str, settings: dict, since: datetime | None, queue, parent_pid: int) -> None:
    die_with_parent(parent_pid)
    from shopledger.bootstrap import load_connectors

    load_connectors()
    try:
        for page in CONNECTORS.create(kind, settings).pull(since):
            records = [(r.external_id, r.data, r.error, r.updated_at, r.data and received_hash(r.data))
                       for r in page.records]  # hashed here: one thing less for the storing side
            queue.put((page.number, records, page.max_updated_at, page.last_page))
        queue.put(_END)
    except DomainError as error:
        queue.put({"code": error.code, "message": error.message, "details": error.details})
    except Exception as error:  # noqa: BLE001 - the run records it as its error
        queue.put({"code": "unexpected", "message": f"unexpected error: {type(error).__name__}: {error}",
                   "details": {}})


def _page(item: tuple) -> PulledPage:
    number, records, newest, last = item
    return PulledPage(number, [PulledRecord(*record) for record in records], newest, last)
