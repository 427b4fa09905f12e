"""Listing commands (interfaces.md, version 2): `--limit`/`--offset`; without them the table shows
the newest 100 and how many there are, and `--json` streams everything as one JSON array."""
from __future__ import annotations

import io
import json
import sys

import pytest

from shopledger.cli import output
from tests.builders import make_order_dict

pytestmark = pytest.mark.db
N = 105


@pytest.fixture
def shop(cli, tmp_path):
    path = tmp_path / "orders.ndjson"   # paid, not shipped, placed long ago: every one stuck
    path.write_text("".join(json.dumps(make_order_dict(external_id=f"O-{i:03d}"), ensure_ascii=False) + "\n"
                            for i in range(1, N + 1)), encoding="utf-8")
    cli("import", path, "--workers", 1)
    return cli


def _lines(result) -> list[str]:
    return result.stdout.strip().splitlines()


def test_the_table_shows_the_newest_100_and_says_how_many_there_are(shop):
    lines = _lines(shop("documents"))
    assert lines[-1] == f"showing 100 of {N} — use --limit/--offset"
    assert lines[1].startswith(f"RT-202611-{N:05d}") and len(lines) == 1 + 100 + 1
    orders = _lines(shop("orders"))
    assert orders[1].startswith(f"import:O-{N:03d}") and orders[-1] == f"showing 100 of {N} — use --limit/--offset"


def test_limit_and_offset(shop):
    lines = _lines(shop("documents", "--limit", 2, "--offset", 1))
    assert [line.split()[0] for line in lines[1:3]] == [f"RT-202611-{N - 1:05d}", f"RT-202611-{N - 2:05d}"]
    assert lines[-1] == f"showing 2-3 of {N} — use --limit/--offset"
    page = json.loads(shop("orders", "--json", "--limit", 3, "--offset", 100).stdout)
    assert [o["external_id"] for o in page] == ["O-005", "O-004", "O-003"]
    entries = _lines(shop("entries", "--limit", 1))
    assert entries[0].startswith(f"#{N} ") and entries[-1] == f"showing 1 of {N} — use --limit/--offset"
    assert _lines(shop("stock", "--limit", 1))[-1] == "showing 1 of 2 — use --limit/--offset"
    assert _lines(shop("sync-runs")) == ["(none)"]
    shop("documents", "--limit", 0, code=2)


def test_json_alone_is_everything_newest_first(shop):
    documents = json.loads(shop("documents", "--json").stdout)
    assert len(documents) == N and documents[0]["number"] == f"RT-202611-{N:05d}"
    orders = json.loads(shop("orders", "--json").stdout)
    assert [o["external_id"] for o in orders] == [f"O-{i:03d}" for i in range(N, 0, -1)]
    stuck = json.loads(shop("orders", "--stuck", "--rule", "unshipped", "--json").stdout)
    assert len(stuck) == N and stuck[0]["stuck"][0]["code"] == "unshipped"
    assert len(json.loads(shop("entries", "--json").stdout)) == N
    assert json.loads(shop("sync-runs", "--json").stdout) == []
    shop("orders", "--rule", "lost", "--json", code=2)


def test_alerts_are_grouped_by_kind_and_rule_with_counts(shop):
    lines = _lines(shop("alerts"))
    [stuck] = [line for line in lines if line.startswith("stuck_order")]
    assert stuck.split()[1:3] == ["unshipped", str(N)] and "shopledger orders --stuck --rule unshipped" in stuck
    assert len(lines) < 12   # a line per group, not one per order
    each = json.loads(shop("alerts", "--json").stdout)
    assert sum(a["kind"] == "stuck_order" for a in each) == N
    assert all(set(a) >= {"kind", "subject", "reason", "since", "action"} for a in each)
    assert len(_lines(shop("alerts", "--limit", 2))) == 1 + 2 + 1


def test_json_starts_before_the_last_item_is_read(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    seen_first = []

    def items():
        yield {"n": 1}
        seen_first.append(out.getvalue())
        yield {"n": 2}

    output.stream_json(items())
    assert seen_first == ['[\n{"n":1}']
    assert json.loads(out.getvalue()) == [{"n": 1}, {"n": 2}]
    out.seek(0), out.truncate()
    output.stream_json(iter(()))
    assert json.loads(out.getvalue()) == []


def test_orders_search(shop):
    lines = _lines(shop("orders", "--search", "o-10"))
    assert [line.split()[0] for line in lines[1:-1]] == [f"import:O-{i:03d}" for i in range(105, 99, -1)]
    assert lines[-1] == "6 in all"
    assert _lines(shop("orders", "--search", "081-234-5678", "--limit", 1))[-1] == f"showing 1 of {N} — use --limit/--offset"
    found = json.loads(shop("orders", "--search", "O-007", "--json").stdout)
    assert [o["external_id"] for o in found] == ["O-007"]
    assert json.loads(shop("orders", "--search", "nobody", "--status", "to_ship", "--json").stdout) == []
    refused = shop("orders", "--search", "x" * 301, code=2)
    assert "at most 300 characters" in refused.output
