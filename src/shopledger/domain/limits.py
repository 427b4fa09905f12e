"""How big anything sent to shopledger may be: the one place every door takes its bounds from.

docs/limits.md lists them with the reasons a merchant reads. Why these numbers:

- Amounts: the books add satang up in BIGINT (at most 9,223,372,036,854,775,807). Ten million
  orders at the largest total are 10^18 satang, so a whole ledger's sums keep nine times that
  in hand, and a trial balance never overflows.
- Texts: each is bounded by the column it lands in (adapters/db/tables.py) and by the longest
  text built from it (a stock movement's cause names the source, the order and the refund),
  so SQLite, which does not enforce lengths, and PostgreSQL, which does, take or refuse the
  same order, with a reason instead of an SQL error.
- Shape: nesting, one record's size and a workbook's unpacked size bound the memory one file
  can take, whatever is in it.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from shopledger.domain.clock import BANGKOK

MAX_AMOUNT = Decimal("100000000.00")  # a price, cost, shipping fee, line discount, COD fee
MAX_TOTAL = Decimal("1000000000.00")  # an order's total, discount or refund; one goods-in; a COD amount
MAX_QUANTITY = 1_000_000  # of one order line, refund line or goods-in
MAX_STOCK = 1_000_000_000  # of one product on hand, counted, or its low-stock level (INTEGER columns)
MAX_LINES = 1_000  # of one order, and of one refund
MAX_REFUNDS = 100  # of one order

EARLIEST = datetime(2000, 1, 1, tzinfo=BANGKOK)
MAX_AHEAD = timedelta(days=365)
_EARLIEST_UTC = EARLIEST.astimezone(timezone.utc)  # compared in UTC: no zone rules looked up per date

MAX_EXTERNAL_ID = 100
MAX_REFUND_ID = 64  # "refund {id} on order {source}:{external_id} restocked" fits 300
MAX_SOURCE = 100
MAX_SKU = 100
MAX_NAME = 300  # a customer's or a product's name
MAX_EMAIL = 254
MAX_PHONE = 50
MAX_ADDRESS = 500
MAX_NOTE = 2_000
MAX_CARRIER = 60
MAX_TRACKING = 40  # a Thai tracking number URL-quoted stays inside the 500 of tracking_url
MAX_REF = 100  # a supplier's invoice number on a goods-in or a count
MAX_URL = 500
MAX_SECRET = 200
MAX_TOKEN = 500
MAX_ACTOR = 120
MAX_TEXT = 200  # any other text field (an enum value, a currency)
MAX_SEARCH = 300  # what is typed into an order search: no stored name is longer

MAX_DEPTH = 20  # levels of [ and { in one record; an order needs 5
MAX_RECORD_BYTES = 1_000_000  # one order as written in a file (about 4,000 lines)
MAX_WORKBOOK_BYTES = 200_000_000  # an XLSX unpacked (about 150,000 rows)
MAX_NUMBER_DIGITS = 100  # in a JSON file; the JSON reader crashes past 4,300

MAX_DOCUMENT_IMAGE = 1_000_000  # bytes of the logo or the signature printed on every document
MAX_PDF_BATCH = 2_000  # documents in one batch PDF (a month, a day, a list): about 2 minutes to render
MAX_ORDER_FILE_UPLOAD = 1_000_000_000  # bytes of an order file sent to Import Data (about a million orders)
MAX_REQUEST_BYTES = 16_000_000  # bytes of any other request: a form, a logo, a COD statement, a JSON body
MAX_PRINTED_ORDERS = 200  # orders ticked for one PDF of their documents: about half a minute to render

NESTED_TOO_DEEPLY = f"nested too deeply (more than {MAX_DEPTH} levels of brackets)"
RECORD_TOO_LARGE = f"larger than {MAX_RECORD_BYTES // 1_000_000} MB, more than one order can be"
TOO_MANY_DIGITS = f"a number in it has more than {MAX_NUMBER_DIGITS} digits"
UNREADABLE_ORDER = "could not be read: a value in it is not in a form shopledger can take; check its fields"
NOT_BOOKED = "could not be booked because of a problem on our side (logged for support); import it again later"

# Characters no database column can hold the same way on SQLite and PostgreSQL: NUL, and
# halves of a UTF-16 pair that JSON's \ud800 escapes can produce.
SOURCE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,%d}" % (MAX_SOURCE - 1))
NOT_TEXT = re.compile("[\x00\ud800-\udfff]")


def clip(text: str, length: int = 40) -> str:
    """A value as a reason quotes it: whole when short, cut with "..." when not."""
    return text if len(text) <= length else text[:length - 3] + "..."


def number_text(value: int | Decimal) -> str:
    """A number as a reason shows it, however many digits it came with."""
    if isinstance(value, int) and value.bit_length() > 200:
        return "a number of more than 60 digits"
    return clip(str(value), 30)


def amount_problem(field: str, amount: Decimal, limit: Decimal = MAX_AMOUNT, shown: str | None = None) -> str | None:
    if amount.copy_abs() <= limit:  # abs() would round to the context and overflow on 1e999999999
        return None
    return f"{field} {shown or number_text(amount)} is more than {limit:,.2f}, the most accepted; check the figure"


def quantity_problem(field: str, quantity: int, limit: int = MAX_QUANTITY) -> str | None:
    if quantity <= limit:
        return None
    return f"{field} {number_text(quantity)} is more than {limit:,}, the most accepted; check the figure"


def count_problem(field: str, count: int, limit: int) -> str | None:
    """Too many of something in one record (lines, refunds)."""
    return None if count <= limit else f"{field}: {count:,} of them, more than the {limit:,} accepted in one order"


def text_problem(field: str, text: str, limit: int = MAX_TEXT) -> str | None:
    if len(text) > limit:
        return f"{field} is {len(text):,} characters long; at most {limit:,} are accepted"
    if NOT_TEXT.search(text):
        return f"{field} contains a character that is not text (a NUL or a broken \\u escape); remove it"
    return None


def path_segment_problem(field: str, text: str) -> str | None:
    """An id that is only dots is dropped from every web address ("/orders/src/.." is
    "/orders"), so the order could never be opened; anything else is reachable."""
    if text.strip(".") == "":
        return f"{field} {text!r} cannot be only dots; give the order a real id"
    return None


def source_name_problem(name: str) -> str | None:
    """Orders are keyed and addressed by their source's name: letters, digits, '-', '_', '.'."""
    if not SOURCE_NAME.fullmatch(name) or name.strip(".") == "":
        return (f"source name {clip(name)!r} must be 1 to {MAX_SOURCE} letters, digits, '-', '_' or '.' "
                "and start with a letter or digit")
    return None


def instant_problem(field: str, moment: datetime, now: datetime) -> str | None:
    if _EARLIEST_UTC <= moment <= now + MAX_AHEAD:
        return None
    return out_of_range_date(field, moment.astimezone(BANGKOK).date().isoformat())


def out_of_range_date(field: str, shown: str) -> str:
    return f"{field} {clip(shown)} is not between {EARLIEST.date().isoformat()} and a year from now; check the year"


def workbook_too_large(unpacked: int) -> str:
    return (f"the workbook unpacks to {unpacked / 1_000_000:,.0f} MB, more than the "
            f"{MAX_WORKBOOK_BYTES // 1_000_000} MB accepted; save it as CSV (UTF-8) or split it")
