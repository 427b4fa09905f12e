import json
import re
from datetime import datetime
from decimal import Decimal

import openpyxl
import pytest

from shopledger.adapters.connectors.file_writers import write_orders_csv, write_orders_xlsx
from shopledger.adapters.connectors.files import RawOrder, UnreadableFile, read_orders
from shopledger.domain.errors import InvalidOrder
from shopledger.domain.orders.interchange import parse_order
from tests.builders import make_order_dict

pytestmark = pytest.mark.unit

SHIPPED = {"carrier": "kerry", "tracking_number": "KEX0001234567", "shipped_at": "2026-11-21T09:00:00+07:00"}


def two_orders() -> list[dict]:
    return [make_order_dict(), make_order_dict(external_id="BW-100235", shipment=SHIPPED, customer={"name": "สมชาย"})]


def parsed(raws: list[RawOrder]):
    return [parse_order(raw.data, "file") for raw in raws]


# --- JSON -------------------------------------------------------------------------------------


def test_a_json_array_reads_item_by_item(tmp_path):
    path = tmp_path / "orders.json"
    path.write_text(json.dumps(two_orders(), ensure_ascii=False), encoding="utf-8")
    raws = list(read_orders(path))
    assert [(r.position, r.external_id, r.error) for r in raws] == [
        ("item 1", "BW-100234", None), ("item 2", "BW-100235", None)]
    assert parsed(raws) == [parse_order(order, "file") for order in two_orders()]


def test_a_single_json_object_is_one_order(tmp_path):
    path = tmp_path / "order.json"
    path.write_text("\ufeff  " + json.dumps(make_order_dict()), encoding="utf-8")
    (raw,) = read_orders(path)
    assert (raw.position, raw.external_id, raw.data) == ("item 1", "BW-100234", make_order_dict())


def test_json_numbers_arrive_as_decimal_so_money_as_a_number_is_refused(tmp_path):
    path = tmp_path / "orders.json"
    path.write_text(json.dumps([make_order_dict(total="X")]).replace('"X"', "850.10"))
    (raw,) = read_orders(path)
    assert raw.data["total"] == Decimal("850.10") and not isinstance(raw.data["total"], float)
    with pytest.raises(InvalidOrder, match='total must be a decimal string like "350.50", not the number 850.10'):
        parse_order(raw.data, "file")


def test_an_item_that_is_not_an_object_is_an_error_and_the_rest_still_reads(tmp_path):
    path = tmp_path / "orders.json"
    path.write_text(json.dumps([42, make_order_dict()]))
    first, second = read_orders(path)
    assert (first.position, first.error) == ("item 1", "not a JSON object (an order)")
    assert second.data == make_order_dict()


def test_broken_json_in_an_array_keeps_what_came_before(tmp_path):
    path = tmp_path / "orders.json"
    path.write_text(json.dumps(two_orders())[:-200])
    raws = list(read_orders(path))
    assert [r.external_id for r in raws[:1]] == ["BW-100234"] and raws[0].data is not None
    assert raws[-1].position == "item 2" and raws[-1].data is None
    assert raws[-1].error.startswith("not valid JSON (") and raws[-1].error.endswith("; the rest of the file was not read")


def test_bytes_that_are_not_utf8_in_a_json_array_are_reported_on_one_line(tmp_path):
    path = tmp_path / "orders.json"
    path.write_bytes(b'[{"external_id": "A\xff"}, {"external_id": "B"}]')
    with pytest.raises(UnreadableFile) as caught:  # broken before its first order: nothing to read
        read_orders(path)
    assert str(caught.value).startswith("orders.json: not valid JSON (") and "\n" not in str(caught.value)


# --- NDJSON -----------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".ndjson", ".jsonl"])
def test_ndjson_reads_past_a_broken_line_and_skips_blank_ones(tmp_path, suffix):
    first, second = two_orders()
    path = tmp_path / f"orders{suffix}"
    path.write_text("\n".join([json.dumps(first), "", '{"external_id": "BW-X", ', json.dumps(second), ""]))
    raws = list(read_orders(path))
    assert [(r.position, r.external_id) for r in raws] == [("line 1", "BW-100234"), ("line 3", None), ("line 4", "BW-100235")]
    assert raws[1].error.startswith("not valid JSON") and raws[1].data is None
    assert parsed([raws[0], raws[2]]) == [parse_order(first, "file"), parse_order(second, "file")]


