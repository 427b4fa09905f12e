"""Import Data pages (web/ui/import_pages.py): an order file uploaded and its report, a run's
progress polled while it runs and its counts when done; a reader is refused."""
from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from shopledger.services.sync import queue_run
from shopledger.services import sources
from tests.api.conftest import form, sign_in
from tests.builders import make_order_dict

pytestmark = pytest.mark.db


@pytest.mark.parametrize("lang", ["th", "en"])
def test_a_file_of_orders_and_its_report(client, lang):
    good = make_order_dict(external_id="F-1")
    bad = make_order_dict(external_id="F-2") | {"total": "abc"}
    body = json.dumps([good, bad]).encode()
    page = client.post(f"/import/file?lang={lang}", data=form(client), files={"file": ("orders.json", body, "application/json")})
    assert page.status_code == 200 and "orders.json" in page.text and "F-2" in page.text
    assert client.get(f"/import?lang={lang}").status_code == 200
    junk = client.post("/import/file?lang=en", data=form(client), files={"file": ("x.csv", b"\x00\x01", "text/csv")})
    assert junk.status_code == 200


def test_a_run_polls_while_it_runs_and_stops_when_done(client, engine):
    sources.add_source(engine, "shop", kind="shop-api", base_url="http://testserver/demo-shop", token="t")
    run_id = queue_run(engine, "shop")
    fragment = client.get(f"/import/run/progress?id={run_id}&lang=en").text
    assert 'hx-trigger="every 2s"' in fragment and "so far" in fragment
    assert client.get(f"/import/run?id={run_id}").status_code == 200
    assert "There is no such run." in client.get("/import/run?id=999&lang=en").text


def test_a_reader_may_not(app, engine):
    with TestClient(app, raise_server_exceptions=False) as c:
        sign_in(c, engine, "reader")
        assert c.get("/import").status_code == 403
        assert c.post("/import/file", data=form(c), files={"file": ("o.json", b"[]", "application/json")}).status_code == 403


def test_a_run_shows_orders_done_and_orders_a_second_as_the_cli_bar_counts_them(client, engine):
    from datetime import timedelta

    from shopledger.adapters.db import sync_repo
    from shopledger.adapters.db.engine import writing
    from shopledger.domain.clock import utc_now

    sources.add_source(engine, "shop", kind="shop-api", base_url="http://testserver/demo-shop", token="t")
    started = utc_now() - timedelta(seconds=20)
    run_id = queue_run(engine, "shop")
    with writing(engine) as conn:
        sync_repo.start_run(conn, run_id, None, started)
        sync_repo.add_progress(conn, run_id, pages=3, created=900, updated=50, unchanged=49,
                               failures=[{"external_id": "X", "reason": "no lines", "position": "page 2"}],
                               now=started + timedelta(seconds=5))
    running = client.get(f"/import/run/progress?id={run_id}&lang=en").text
    assert "3 pages, 1,000 orders so far" in running      # failed ones are done too, as on the bar
    assert "orders a second" in running
    with writing(engine) as conn:
        sync_repo.finish_run(conn, run_id, "succeeded", None, started + timedelta(seconds=10))
    done = client.get(f"/import/run/progress?id={run_id}&lang=th").text
    assert "100 คำสั่งซื้อต่อวินาที" in done and "hx-trigger" not in done


def test_a_run_whose_source_said_how_many_shows_of_how_many_and_the_time_left(client, engine):
    from datetime import timedelta

    from shopledger.adapters.db import sync_repo
    from shopledger.adapters.db.engine import writing
    from shopledger.domain.clock import utc_now

    sources.add_source(engine, "shop", kind="shop-api", base_url="http://testserver/demo-shop", token="t")
    started = utc_now() - timedelta(seconds=20)  # 1,000 orders in about 20 s: 50 a second
    run_id = queue_run(engine, "shop")
    with writing(engine) as conn:
        sync_repo.start_run(conn, run_id, None, started)
        sync_repo.add_progress(conn, run_id, pages=10, created=1000, updated=0, unchanged=0, failures=[],
                               expected=10_000, now=started + timedelta(seconds=20))
    running = client.get(f"/import/run/progress?id={run_id}&lang=en").text
    assert "10 pages, 1,000 of 10,000 orders." in running
    assert 'max="10000"' in running and 'value="1000"' in running  # the bar
    assert "About 3 minutes left." in running  # 9,000 to go at about 50 a second: 180-190 s
    thai = client.get(f"/import/run/progress?id={run_id}&lang=th").text
    assert "1,000 จาก 10,000 รายการ" in thai and "เหลืออีกประมาณ 3 นาที" in thai
    with writing(engine) as conn:
        sync_repo.finish_run(conn, run_id, "succeeded", None, started + timedelta(seconds=25))
    done = client.get(f"/import/run/progress?id={run_id}&lang=en").text
    assert "left." not in done and "<progress" not in done
