"""Issue 7 (points 11, 13, 15): what a file may hold before it is read. Nesting, one record's
size and a workbook's unpacked size are bounded; a file with no orders, or a column twice,
is refused as a whole; one bad record in a stream fails alone."""
from __future__ import annotations

import json
import re
import zipfile

import openpyxl
import pytest

from shopledger.adapters.connectors import files
from shopledger.adapters.connectors.file_writers import write_orders_csv, write_orders_xlsx
from shopledger.adapters.connectors.files import UnreadableFile, read_orders
from shopledger.domain import limits
from tests.builders import make_order_dict

pytestmark = pytest.mark.unit

NESTED = "nested too deeply (more than 20 levels of brackets)"


def _orders(n: int, **overrides) -> list[dict]:
    return [make_order_dict(external_id=f"A-{i}", **overrides) for i in range(1, n + 1)]


def _ndjson(tmp_path, lines: list[str]):
    path = tmp_path / "orders.ndjson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- nesting (point 11) -----------------------------------------------------------------------


def test_a_json_file_nested_too_deeply_is_unreadable(tmp_path):
    path = tmp_path / "orders.json"
    path.write_text("[" * 5000 + "]" * 5000)
    with pytest.raises(UnreadableFile, match=re.escape(f"orders.json: {NESTED}")):
        read_orders(path)


def test_a_single_object_nested_too_deeply_is_unreadable(tmp_path):
    path = tmp_path / "order.json"
    path.write_text('{"external_id": "A", "x": ' + "[" * 100 + "]" * 100 + "}")
    with pytest.raises(UnreadableFile, match=re.escape(NESTED)):
        read_orders(path)


def test_an_item_nested_too_deeply_after_good_ones_keeps_them_and_stops_there(tmp_path):
    good = json.dumps(_orders(2))[1:-1]
    path = tmp_path / "orders.json"
    path.write_text("[" + good + ", " + "[" * 100 + "]" * 100 + ", " + good + "]")
    raws = list(read_orders(path))
    assert [r.external_id for r in raws[:2]] == ["A-1", "A-2"] and all(r.data for r in raws[:2])
    assert (raws[2].position, raws[2].error) == ("item 3", f"{NESTED}; the rest of the file was not read")


def test_twenty_levels_are_fine_and_brackets_in_texts_do_not_count(tmp_path):
    order = make_order_dict(note='[{"' * 2000 + '\\' * 3, extra=json.loads("[" * 19 + "]" * 19))
    path = tmp_path / "orders.json"
    path.write_text(json.dumps([order] * 30))  # several read buffers: texts cross their edges
    raws = list(read_orders(path))
    assert len(raws) == 30 and all(r.data == order for r in raws)
    ndjson = _ndjson(tmp_path, [json.dumps(order)])
    assert [r.data for r in read_orders(ndjson)] == [order]


def test_a_string_with_escaped_quotes_across_buffer_edges_does_not_confuse_the_count(tmp_path):
    order = make_order_dict(note=('a\\"[' * 7001) + '"' + "{" * 50)
    path = tmp_path / "orders.json"
    path.write_text(json.dumps([order, order, order]))
    assert [r.data for r in read_orders(path)] == [order] * 3


def _with_long_number(good: dict) -> str:
    return "[" + json.dumps(good) + ', {"external_id": "N", "total": ' + "9" * 5000 + "}]"


@pytest.mark.parametrize("starts_at", [None, 65536 - 50])  # the long number inside one read, or across two
def test_a_json_number_with_thousands_of_digits_stops_the_file_before_the_parser_crashes(tmp_path, starts_at):
    good = make_order_dict(external_id="A", note="")
    if starts_at is not None:
        good["note"] = "x" * (starts_at - _with_long_number(good).index("9" * 100))
    path = tmp_path / "orders.json"
    path.write_text(_with_long_number(good))
    first, second = read_orders(path)  # ijson's C parser kills the process on 4,301 digits
    assert first.data == good
    assert (second.position, second.error) == ("item 2", "a number in it has more than 100 digits; the rest of the file was not read")


def test_a_nested_ndjson_line_fails_alone(tmp_path):
    good = [json.dumps(o) for o in _orders(2)]
    path = _ndjson(tmp_path, [good[0], "[" * 200000 + "]" * 200000, good[1],
                              json.dumps(make_order_dict(external_id="N", refunds="X")).replace('"X"', "[" * 3000 + "]" * 3000)])
    raws = list(read_orders(path))
    assert [(r.position, r.external_id, r.error) for r in raws] == [
        ("line 1", "A-1", None), ("line 2", None, NESTED), ("line 3", "A-2", None), ("line 4", None, NESTED)]


# --- one record's size (point 11) -------------------------------------------------------------


def test_an_ndjson_line_larger_than_a_record_fails_alone(tmp_path):
    big = json.dumps(make_order_dict(external_id="BIG", note="x" * limits.MAX_RECORD_BYTES))
    path = _ndjson(tmp_path, [big, json.dumps(make_order_dict())])
    first, second = read_orders(path)
    assert (first.position, first.error) == ("line 1", "larger than 1 MB, more than one order can be")
    assert second.external_id == "BW-100234" and second.position == "line 2"


