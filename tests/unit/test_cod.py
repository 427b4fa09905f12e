from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from shopledger.domain.accounting.journal import UnbalancedEntry
from shopledger.domain.errors import DomainError
from shopledger.domain.shipping.cod import (
    CodExpectation,
    CodOutstanding,
    RowProblem,
    StatementRow,
    age_bucket,
    cod_ageing,
    fee_vat,
    map_headers,
    match_rows,
    matched_entry,
    parse_paid_date,
    parse_statement,
    remittance_entry,
)

pytestmark = pytest.mark.unit

D = Decimal
RATE = D("0.07")


def row(line, tracking, cod, fee="0.00", paid_on=None):
    return StatementRow(line, tracking, D(cod), D(fee), paid_on)


@pytest.mark.parametrize("headers", [
    ["Tracking", "COD", "Fee", "Date"],
    ["tracking_no", "cod_amount", "cod_fee", "paid_date"],
    ["Tracking Number", "Amount", "COD Fee", "Date Paid"],
    ["TRACKING NO.", "COD Amount", "fee", "date_paid"],
    ["เลขพัสดุ", "ยอดเก็บเงิน", "ค่าธรรมเนียม", "วันที่โอน"],
])
def test_headers_are_matched_loosely_in_english_and_thai(headers):
    assert map_headers(headers) == dict(zip(["tracking", "cod", "fee", "date"], headers))


def test_unrelated_headers_are_ignored_and_the_first_alias_wins():
    assert map_headers(["Receiver", "Tracking", "AWB", "COD"]) == {"tracking": "Tracking", "cod": "COD"}


def test_parse_statement_reads_amounts_dates_and_reports_bad_rows():
    rows = [
        {"Tracking No": " kex 0001 ", "COD Amount": "1,250.00", "Fee": "-25.00", "Date Paid": "21/11/2569"},
        {"Tracking No": "FLA2", "COD Amount": "฿ 300", "Fee": "", "Date Paid": "2026-11-22 10:00:00"},
        {"Tracking No": "", "COD Amount": "100.00", "Fee": "1.00", "Date Paid": ""},
        {"Tracking No": "X3", "COD Amount": "12.345", "Fee": "0", "Date Paid": ""},
        {"Tracking No": "X4", "COD Amount": "10.00", "Fee": "0", "Date Paid": "31/02/2026"},
        {"Tracking No": "X5", "COD Amount": "0.00", "Fee": "0", "Date Paid": ""},
        {"Tracking No": " ", "COD Amount": "", "Fee": "", "Date Paid": ""},
    ]
    parsed = parse_statement(rows)
    assert parsed[0] == StatementRow(2, "KEX0001", D("1250.00"), D("25.00"), date(2026, 11, 21))
    assert parsed[1] == StatementRow(3, "FLA2", D("300.00"), D("0.00"), date(2026, 11, 22))
    assert parsed[2] == RowProblem(4, "", "no tracking number")
    assert isinstance(parsed[3], RowProblem) and "two decimal places" in parsed[3].reason
    assert isinstance(parsed[4], RowProblem) and "not a real day" in parsed[4].reason
    assert isinstance(parsed[5], RowProblem) and "not positive" in parsed[5].reason
    assert len(parsed) == 6                             # the blank row is skipped


def test_a_statement_without_fee_or_date_columns_still_parses():
    assert parse_statement([{"tracking": "A1", "cod": "10.00"}]) == [row(2, "A1", "10.00")]


def test_a_statement_without_a_tracking_column_is_refused_as_a_whole():
    with pytest.raises(DomainError) as raised:
        parse_statement([{"parcel": "A1", "cod": "10.00"}])
    assert raised.value.code == "statement_columns_missing"
    assert raised.value.details["missing"] == ["tracking"]


@pytest.mark.parametrize("text, expected", [
    ("2026-11-21", date(2026, 11, 21)), ("21/11/2026", date(2026, 11, 21)),
    ("1.2.2026", date(2026, 2, 1)), ("2569-11-21", date(2026, 11, 21)),
    ("2026-11-21T08:00:00+07:00", date(2026, 11, 21)), ("", None),
])
def test_paid_dates_are_day_first_or_year_first(text, expected):
    assert parse_paid_date(text) == expected


def test_a_date_that_is_not_a_date_is_an_error():
    with pytest.raises(ValueError):
        parse_paid_date("next tuesday")


EXPECTED = {
    "kex1": CodExpectation("import:BW-1", D("750.00")),
    "KEX2": CodExpectation("import:BW-2", D("300.00")),
    "KEX3": CodExpectation("import:BW-3", D("120.00"), remitted=True),
}


