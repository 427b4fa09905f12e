"""Alerts as segments, one per kind (and per rule for stuck orders), each knowing its count and
how to fetch a slice or every alert in it. A page of alerts, the stream of all of them and the
grouped view all walk the same segments, so none of them holds every stuck order at once.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection

from shopledger.adapters.db import order_reads, shop_reads
from shopledger.domain.orders.stuck import AXIS_OF, TITLES, StuckRules, cutoffs, stuck_reasons, waited
from shopledger.services.order_state import facts_of
from shopledger.services.products import iso


@dataclass
class Segment:
    kind: str
    count: int
    fetch: Callable[[int, int], list[dict]]  # (offset, limit) -> alerts
    stream: Callable[[], Iterator[dict]]
    code: str | None = None  # the stuck rule, for stuck orders
    oldest: str | None = None
    link: str | None = None  # where a person sees what is behind the group
    extra: dict = field(default_factory=dict)


def listed(kind: str, alerts: list[dict], link: str | None = None) -> Segment:
    """A kind whose alerts are few enough to hold (one per product, source, failed order, ...)."""
    ordered = sorted(alerts, key=lambda a: (a["since"] or "", a["subject"]))
    return Segment(kind, len(ordered), lambda offset, limit: ordered[offset:offset + limit], lambda: iter(ordered),
                   oldest=min((a["since"] for a in ordered if a["since"]), default=None), link=link)


def stuck_segments(conn: Connection, rules: StuckRules, now: datetime, failures: dict) -> list[Segment]:
    """One segment per stuck-order rule switched on, in rule order, oldest wait first."""
    found = []
    for code, cutoff in cutoffs(rules, now).items():
        if code not in AXIS_OF:
            continue  # a failed sync is judged with the other sync failures
        count, oldest = order_reads.stuck_summary(conn, code, cutoff)

        def alerts_of(rows: list, _code: str = code) -> list[dict]:
            out = shop_reads.units_out(conn, [r.id for r in rows if r.fulfillment_status == "returned"])
            return [stuck_alert(row, reason) for row in rows
                    for reason in stuck_reasons(facts_of(row, out.get(row.id, 0),
                                                         failures.get((row.source, row.external_id))), rules, now)
                    if reason.code == _code]

        def fetch(offset: int, limit: int, _code: str = code, _cutoff: datetime = cutoff, _of=alerts_of) -> list[dict]:
            return _of(order_reads.stuck_page(conn, _code, _cutoff, limit=limit, offset=offset))

        def stream(_code: str = code, _cutoff: datetime = cutoff, _of=alerts_of) -> Iterator[dict]:
            for rows in order_reads.stuck_stream(conn, _code, _cutoff):
                yield from _of(rows)

        title, action = TITLES[code]
        threshold = now - cutoff
        found.append(Segment("stuck_order", count, fetch, stream, code, iso(oldest),
                             f"/orders?stuck=true&rule={code}",
                             {"reason": f"{count:,} order{'s' if count != 1 else ''} {title} after {waited(threshold)}",
                              "action": action, "command": f"shopledger orders --stuck --rule {code}",
                              "message": {"reason": f"group.{code}", "action": f"group.{code}",
                                          "params": {"count": count, "after": int(threshold.total_seconds())}}}))
    return found


def stuck_alert(row, reason) -> dict:
    return {"kind": reason.kind, "subject": f"{row.source}:{row.external_id}", "reason": reason.reason,
            "since": iso(reason.since), "action": reason.action, "code": reason.code,
            "message": {"reason": reason.message, "action": reason.message, "params": reason.params}}


def page_of(segments: list[Segment], limit: int, offset: int) -> list[dict]:
    """Alerts offset..offset+limit across the segments in turn; only the segments it touches are read."""
    items: list[dict] = []
    skip = offset
    for segment in segments:
        if len(items) >= limit:
            break
        if skip >= segment.count:
            skip -= segment.count
            continue
        items += segment.fetch(skip, limit - len(items))
        skip = 0
    return items


def every(segments: list[Segment]) -> Iterator[dict]:
    for segment in segments:
        yield from segment.stream()


def group_of(segment: Segment, examples: int = 3) -> dict:
    """What a person reads about a segment: how many, since when, what to do, where to look."""
    first = segment.fetch(0, examples)
    one = first[0].get("message") if first else None
    message = one if segment.count == 1 and one else {
        "reason": "group.count", "action": one["action"] if one else "", "params": {"count": segment.count}}
    group = {"kind": segment.kind, "code": segment.code, "count": segment.count, "since": segment.oldest,
             "reason": first[0]["reason"] if segment.count == 1 else f"{segment.count:,} alerts",
             "action": first[0]["action"] if first else "", "link": segment.link,
             "subjects": [a["subject"] for a in first], "message": message}
    return group | segment.extra
