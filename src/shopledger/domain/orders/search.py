"""Finding an order by what a person has in hand: its number, the customer's name, a phone
number or a parcel's tracking number.

Each order keeps one folded text of those four (`search_text`, written with its row); a
search looks for each of a few forms of what was typed inside it (`needles`). Folding is the
same on both sides: Unicode NFKC, case folded, runs of white space made one space. A phone is
kept as its digits only, with +66 written as the leading 0 Thai numbers are dialled with, so
"081-234-5678", "081 234 5678" and "+66 81 234 5678" all find 0812345678. A tracking number is
kept without spaces (as couriers print it).
"""
from __future__ import annotations

import re
import unicodedata

from shopledger.domain.errors import DomainError
from shopledger.domain.limits import MAX_SEARCH

SEPARATOR = "\n"  # between the fields: never inside a folded needle, so no match spans two
MAX_SEARCH_TEXT = 600  # the column's length; the four fields' limits add up to less
_SPACES = re.compile(r"\s+")
_PHONE_LIKE = re.compile(r"[+\d\s().\-]+")
_MIN_PHONE_DIGITS = 3  # fewer digits than this are a number, not part of a phone


def fold(text: str) -> str:
    """Text as it is compared: NFKC, case folded, white space as single spaces, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text or "").casefold()).strip()


def phone_digits(text: str) -> str:
    """A phone number's digits (Thai digits too); +66 as the leading 0 dialled at home."""
    digits = "".join(str(unicodedata.decimal(ch)) for ch in text or "" if unicodedata.decimal(ch, None) is not None)
    if (text or "").lstrip().startswith("+66") and digits.startswith("66"):
        digits = "0" + digits[2:]
    return digits


def search_text(external_id: str, customer_name: str, phone: str, tracking_number: str) -> str:
    """What an order is found by, as stored beside it."""
    fields = (fold(external_id), fold(customer_name), phone_digits(phone), fold(tracking_number).replace(" ", ""))
    return SEPARATOR.join(fields)[:MAX_SEARCH_TEXT]


def needles(typed: str) -> tuple[str, ...]:
    """The forms of what was typed that an order's search text may contain; () for nothing typed.

    What was typed as folded; a latin text also without its spaces (a tracking number typed in
    groups); and, when it reads like a phone number, its digits."""
    if len(typed or "") > MAX_SEARCH:
        raise DomainError("invalid_search", f"a search is at most {MAX_SEARCH} characters", {"search": typed[:40]})
    folded = fold(typed)
    if not folded:
        return ()
    forms = [folded]
    if folded.isascii():  # a tracking number typed in groups (names keep their spaces)
        forms.append(folded.replace(" ", ""))
    if _PHONE_LIKE.fullmatch(folded):
        digits = phone_digits(folded)
        if len(digits) >= _MIN_PHONE_DIGITS:
            forms.append(digits)
    return tuple(dict.fromkeys(form for form in forms if form))
