"""Time: aware UTC inside, business dates in the merchant's time zone."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
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


# --- actions recorded after the fact --------------------------------------------------------

CLOCK_SKEW = timedelta(minutes=5)  # a device a little ahead of ours is not "the future"


def parse_at(text: str, tz: ZoneInfo = BANGKOK) -> datetime:
    """When a person says something happened: ISO 8601 date-time ("2026-11-28T15:30", "2026-11-28
    15:30+07:00", "2026-11-28" for the start of that day); no offset means the merchant's time
    zone. -> aware UTC. ValueError says what was wrong, in words."""
    cleaned = (text or "").strip().replace("Z", "+00:00")
    if not cleaned:
        raise ValueError("no date and time given")
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a date and time (write 2026-11-28T15:30 or 2026-11-28)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:  # 0001-01-01T00:00 in Bangkok is before the first UTC moment
        raise ValueError(f"{text.strip()!r} is out of range") from None


def backdate_problem(at: datetime, now: datetime, closed_through: date | None,
                     tz: ZoneInfo = BANGKOK) -> tuple[str, str, dict] | None:
    """THE rule for an action dated by a person (shipped, delivered, returned, goods in, a count, a
    COD payout): not in a closed period and not ahead of the clock. -> (code, reason, details) or
    None. Every door refuses with this reason (CLI, REST 422, pages by its code)."""
    local = at.astimezone(tz)
    shown = f"{local:%Y-%m-%d %H:%M}"
    day = local.date()
    if closed_through is not None and day <= closed_through:
        return ("closed_period", f"{shown} is in a closed period (the books are closed through "
                f"{closed_through.isoformat()}); choose a later date or reopen the period",
                {"at": local.isoformat(), "closed_through": closed_through.isoformat()})
    if at > now + CLOCK_SKEW:
        return ("time_in_future", f"{shown} is in the future (it is now {now.astimezone(tz):%Y-%m-%d %H:%M}); "
                "record an action when it has happened", {"at": local.isoformat()})
    return None


def refuse_backdate(at: datetime, now: datetime, closed_through: date | None) -> None:
    """`backdate_problem` as the error every door maps (DomainError: 422)."""
    from shopledger.domain.errors import DomainError

    problem = backdate_problem(at, now, closed_through)
    if problem is not None:
        raise DomainError(*problem)
