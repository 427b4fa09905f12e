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
