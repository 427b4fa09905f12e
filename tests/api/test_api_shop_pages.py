"""The shop's pages: orders (status badge, filter, stuck view), one order, stock, alerts,
sources with Import Data, and the sync runs."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from shopledger.adapters.db.engine import writing
from shopledger.adapters.db.settings_repo import write_settings
from shopledger.demo_shop.mounted import DEMO_TOKEN
from shopledger.services import order_changes as oc, products, sources
from shopledger.services.sync import run_source_sync
from tests.api.conftest import SELLER, form, take
from tests.builders import make_order_dict

pytestmark = pytest.mark.db
LONG_AGO = (datetime.now(timezone.utc) - timedelta(days=10)).isoformat()


def _page(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def _shop(engine):
    products.add_product(engine, "HONEY-1L", "น้ำผึ้งป่า 1 ลิตร", "350.00", "180.00", 5)
    products.receive_stock(engine, "HONEY-1L", 4, "180.00")
    take(engine, make_order_dict(external_id="S-1", placed_at=LONG_AGO, paid_at=LONG_AGO, updated_at=LONG_AGO),
         make_order_dict(external_id="U-1", payment_status="unpaid", paid_at=None))
    oc.change_order(engine, "import", "U-1", oc.ship("kerry", "KEX77"), "clerk")


def _demo_source(engine):
    sources.add_source(engine, "demo-shop", kind="shop-api", base_url="http://testserver/demo-shop", token=DEMO_TOKEN)


def test_every_page_is_in_the_nav(client):
    html = _page(client, "/")
    for href in ("/orders", "/stock", "/alerts", "/sources", "/sync-runs"):
        assert f'href="{href}"' in html


def test_orders_page_with_badges_a_filter_and_the_stuck_view(engine, client):
    _shop(engine)
    html = _page(client, "/orders")
    assert 'href="/orders/import/S-1"' in html and 'href="/orders/import/U-1"' in html
    assert 'data-status="to_ship"' in html and "รอจัดส่ง" in html and 'data-status="shipped"' in html
    assert '<option value="to_ship"' in html and "stuck=true" in html
    filtered = _page(client, "/orders?status=shipped")
    assert "import/U-1" in filtered and "import/S-1" not in filtered
    stuck = _page(client, "/orders?stuck=true")
    assert "import/S-1" in stuck and "import/U-1" not in stuck and "ยังไม่จัดส่ง" in stuck
    assert "ไม่รู้จักสถานะ" in _page(client, "/orders?status=lost")
    assert "Paid 10 days ago, not shipped" in _page(client, "/orders?stuck=true&lang=en")
    assert "is not a status we know" in _page(client, "/orders?status=lost")  # English is remembered


def test_order_page_with_timeline_documents_and_tracking_link(engine, client):
    _shop(engine)
    html = _page(client, "/orders/import/U-1")
    assert "คำสั่งซื้อ import:U-1" in html and 'data-status="shipped"' in html
    assert 'class="tracking"' in html and "KEX77" in html and "เคอรี่ เอ็กซ์เพรส" in html
    assert 'href="/documents/IV-' in html and "ใบแจ้งหนี้" in html
    assert "จัดส่งกับ เคอรี่ เอ็กซ์เพรส" in html and "clerk" in html
    assert "น้ำผึ้งป่า 1 ลิตร" in html and "ไม่พบ" in _page(client, "/orders/import/NOPE", status=404)
    english = _page(client, "/orders/import/U-1?lang=en")
    assert "Shipped with Kerry Express" in english and "fulfillment_status" not in english


def test_stock_page_highlights_low_and_oversold(engine, client):
    _shop(engine)
    html = _page(client, "/stock")
    assert 'class="low"' in html and "ใกล้หมด" in html           # 4 in, 2 + 2 reserved: 0 left of a level of 5
    assert 'class="oversold"' in html and "ขายเกินสต็อก" in html  # COMB-200 sold, never received


def test_alerts_page(engine, client):
    _shop(engine)
    html = _page(client, "/alerts")
    assert "คำสั่งซื้อค้าง" in html and 'href="/orders/import/S-1"' in html and "จัดส่ง หรือยกเลิกคำสั่งซื้อ" in html
    assert 'href="/orders?stuck=true&amp;rule=unshipped"' in html and "ยังไม่จัดส่งเกิน 2 วัน: 1 คำสั่งซื้อ" in html
    english = _page(client, "/alerts?lang=en")
    assert "Ship them or cancel them" in english and "1 order not shipped after 2 days" in english
    assert 'data-kind="oversell"' in html and 'data-kind="low_stock"' in html


def test_alerts_page_when_all_is_well(engine, client):
    with writing(engine) as conn:
        write_settings(conn, {"company": SELLER})
    assert "ไม่มีการแจ้งเตือน" in _page(client, "/alerts")


def test_alerts_page_says_the_company_is_not_set_up(client):
    html = _page(client, "/alerts")
    assert 'data-kind="company_not_set_up"' in html and "ยังไม่ได้ตั้งค่าบริษัท" in html
    assert "shopledger settings company" in html and "company_not_set_up<" not in html


def test_import_data_button_queues_a_run_and_follows_it(engine, client, queued_runs):
    _demo_source(engine)
    html = _page(client, "/sources")
    assert "demo-shop" in html and 'action="/sources/demo-shop/sync"' in html and "นำเข้าข้อมูล" in html
    assert "Import Data" in _page(client, "/sources?lang=en") and "นำเข้าข้อมูล" in _page(client, "/sources?lang=th")
    answer = client.post("/sources/demo-shop/sync", data=form(client), follow_redirects=False)
    # to the run's own page, which follows it live (htmx asks again while it is queued or running)
    assert answer.status_code == 303 and answer.headers["location"] == f"/import/run?id={queued_runs[0]}"
    assert len(queued_runs) == 1
    run = _page(client, answer.headers["location"])
    assert "รอคิว" in run and f'hx-get="/import/run/progress?id={queued_runs[0]}"' in run and 'every 2s' in run
    runs = _page(client, f"/sync-runs?queued={queued_runs[0]}")
    assert f'id="run-{queued_runs[0]}"' in runs and 'hx-trigger="every 3s"' in runs
    assert "ไม่พบ" in client.post("/sources/nope/sync", data=form(client)).text and queued_runs == [queued_runs[0]]


def test_a_post_from_another_site_is_refused(engine, client, queued_runs):
    _demo_source(engine)
    answer = client.post("/sources/demo-shop/sync", data=form(client), headers={"Origin": "https://evil.example"},
                         follow_redirects=False)
    assert answer.status_code == 403 and queued_runs == []


def test_sync_runs_page_shows_counts_and_failures(engine, client):
    _demo_source(engine)
    assert "ยังไม่เคยนำเข้า" in _page(client, "/sync-runs")
    sources.add_source(engine, "broken", kind="shop-api", base_url="http://testserver/demo-shop", token="wrong")
    assert run_source_sync(engine, "demo-shop", extra_settings={"http_client": client}).report.created == 30
    assert run_source_sync(engine, "broken", extra_settings={"http_client": client}).status == "failed"
    html = _page(client, "/sync-runs")
    assert 'id="run-1"' in html and '<td class="num" data-label="สร้างใหม่">30</td>' in html and "สำเร็จ" in html
    assert "broken" in html and "badge-void" in html and 'hx-trigger' not in html
