"""The "when" of an action recorded after the fact on a page (shipped, delivered, returned, goods
in, a count, a COD payout): a date-time field, filled in with now, read in Bangkok time
(domain/clock.parse_at), and its refusals in the person's words. The field is `at_field` in
templates/at_field.html."""
from __future__ import annotations

from datetime import datetime

from shopledger.domain.clock import BANGKOK, parse_at, utc_now
from shopledger.domain.errors import DomainError
from shopledger.web.i18n import N_
from shopledger.web.ui.pages import templates

AT_PROBLEMS = {
    "invalid_at": N_("That is not a date and time."),
    "closed_period": N_("That date is in a closed period of the books: choose a later one."),
    "time_in_future": N_("That time is still to come: record it once it has happened."),
    "before_last_change": N_("That is before the order's last change: choose that day or later."),
}


def at_from_form(text: object) -> datetime | None:
    """The field as typed (2026-11-28T15:30, Bangkok): None when left empty, meaning now."""
    typed = str(text or "").strip()
    if not typed:
        return None
    try:
        return parse_at(typed)
    except ValueError as error:
        raise DomainError("invalid_at", str(error)) from None


def now_local() -> str:
    """Now as a datetime-local field's value, to the minute, in Bangkok."""
    return utc_now().astimezone(BANGKOK).strftime("%Y-%m-%dT%H:%M")


templates.env.globals.update(now_local=now_local)
