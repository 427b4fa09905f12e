"""Issue 7 (points 11-13): hostile files through the real `shopledger import`, each in a child
process under a 1 GiB address-space cap (a 400 KB file of brackets once grew the importer
to 22 GiB; never run one uncapped on a shared machine). The child's peak memory is checked."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from shopledger.adapters.connectors.file_writers import write_orders_xlsx
from tests.builders import make_order_dict

pytestmark = pytest.mark.db

CAP = 1 << 30  # bytes of address space the child may take
SHOPLEDGER = Path(sys.executable).parent / "shopledger"


# Linux counts the spawning process's own high-water RSS into a child's ru_maxrss at exec, so the
# child is started by a small Python process and its peak read there: what this test process
# grew to running earlier tests never counts as the importer's.
_MEASURE = ("import resource, subprocess, sys\n"
            "code = subprocess.call(sys.argv[2:])\n"
            "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
            "sys.exit(code)\n")


def run_capped(db: Path, *args: str, timeout: float = 120) -> tuple[int, str, str, float]:
    """`shopledger ARGS` under prlimit: (exit code, stdout, stderr, peak RSS in MB)."""
    env = dict(os.environ, SHOPLEDGER_DATABASE_URL=f"sqlite:///{db}")
    out, err, peak = db.with_suffix(".out"), db.with_suffix(".err"), db.with_suffix(".peak")
    with out.open("wb") as stdout, err.open("wb") as stderr:
        child = subprocess.Popen([sys.executable, "-c", _MEASURE, str(peak), "prlimit", f"--as={CAP}", str(SHOPLEDGER),
                                  *args], env=env, stdout=stdout, stderr=stderr, start_new_session=True)
        killer = threading.Timer(timeout, lambda: os.killpg(child.pid, 9))
        killer.start()
        try:
            _, status, _ = os.wait4(child.pid, 0)
        finally:
            killer.cancel()
    child.returncode = os.waitstatus_to_exitcode(status)
    peak_kb = int(peak.read_text()) if peak.exists() else 0
    return child.returncode, out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8"), peak_kb / 1024


@pytest.fixture
def db(tmp_path, sqlite_template) -> Path:
    path = tmp_path / "shop.db"
    shutil.copy(sqlite_template, path)
    return path


def _no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text and "Error:" not in text, text


def test_a_file_of_nested_brackets_is_unreadable_in_little_memory(db, tmp_path):
    path = tmp_path / "orders.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    code, out, err, peak_mb = run_capped(db, "import", str(path), "--workers", "1")
    assert code == 2, (out, err)
    assert "orders.json: nested too deeply (more than 20 levels of brackets)" in err
    _no_traceback(out, err)
    assert peak_mb < 200, peak_mb
    print(f"nested JSON array: peak {peak_mb:.0f} MB")


def test_hostile_ndjson_lines_fail_alone_and_the_good_orders_go_in(db, tmp_path):
    good = [make_order_dict(external_id=f"G-{i}") for i in range(3)]
    hostile = [
        "[" * 200_000 + "]" * 200_000,
        json.dumps(make_order_dict(external_id="DEEP", note="X")).replace('"X"', "[" * 3000 + "]" * 3000),
        json.dumps(make_order_dict(external_id="E309", total="X")).replace('"X"', "1e309"),
        json.dumps(make_order_dict(external_id="Q64", lines=[{"sku": "A", "name": "a", "quantity": 2 ** 64,
                                                             "unit_price": "1.00"}], total="1.00")),
        json.dumps(make_order_dict(external_id="Y9999", updated_at="9999-12-31T23:00:00-05:00")),
        json.dumps(make_order_dict(external_id="Y0001", placed_at="0001-01-01T00:00:00+07:00")),
        json.dumps(make_order_dict(external_id="BIG", note="x" * 1_100_000)),
    ]
    path = tmp_path / "orders.ndjson"
    path.write_text("\n".join([json.dumps(good[0])] + hostile[:4] + [json.dumps(good[1])] + hostile[4:]
                              + [json.dumps(good[2])]) + "\n", encoding="utf-8")
    code, out, err, peak_mb = run_capped(db, "import", str(path), "--json", "--workers", "2")
    assert code == 1, (out, err)
    report = json.loads(out)
    assert report["created"] == 3, report
    reasons = {(f["position"], f["external_id"]): f["reason"] for f in report["failed"]}
    assert reasons[("line 2", None)] == reasons[("line 3", None)] == "nested too deeply (more than 20 levels of brackets)"
    assert "total 1E+309 is more than 1,000,000,000.00" in reasons[("line 4", "E309")]
    assert "quantity 18446744073709551616 is more than 1,000,000" in reasons[("line 5", "Q64")]
    assert "is not between 2000-01-01 and a year from now" in reasons[("line 7", "Y9999")]
    assert "is not between 2000-01-01 and a year from now" in reasons[("line 8", "Y0001")]
    assert reasons[("line 9", None)] == "larger than 1 MB, more than one order can be"
    assert len(reasons) == 7
    _no_traceback(out, err)
    assert peak_mb < 300, peak_mb
    print(f"hostile NDJSON lines: peak {peak_mb:.0f} MB")


def test_a_workbook_that_unpacks_to_hundreds_of_megabytes_is_refused_unread(db, tmp_path):
    plain = tmp_path / "plain.xlsx"
    write_orders_xlsx([make_order_dict()], plain)
    bomb = tmp_path / "orders.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info, data)
                continue
            cut = data.index(b"</sheetData>")
            with target.open(info.filename, "w", force_zip64=True) as sheet:
                sheet.write(data[:cut])
                block = b" " * (1 << 20)
                for _ in range(210):  # 210 MB of blanks: well under 1 MB on disk
                    sheet.write(block)
                sheet.write(data[cut:])
    assert bomb.stat().st_size < 1_000_000
    code, out, err, peak_mb = run_capped(db, "import", str(bomb), "--workers", "1")
    assert code == 2, (out, err)
    assert "orders.xlsx: the workbook unpacks to 220 MB, more than the 200 MB accepted" in err
    _no_traceback(out, err)
    assert peak_mb < 200, peak_mb
    print(f"XLSX zip bomb: peak {peak_mb:.0f} MB")


def test_an_order_file_nested_too_deeply_exits_2_with_the_reason(db, tmp_path):
    path = tmp_path / "order.json"
    path.write_text('{"external_id": "A", "lines": ' + "[" * 100_000 + "]" * 100_000 + "}")
    code, out, err, peak_mb = run_capped(db, "order", "create", str(path))
    assert code == 2, (out, err)
    assert "order.json: nested too deeply (more than 20 levels of brackets)" in err
    _no_traceback(out, err)
    assert peak_mb < 200, peak_mb