def test_match_rows_matches_by_normalized_tracking_and_explains_every_mismatch():
    rows = [
        row(2, "KEX1", "750.00", "15.00"),
        row(3, "KEX2", "310.00"),
        row(4, "KEX3", "120.00"),
        row(5, "NOPE", "50.00"),
        row(6, "KEX1", "750.00"),
        RowProblem(7, "BAD", "COD amount 'x' is not a decimal amount"),
    ]
    matched, mismatches = match_rows(rows, EXPECTED)
    assert [(m.row.tracking, m.order_key) for m in matched] == [("KEX1", "import:BW-1")]
    assert [(m.line, m.code, m.order_key) for m in mismatches] == [
        (3, "amount_differs", "import:BW-2"),
        (4, "already_remitted", "import:BW-3"),
        (5, "unknown_tracking", None),
        (6, "duplicate_row", "import:BW-1"),
        (7, "unreadable_row", None),
    ]
    reasons = [m.reason for m in mismatches]
    assert reasons[0] == "amount differs (expected 300.00, statement says 310.00)"
    assert reasons[2] == "unknown tracking number NOPE"
    assert "duplicate row in this statement" in reasons[3]


def test_fee_vat_is_the_vat_inside_the_fee_rounded_half_up():
    assert fee_vat(D("107.00"), RATE) == D("7.00")
    assert fee_vat(D("25.00"), RATE) == D("1.64")        # 1.6355... -> 1.64
    assert fee_vat(D("0.15"), RATE) == D("0.01")         # 0.00981 -> 0.01


def test_remittance_entry_books_bank_fee_input_vat_against_the_cod_receivable():
    draft = remittance_entry(date(2026, 11, 25), D("1050.00"), D("25.00"), RATE, "Kerry payout")
    lines = [(line.account, line.debit, line.credit) for line in draft.lines]
    assert lines == [
        ("111201", D("1025.00"), D("0.00")),
        ("521101", D("23.36"), D("0.00")),
        ("115101", D("1.64"), D("0.00")),
        ("113201", D("0.00"), D("1050.00")),
    ]
    assert sum(line.debit for line in draft.lines) == sum(line.credit for line in draft.lines)
    assert (draft.event, draft.date, draft.memo) == ("cod_remitted", date(2026, 11, 25), "Kerry payout")


def test_without_a_fee_the_remittance_is_bank_against_receivable_only():
    draft = remittance_entry(date(2026, 11, 25), D("300.00"), D("0.00"), RATE)
    assert [(line.account, line.debit, line.credit) for line in draft.lines] == [
        ("111201", D("300.00"), D("0.00")), ("113201", D("0.00"), D("300.00"))]


def test_a_merchant_not_vat_registered_expenses_the_whole_fee():
    draft = remittance_entry(date(2026, 11, 25), D("100.00"), D("10.70"), RATE, claim_vat=False)
    assert [line.account for line in draft.lines] == ["111201", "521101", "113201"]
    assert draft.lines[1].debit == D("10.70")


def test_a_fee_larger_than_the_cod_is_refused():
    with pytest.raises(DomainError) as raised:
        remittance_entry(date(2026, 11, 25), D("10.00"), D("11.00"), RATE)
    assert raised.value.code == "invalid_remittance"
    assert not isinstance(raised.value, UnbalancedEntry)


def test_matched_entry_totals_the_matched_rows_only():
    matched, _ = match_rows([row(2, "KEX1", "750.00", "15.00"), row(3, "KEX2", "300.00", "10.00"),
                             row(4, "NOPE", "99.00", "5.00")], EXPECTED)
    draft = matched_entry(date(2026, 11, 25), matched, RATE, "Kerry")
    assert draft.lines[-1].credit == D("1050.00")
    assert draft.lines[0].debit == D("1025.00")
    assert matched_entry(date(2026, 11, 25), [], RATE, "Kerry") is None


@pytest.mark.parametrize("days, bucket", [(0, "0-7"), (7, "0-7"), (8, "8-14"), (14, "8-14"),
                                          (15, "15-30"), (30, "15-30"), (31, ">30"), (-1, "0-7")])
def test_age_buckets_have_inclusive_edges(days, bucket):
    assert age_bucket(days) == bucket


def test_cod_ageing_groups_by_courier_and_bangkok_calendar_days():
    now = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)            # 1 Dec 09:00 in Bangkok
    rows = [
        CodOutstanding("import:1", "kerry", D("100.00"), now - timedelta(days=3)),
        CodOutstanding("import:2", "kerry", D("50.00"), now - timedelta(days=10)),
        CodOutstanding("import:3", "flash", D("20.00"), now - timedelta(days=40)),
        # 23 Nov 23:30 Bangkok is 8 calendar days before 1 Dec, though under 8 x 24 hours
        CodOutstanding("import:4", "kerry", D("5.00"), datetime(2026, 11, 23, 16, 30, tzinfo=timezone.utc)),
    ]
    flash, kerry = cod_ageing(rows, now)
    assert (flash.carrier, flash.amounts[">30"], flash.counts[">30"]) == ("flash", D("20.00"), 1)
    assert kerry.amounts == {"0-7": D("100.00"), "8-14": D("55.00"), "15-30": D("0.00"), ">30": D("0.00")}
    assert kerry.counts["8-14"] == 2
    assert kerry.total == D("155.00")
