"""Issue 7 (points 11, 13, 15) over REST: POST /imports answers an unreadable file with 422
problem+json and a hostile record with its reason, and the server lives on. Hostile bodies go
to an app in a child process under a 1 GiB address-space cap (one once took a server down)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from shopledger.services.tokens import create_token
from tests.builders import make_order_dict

pytestmark = pytest.mark.db

CAP = 1 << 30

# The app as tests/api/conftest.py builds it, posting each (filename, path) given; one JSON
# answer a line, then the child's peak memory.
_CHILD = """
import json, sys
from fastapi.testclient import TestClient
from shopledger.adapters.db.engine import make_engine
from shopledger.bootstrap import load_connectors
from shopledger.web.app import create_app

load_connectors()
url, token, *uploads = sys.argv[1:]
app = create_app(make_engine(url), demo_shop=False, extra_hosts=("testserver",))
with TestClient(app, raise_server_exceptions=False) as client:
    for upload in uploads:
        with open(upload, "rb") as body:
            answer = client.post("/api/v1/imports", headers={"Authorization": f"Bearer {token}"},
                                 files={"file": (upload.rsplit("/", 1)[-1], body, "application/octet-stream")})
        print(json.dumps({"status": answer.status_code, "type": answer.headers["content-type"], "body": answer.json()}))
# VmHWM, not ru_maxrss: Linux carries the spawning test worker's high-water mark into a child's
# ru_maxrss at exec, while VmHWM belongs to this process's own memory alone.
print(next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024)
"""


def post_capped(db_url: str, token: str, *paths) -> tuple[list[dict], float]:
    child = subprocess.run(["prlimit", f"--as={CAP}", sys.executable, "-c", _CHILD, db_url, token, *map(str, paths)],
                           capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert child.returncode == 0, child.stderr
    *answers, peak = child.stdout.strip().splitlines()
    return [json.loads(answer) for answer in answers], float(peak)


@pytest.fixture
def token(engine) -> str:
    return create_token(engine, "robot", "admin")


def test_a_file_of_nested_brackets_is_422_and_the_next_upload_is_taken(db_url, token, tmp_path):
    nested, good = tmp_path / "orders.json", tmp_path / "good.json"
    nested.write_text("[" * 200_000 + "]" * 200_000)
    good.write_text(json.dumps([make_order_dict()]))
    (refused, taken), peak_mb = post_capped(db_url, token, nested, good)
    assert refused["status"] == 422 and refused["type"].startswith("application/problem+json")
    assert refused["body"]["code"] == "unreadable_file"
    assert refused["body"]["detail"] == "orders.json: nested too deeply (more than 20 levels of brackets)"
    assert (taken["status"], taken["body"]["created"]) == (200, 1)
    assert peak_mb < 300, peak_mb
    print(f"REST nested upload: peak {peak_mb:.0f} MB")


def test_a_nested_ndjson_line_fails_alone_over_rest(db_url, token, tmp_path):
    path = tmp_path / "orders.ndjson"
    deep = json.dumps(make_order_dict(external_id="DEEP", note="X")).replace('"X"', "[" * 5000 + "]" * 5000)
    path.write_text("\n".join([json.dumps(make_order_dict(external_id="A")), deep,
                               json.dumps(make_order_dict(external_id="B"))]) + "\n")
    (answer,), _ = post_capped(db_url, token, path)
    assert answer["status"] == 200, answer
    assert answer["body"]["created"] == 2
    assert answer["body"]["failed"] == [{"external_id": None, "position": "line 2",
                                         "reason": "nested too deeply (more than 20 levels of brackets)"}]


@pytest.mark.parametrize(("filename", "content", "detail"), [
    ("orders.csv", "external_id,total,ยอดรวม\nA,1.00,1.00\n", "orders.csv: column total appears twice (total, ยอดรวม)"),
    ("orders.json", "[]", "orders.json: no orders in the file"),
    ("orders.csv", "external_id,total\n", "orders.csv: no orders in the file"),
])
def test_a_column_twice_or_no_orders_is_422(client, admin, filename, content, detail):
    answer = client.post("/api/v1/imports", headers=admin,
                         files={"file": (filename, content.encode(), "application/octet-stream")})
    assert answer.status_code == 422
    assert (answer.json()["code"], answer.json()["detail"]) == ("unreadable_file", detail)
