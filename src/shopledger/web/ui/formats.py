"""Money, numbers, dates and times as every page shows them, in the page's language (Babel).

- money: `฿1,234.50` (`-฿50.00` below zero), in both languages;
- a day: `27 พ.ย. 2569` in Thai (Buddhist era: Babel's Thai locale keeps the Gregorian year,
  so 543 is added here), `27 Nov 2026` in English;
- an instant: the day and the time in Asia/Bangkok, `27 พ.ย. 2569 14:05`;
- a month: `พ.ย. 2569` / `Nov 2026`; a length of time: `3 วัน` / `3 days` (from the catalogue).

A tax document's own page keeps the style of Thai documents: `document_date` writes the
month in full (`27 พฤศจิกายน 2569`), as the printed document does.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from shopledger.domain.clock import BANGKOK
from shopledger.web.i18n import N_n, Translator

BABEL_LOCALES = {"th": "th_TH", "en": "en_GB"}
BUDDHIST_ERA = 543
THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
               "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")


_LOCALES = {lang: Locale.parse(code) for lang, code in BABEL_LOCALES.items()}  # parsed once, not per figure


def _locale(lang: str) -> Locale:
    return _LOCALES.get(lang, _LOCALES["th"])


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def money(value: object, lang: str = "th") -> str:
    """'1234.5' -> '฿1,234.50'; '-50' -> '-฿50.00'; blank for nothing."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    # Babel's '#,##0.00' in either page language: Thai and English group and point alike, so
    # Python's own formatting writes the same (tests/unit/test_formats.py holds them equal) at a
    # tenth of the cost - a list of fifty orders shows a hundred amounts.
    return ("-฿" if amount < 0 else "฿") + f"{abs(amount):,.2f}"


def number(value: object, lang: str = "th") -> str:
    """1234 -> '1,234'; 1234.5 -> '1,234.5'."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    return format_decimal(amount, locale=_locale(lang))


def _day(value: object) -> date | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value.astimezone(BANGKOK).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    text = str(value)
    if len(text) > 10:  # an instant written as text
        return _day(datetime.fromisoformat(text))
    return date.fromisoformat(text)


def day(value: object, lang: str = "th") -> str:
    """A day: '27 พ.ย. 2569' / '27 Nov 2026'; blank for nothing."""
    shown = _day(value)
    if shown is None:
        return ""
    return _day_words(shown, lang)


@lru_cache(maxsize=4096)  # a list's rows fall on few days
def _day_words(shown: date, lang: str) -> str:
    if lang == "th":
        return f"{format_date(shown, 'd MMM', locale=_locale(lang))} {shown.year + BUDDHIST_ERA}"
    return format_date(shown, "d MMM y", locale=_locale(lang))


def moment(value: object, lang: str = "th") -> str:
    """An instant in Bangkok: '27 พ.ย. 2569 14:05' / '27 Nov 2026 14:05'; a bare date as a day."""
    if not value:
        return ""
    if isinstance(value, datetime):
        at = value
    elif isinstance(value, date) or len(str(value)) <= 10:
        return day(value, lang)
    else:
        at = datetime.fromisoformat(str(value))
    at = at.astimezone(BANGKOK) if at.tzinfo else at
    return f"{day(at.date(), lang)} {at:%H:%M}"


def month(value: object, lang: str = "th") -> str:
    """'2026-11' -> 'พ.ย. 2569' / 'Nov 2026'."""
    if not value:
        return ""
    first = date.fromisoformat(f"{str(value)[:7]}-01")
    if lang == "th":
        return f"{format_date(first, 'MMM', locale=_locale(lang))} {first.year + BUDDHIST_ERA}"
    return format_date(first, "MMM y", locale=_locale(lang))


def document_date(value: object) -> str:
    """A Thai document's date, its month in full: '20 พฤศจิกายน 2569'."""
    shown = _day(value)
    if shown is None:
        return ""
    return f"{shown.day} {THAI_MONTHS[shown.month - 1]} {shown.year + BUDDHIST_ERA}"


DAYS = N_n("%(num)s day", "%(num)s days")
HOURS = N_n("%(num)s hour", "%(num)s hours")
MINUTES = N_n("%(num)s minute", "%(num)s minutes")


def duration(value: timedelta | float | int, lang: str = "th") -> str:
    """How long, in its largest whole unit: '3 วัน' / '3 days', '5 ชั่วโมง', '20 นาที'."""
    seconds = int(value.total_seconds() if isinstance(value, timedelta) else value)
    tr = Translator(lang)
    seconds = max(seconds, 0)
    for unit, forms in ((86400, DAYS), (3600, HOURS)):
        if seconds >= unit:
            return tr.plural(forms, seconds // unit)
    return tr.plural(MINUTES, seconds // 60)
