"""Issue 7 (points 13-15) at the CLI: exit 2 for a file with no orders, a column twice or a
source name too long; exit 1 with the merchant's reason for one order past a limit."""
from __future__ import annotations

import json

import pytest

from tests.builders import make_order_dict

pytestmark = pytest.mark.db


@pytest.mark.parametrize(("name", "content", "said"), [
    ("orders.csv", "external_id,total,total\nA,1.00,1.00\n", "orders.csv: column total appears twice (total, total)"),
    ("orders.csv", "เลขที่คำสั่งซื้อ,ยอดรวม\n", "orders.csv: no orders in the file"),
    ("orders.json", "[]", "orders.json: no orders in the file"),
])
def test_a_file_with_a_column_twice_or_no_orders_exits_2(cli, tmp_path, name, content, said):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert said in cli("import", path, "--workers", 1, code=2).output


def test_a_source_name_too_long_exits_2_before_reading(cli, tmp_path):
    path = tmp_path / "orders.json"
    path.write_text(json.dumps([make_order_dict()]))
    output = cli("import", path, "--source", "s" * 101, "--workers", 1, code=2).output
    assert "must be 1 to 100 letters, digits" in output
    assert json.loads(cli("orders", "--json").stdout) == []


def test_one_order_past_a_limit_is_listed_and_the_rest_go_in(cli, tmp_path):
    path = tmp_path / "orders.ndjson"
    path.write_text("\n".join(json.dumps(o) for o in [make_order_dict(external_id="A"),
                                                         make_order_dict(external_id="B" * 250)]) + "\n")
    report = json.loads(cli("import", path, "--json", "--workers", 1, code=1).stdout)
    assert report["created"] == 1
    assert [f["reason"] for f in report["failed"]] == ["external_id is 250 characters long; at most 100 are accepted"]