def test_a_json_item_larger_than_a_record_stops_the_file_there(tmp_path):
    items = [make_order_dict(external_id="A"), make_order_dict(external_id="BIG", note="x" * 1_200_000),
             make_order_dict(external_id="C")]
    path = tmp_path / "orders.json"
    path.write_text(json.dumps(items))
    first, second = read_orders(path)
    assert first.external_id == "A"
    assert second.error == "larger than 1 MB, more than one order can be; the rest of the file was not read"


def test_an_ndjson_number_with_thousands_of_digits_is_a_reason(tmp_path):
    path = _ndjson(tmp_path, ['{"external_id": "N", "total": ' + "9" * 5000 + "}", json.dumps(make_order_dict())])
    first, second = read_orders(path)
    assert first.error == "not valid JSON (a number in it has more than 100 digits)" and second.data


def test_a_csv_order_with_too_many_rows_is_one_failure(tmp_path):
    path = tmp_path / "orders.csv"
    line = {"sku": "S", "name": "n", "quantity": 1, "unit_price": "1.00"}
    write_orders_csv([make_order_dict(external_id="MANY", lines=[line] * 1001, total="1001.00"),
                      make_order_dict()], path)
    first, second = read_orders(path)
    assert first.error == "lines: 1,001 of them, more than the 1,000 accepted in one order"
    assert second.external_id == "BW-100234" and second.data


# --- workbooks (point 13) ---------------------------------------------------------------------


def test_a_workbook_that_unpacks_past_the_limit_is_unreadable_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "orders.xlsx"
    write_orders_xlsx(_orders(2), path)
    unpacked = sum(info.file_size for info in zipfile.ZipFile(path).infolist())
    monkeypatch.setattr(limits, "MAX_WORKBOOK_BYTES", unpacked - 1)
    monkeypatch.setattr(files, "python_calamine", None)  # refused before the workbook is opened
    with pytest.raises(UnreadableFile, match=r"orders.xlsx: the workbook unpacks to 0 MB, more than the 0 MB accepted"):
        read_orders(path)


# --- no orders at all (point 13) --------------------------------------------------------------


def _header_only_xlsx(path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["external_id", "total"])
    workbook.save(path)


@pytest.mark.parametrize(("name", "write"), [
    ("orders.json", lambda p: p.write_text("[]")),
    ("orders.json", lambda p: p.write_text("  [ \n ] ")),
    ("orders.ndjson", lambda p: p.write_text("\n\n  \n")),
    ("orders.csv", lambda p: p.write_text("external_id,total\n")),
    ("orders.csv", lambda p: p.write_text("external_id,total\n,\n , \n")),
    ("orders.xlsx", _header_only_xlsx),
])
def test_a_file_without_a_single_order_says_so(tmp_path, name, write):
    path = tmp_path / name
    write(path)
    with pytest.raises(UnreadableFile, match=re.escape(f"{name}: no orders in the file")):
        read_orders(path)


# --- duplicate columns (point 15) -------------------------------------------------------------


@pytest.mark.parametrize("header", ["external_id,total,total", "external_id,total,ยอดรวม", "order_id,external_id,total"])
def test_a_column_twice_is_refused(tmp_path, header):
    path = tmp_path / "orders.csv"
    path.write_text(header + "\nA,1.00,2.00\n", encoding="utf-8")
    column = "external_id" if header.startswith("order_id") else "total"
    with pytest.raises(UnreadableFile, match=re.escape(f"orders.csv: column {column} appears twice")):
        read_orders(path)


def test_a_column_twice_in_a_workbook_is_refused(tmp_path):
    path = tmp_path / "orders.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["external_id", "Total", "ยอดรวม"])
    workbook.active.append(["A", "1.00", "2.00"])
    workbook.save(path)
    with pytest.raises(UnreadableFile, match=re.escape("column total appears twice (Total, ยอดรวม)")):
        read_orders(path)


# --- reasons in the merchant's words, never a Python error's text -----------------------------


@pytest.mark.parametrize(("tail", "reason"), [
    (b'B,1.00,"' + b"x" * 200_000 + b'"\n', "a cell is longer than 131,072 characters; the rest of the file was not read"),
    (b"B,1.00,\xff\xfe\n", "not UTF-8 text from here on (in Excel, save as 'CSV UTF-8'); the rest of the file was not read"),
])
def test_a_csv_that_breaks_part_way_says_so_in_words(tmp_path, tail, reason):
    path = tmp_path / "orders.csv"
    path.write_bytes(b"external_id,total,note\nA,1.00,fine\n" + b"C,1.00,x\n" * 3000 + tail + b"D,1.00,after\n")
    raws = list(read_orders(path))
    assert raws[0].external_id == "A" and raws[0].data
    assert raws[-1].error == reason


def test_a_workbook_that_cannot_be_read_says_so_without_the_readers_words(tmp_path):
    path = tmp_path / "orders.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(UnreadableFile) as caught:
        read_orders(path)
    assert str(caught.value) == "orders.xlsx: not a readable XLSX workbook (open it in Excel and save it again, or save it as CSV UTF-8)"
