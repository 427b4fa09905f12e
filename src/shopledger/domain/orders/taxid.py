"""Thai tax ids (เลขประจำตัวผู้เสียภาษีอากร) and branch numbers, as printed on a full tax invoice.

The 13-digit id carries a mod-11 check digit, which catches a mistyped digit or two swapped
neighbours before the id lands on a document that cannot be edited once issued.
"""
from __future__ import annotations

import operator

HEAD_OFFICE = "00000"
_WEIGHTS = tuple(range(13, 1, -1))

# Thai digits (๐-๙) are common in hand-typed Thai documents; they mean the same numbers.
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_SEPARATORS = str.maketrans("", "", " -")


def normalize_tax_id(text: str) -> str:
    """'0-1055-56012-34-1' or Thai digits -> '0105556012341'; no validation."""
    if text.isascii() and text.isdigit():
        return text  # the usual case; translate() costs microseconds per call
    return text.translate(_THAI_DIGITS).translate(_SEPARATORS)


def check_digit(first_twelve: str) -> int:
    """The 13th digit for twelve ASCII digits: (11 - sum(d[i] * (13 - i)) mod 11) mod 10."""
    weighted = sum(map(operator.mul, map(int, first_twelve), _WEIGHTS))
    return (11 - weighted % 11) % 10


def is_valid_tax_id(text: str) -> bool:
    """Exactly 13 ASCII digits whose last digit is the mod-11 check digit of the rest."""
    if len(text) != 13 or not (text.isascii() and text.isdigit()):
        return False
    return check_digit(text[:12]) == int(text[12])


def is_valid_branch(text: str) -> bool:
    """Five ASCII digits; '00000' is the head office (สำนักงานใหญ่)."""
    return len(text) == 5 and text.isascii() and text.isdigit()
