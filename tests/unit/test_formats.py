"""The one way pages show money, numbers, days, instants, months and lengths of time, in Thai
(Buddhist era) and in English (web/ui/formats.py)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from shopledger.web.ui import formats

pytestmark = pytest.mark.unit
THAI_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("value, shown", [
    ("1234.5", "฿1,234.50"), (Decimal("1234567.89"), "฿1,234,567.89"), (0, "฿0.00"), ("0.00", "฿0.00"),
    ("-50", "-฿50.00"), (Decimal("-1234.56"), "-฿1,234.56"), (850, "฿850.00"), (None, ""), ("", ""),
])
def test_money_is_baht_with_two_places_in_both_languages(lang, value, shown):
    assert formats.money(value, lang) == shown


def test_numbers_are_grouped():
    assert formats.number(1234, "th") == formats.number(1234, "en") == "1,234"
    assert formats.number(-8, "en") == "-8" and formats.number(None, "th") == ""


@pytest.mark.parametrize("value", [date(2026, 11, 27), "2026-11-27", datetime(2026, 11, 27, 9, 30)])
def test_a_day_is_buddhist_era_in_thai_and_gregorian_in_english(value):
    assert formats.day(value, "th") == "27 พ.ย. 2569"
    assert formats.day(value, "en") == "27 Nov 2026"


def test_every_thai_month_is_abbreviated_as_thai_writes_it():
    assert [formats.day(date(2027, m, 1), "th") for m in range(1, 13)] == [f"1 {m} 2570" for m in THAI_MONTHS]
    assert formats.day(date(2026, 1, 5), "en") == "5 Jan 2026"


def test_an_instant_is_shown_in_bangkok_time():
    late_utc = datetime(2026, 11, 26, 20, 5, tzinfo=timezone.utc)  # 03:05 on the 27th in Bangkok
    assert formats.moment(late_utc, "th") == "27 พ.ย. 2569 03:05"
    assert formats.moment("2026-11-26T20:05:00+00:00", "en") == "27 Nov 2026 03:05"
    assert formats.day(late_utc, "en") == "27 Nov 2026"
    assert formats.moment("2026-11-27", "th") == "27 พ.ย. 2569" and formats.moment(None, "en") == ""


def test_a_month():
    assert formats.month("2026-11", "th") == "พ.ย. 2569" and formats.month("2026-01", "en") == "Jan 2026"


def test_a_documents_own_date_writes_the_thai_month_in_full():
    assert formats.document_date("2026-11-20") == "20 พฤศจิกายน 2569"
    assert formats.document_date(date(2027, 1, 1)) == "1 มกราคม 2570"


@pytest.mark.parametrize("length, th, en", [
    (timedelta(days=3), "3 วัน", "3 days"), (timedelta(days=1, hours=5), "1 วัน", "1 day"),
    (timedelta(hours=5), "5 ชั่วโมง", "5 hours"), (timedelta(hours=1), "1 ชั่วโมง", "1 hour"),
    (timedelta(seconds=90), "1 นาที", "1 minute"), (0, "0 นาที", "0 minutes"),
])
def test_a_length_of_time_from_the_catalogue(length, th, en):
    assert formats.duration(length, "th") == th and formats.duration(length, "en") == en


@pytest.mark.parametrize("lang", ["th", "en"])
@given(amount=st.decimals(min_value=Decimal("-1000000000"), max_value=Decimal("1000000000"), places=4,
                          allow_nan=False, allow_infinity=False))
def test_money_writes_what_babel_would_in_the_pages_locale(lang, amount):
    """money() formats with Python for speed; Babel's '#,##0.00' in the locale stays the reference."""
    babel = format_decimal(abs(amount), format="#,##0.00", locale=formats.BABEL_LOCALES[lang], decimal_quantization=True)
    assert formats.money(amount, lang) == ("-฿" if amount < 0 else "฿") + babel