def test_ndjson_reports_a_line_that_is_not_utf8(tmp_path):
    path = tmp_path / "orders.ndjson"
    path.write_bytes("ก".encode("cp874") + b"\n" + json.dumps(make_order_dict()).encode())
    bad, good = read_orders(path)
    assert (bad.position, bad.error, good.external_id) == ("line 1", "not UTF-8 text", "BW-100234")


# --- CSV --------------------------------------------------------------------------------------


@pytest.mark.parametrize("thai_headers", [False, True])
def test_csv_rows_of_one_order_become_one_order(tmp_path, thai_headers):
    path = tmp_path / "orders.csv"
    write_orders_csv(two_orders(), path, thai_headers=thai_headers)
    raws = list(read_orders(path))
    assert [(r.position, r.external_id, r.error) for r in raws] == [
        ("rows 2-3", "BW-100234", None), ("rows 4-5", "BW-100235", None)]
    assert parsed(raws) == [parse_order(order, "file") for order in two_orders()]


def test_csv_with_a_bom_reads_its_first_column(tmp_path):
    path = tmp_path / "orders.csv"
    write_orders_csv([make_order_dict()], path, bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    (raw,) = read_orders(path)
    assert parse_order(raw.data, "file") == parse_order(make_order_dict(), "file")


HAND_WRITTEN = """\
 External ID ,Channel,Placed-At,updated at,PAYMENT_STATUS,fulfillment status,payment method,currency,customer name,SKU,Name,Qty,Unit Price,Line Discount,Shipping Fee,Total,Ignored Column
A-1,line,2026-11-20T10:15:00+07:00,2026-11-20T10:15:00+07:00,unpaid,unfulfilled,cod,THB,สมหญิง,HONEY-1L,น้ำผึ้ง,2,350.00,,50.00,870.00,x
A-1,,,,,,,,,COMB-200,รวงผึ้ง,1,120.00,,,,y

A-2,pos,2026-11-20T11:00:00+07:00,2026-11-20T11:00:00+07:00,unpaid,unfulfilled,cash,THB,Walk-in,HONEY-1L,น้ำผึ้ง,1,350.00,50.00,,300.00,
"""


def test_csv_headers_are_matched_loosely_and_blank_repeats_are_fine(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    raws = list(read_orders(path))
    assert [raw.position for raw in raws] == ["rows 2-3", "row 5"]
    orders = parsed(raws)
    assert [line.sku for line in orders[0].lines] == ["HONEY-1L", "COMB-200"]
    assert orders[0].total == Decimal("870.00") and orders[0].shipment is None
    assert orders[1].lines[0].discount == Decimal("50.00") and orders[1].customer.name == "Walk-in"


THAI = """\
เลขที่คำสั่งซื้อ,ช่องทาง,วันที่สั่งซื้อ,วันที่แก้ไขล่าสุด,สถานะการชำระเงิน,สถานะการจัดส่ง,วิธีชำระเงิน,สกุลเงิน,ชื่อลูกค้า,เลขประจำตัวผู้เสียภาษี,รหัสสินค้า,ชื่อสินค้า,จำนวน,ราคาต่อหน่วย,ค่าจัดส่ง,ส่วนลด,ยอดรวม
T-1,facebook,2026-11-20T10:15:00+07:00,2026-11-20T10:15:00+07:00,unpaid,unfulfilled,promptpay,THB,บริษัท ก จำกัด,0105556012341,HONEY-1L,น้ำผึ้ง,2,350.00,40.00,10.00,1060.00
T-1,facebook,2026-11-20T10:15:00+07:00,2026-11-20T10:15:00+07:00,unpaid,unfulfilled,promptpay,THB,บริษัท ก จำกัด,0105556012341,WAX-1,ขี้ผึ้ง,1,330.00,40.00,10.00,1060.00
"""


def test_csv_with_thai_headers(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(THAI, encoding="utf-8")
    (order,) = parsed(list(read_orders(path)))
    assert [(line.sku, line.quantity) for line in order.lines] == [("HONEY-1L", 2), ("WAX-1", 1)]
    assert (order.shipping_fee, order.discount, order.total) == (Decimal("40.00"), Decimal("10.00"), Decimal("1060.00"))
    assert (order.customer.tax_id, order.customer.branch) == ("0105556012341", "00000")


def test_rows_of_one_order_that_disagree_are_an_error(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(THAI.replace("1060.00\n", "1070.00\n", 2).replace("1070.00", "1060.00", 1), encoding="utf-8")
    (raw,) = read_orders(path)
    assert (raw.position, raw.data) == ("rows 2-3", None)
    assert raw.error == "total is '1060.00' on row 2 but '1070.00' on row 3"


def test_rows_of_one_order_that_are_not_together_are_an_error(tmp_path):
    path = tmp_path / "orders.csv"
    first, second = two_orders()
    write_orders_csv([first, second, make_order_dict(lines=first["lines"][:1], total="750.00")], path)
    raws = list(read_orders(path))
    assert [(r.position, r.external_id) for r in raws] == [
        ("rows 2-3", "BW-100234"), ("rows 4-5", "BW-100235"), ("row 6", "BW-100234")]
    assert raws[2].data is None
    assert raws[2].error == ("the rows of order BW-100234 are not together (it also appears on earlier rows); "
                             "sort the file by external_id")


def test_a_row_without_external_id_is_an_error(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("external_id,sku\n,HONEY-1L\n", encoding="utf-8")
    (raw,) = read_orders(path)
    assert (raw.position, raw.error) == ("row 2", "no external_id on this row")


# --- XLSX -------------------------------------------------------------------------------------


@pytest.mark.parametrize("thai_headers", [False, True])
def test_xlsx_written_by_the_helper_reads_back_the_same_orders(tmp_path, thai_headers):
    path = tmp_path / "orders.xlsx"
    write_orders_xlsx(two_orders(), path, thai_headers=thai_headers)
    raws = list(read_orders(path))
    assert [(r.position, r.external_id) for r in raws] == [("rows 2-3", "BW-100234"), ("rows 4-5", "BW-100235")]
    assert parsed(raws) == [parse_order(order, "file") for order in two_orders()]


def test_xlsx_numbers_and_dates_become_interchange_text(tmp_path):
    path = tmp_path / "orders.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["external_id", "placed_at", "customer_tax_id", "customer_branch", "quantity", "unit_price", "total",
                  "shipping_fee", "prices_include_vat"])
    sheet.append([100234, datetime(2026, 11, 20, 10, 15), 105556012341, 0, 2.0, 350.1, 99.99999999999999, 0.5, False])
    workbook.save(path)
    (raw,) = read_orders(path)
    assert raw.external_id == "100234"
    assert raw.data["placed_at"] == "2026-11-20T10:15:00+07:00"
    assert raw.data["customer"] == {"tax_id": "0105556012341", "branch": "00000"}
    assert raw.data["lines"] == [{"quantity": "2", "unit_price": "350.10"}]
    assert (raw.data["total"], raw.data["shipping_fee"], raw.data["prices_include_vat"]) == ("100.00", "0.50", "false")


# --- files that cannot be read ----------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "message"), [
    ("orders.txt", b"{}", "unknown file type"),
    ("orders.json", b"", "the file is empty"),
    ("orders.json", b"42", "not JSON"),
    ("orders.json", b"hello", "not JSON"),
    ("orders.csv", b"", "no header row"),
    ("orders.csv", b"sku,quantity\nHONEY-1L,2\n", "no external_id column (the header row has: sku, quantity)"),
    ("orders.csv", "เลขที่คำสั่งซื้อ,รหัสสินค้า\nก,ข\n".encode("cp874"), "not UTF-8 CSV text (in Excel, save as 'CSV UTF-8')"),
    ("orders.xlsx", b"this is not a workbook", "not a readable XLSX workbook"),
])
def test_unreadable_files_raise_at_the_call(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=re.escape(message)):
        read_orders(path)


def test_a_missing_file_is_unreadable(tmp_path):
    with pytest.raises(UnreadableFile, match="no such file"):
        read_orders(tmp_path / "missing.csv")
