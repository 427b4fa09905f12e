"""Time: aware UTC inside, business dates in the merchant's time zone."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def business_date(moment: datetime, tz: ZoneInfo = BANGKOK) -> date:
    """The calendar day a moment falls on for the merchant (a document's date)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every moment must carry its offset")
    return moment.astimezone(tz).date()


def parse_instant(text: str) -> datetime:
    """ISO 8601 with an offset -> aware datetime in UTC. A missing offset is an error."""
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset")
    return moment.astimezone(timezone.utc)
