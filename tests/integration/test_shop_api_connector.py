"""The shop-api connector against the demo shop, in-process (httpx2 transport, no socket).

One test per fault row of shared/spec/shop-api.md, paging, and orders.md's mapping tables.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import httpx2
import pytest

from shopledger.adapters.connectors.shop_api import KIND, ShopApiConnector, build_shop_api, wire_instant
from shopledger.adapters.connectors.shop_orders import channel_for, map_shop_order
from shopledger.demo_shop import Fault, ShopStore, shop_transport
from shopledger.demo_shop.store import stamp
from shopledger.domain.errors import InvalidOrder
from shopledger.domain.sync.connector import (
    CONNECTORS,
    Connector,
    MalformedPage,
    PulledPage,
    PulledRecord,
    SourceUnavailable,
    TokenRejected,
    UnknownConnector,
    load_connector_modules,
    resume_from,
)

pytestmark = pytest.mark.unit

TOKEN = "tok-9f8e7d6c5b4a-secret"
BASE = "http://shop.test"
T0 = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)


# --- builders ----------------------------------------------------------------------------------


def shop_order(number: int, *, status: int = 3, minutes: int | None = None, **overrides) -> dict:
    """A valid shop-format order; `minutes` after T0 is its updated_at (default: its number)."""
    updated = T0 + timedelta(minutes=number if minutes is None else minutes)
    order = {
        "order_id": str(100000 + number),
        "order_no": f"BW-{100000 + number}",
        "order_status_id": status,
        "order_from": 0,
        "payment_method": "bank_transfer",
        "created_at": stamp(T0 - timedelta(days=1)),
        "updated_at": stamp(updated),
        "paid_at": None,
        "cancelled_at": None,
        "customer": {"name": "สมชาย ใจดี", "email": "s@example.com", "phone": "0812345678",
                     "tax_id": "", "branch": "", "address": "กรุงเทพมหานคร"},
        "items": [{"sku": "HONEY-1L", "name": "น้ำผึ้งป่า 1 ลิตร", "qty": 2, "price": "350.00", "discount": "0.00"}],
        "shipping_cost": "50.00",
        "discount": "0.00",
        "grand_total": "750.00",
        "shipping_company": None,
        "tracking_no": None,
        "shipped_at": None,
    }
    order.update(overrides)
    return order


def shop_with(count: int) -> ShopStore:
    store = ShopStore(clock=lambda: T0 + timedelta(days=1))
    for number in range(1, count + 1):
        store.upsert(shop_order(number))
    return store


class Sleeps(list):
    """The injected sleep: remembers every wait instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def connector(store: ShopStore, *, token: str = TOKEN, transport=None, **options) -> ShopApiConnector:
    client = httpx2.Client(transport=transport or shop_transport(store, TOKEN), timeout=5.0)
    options.setdefault("sleep", Sleeps())
    return ShopApiConnector(BASE, token, client, **options)


def records_of(pages: list[PulledPage]) -> list[PulledRecord]:
    return [record for page in pages for record in page.records]


class Recording(httpx2.BaseTransport):
    def __init__(self, inner: httpx2.BaseTransport, fail_first: list[Exception] | None = None):
        self.inner, self.requests, self.fail_first = inner, [], list(fail_first or [])

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        if self.fail_first:
            raise self.fail_first.pop(0)
        return self.inner.handle_request(request)


# --- paging and the request ----------------------------------------------------------------------


def test_pages_until_last_page_with_the_request_the_spec_shows():
    store = shop_with(250)
    recording = Recording(shop_transport(store, TOKEN))
    since = datetime(2026, 11, 19, 17, 0, tzinfo=timezone.utc)

    pages = list(connector(store, transport=recording).pull(since))

    assert [(p.number, len(p.records), p.last_page) for p in pages] == [(1, 100, False), (2, 100, False), (3, 50, True)]
    assert [p.expected for p in pages] == [250, 250, 250]  # meta.total: what time left is worked out from
    first = recording.requests[0]
    assert str(first.url) == f"{BASE}/api/v1/orders?updated_from=2026-11-20T00%3A00%3A00%2B07%3A00&page=1&limit=100"
    assert first.headers["Authorization"] == f"Bearer {TOKEN}"
    assert first.headers["Accept"] == "application/json"
    assert [r.url.params["page"] for r in recording.requests] == ["1", "2", "3"]
    assert pages[1].max_updated_at == T0 + timedelta(minutes=200)
    assert len({r.external_id for r in records_of(pages)}) == 250


def test_without_a_cursor_everything_is_asked_for():
    store = shop_with(3)
    pages = list(connector(store).pull(None))
    assert "updated_from" not in store.requests[0]
    assert [r.external_id for r in records_of(pages)] == ["BW-100001", "BW-100002", "BW-100003"]


def test_an_empty_shop_gives_one_empty_last_page():
    pages = list(connector(ShopStore()).pull(None))
    assert pages == [PulledPage(1, [], None, True, expected=0)]


@pytest.mark.parametrize("meta, expected", [
    ({"last_page": 1, "total": 1}, 1),
    ({"last_page": 1}, None),                   # a shop that does not count: no time left, nothing else
    ({"last_page": 1, "total": "1"}, None),
    ({"last_page": 1, "total": True}, None),
    ({"last_page": 1, "total": -5}, None),
    ({"last_page": 1, "total": 10**15}, None),
])
def test_the_count_a_page_gives_is_taken_only_when_it_is_a_count(meta, expected):
    body = json.dumps({"data": [shop_order(1)], "meta": meta}, default=str).encode()
    transport = httpx2.MockTransport(lambda request: httpx2.Response(200, content=body))
    pages = list(connector(ShopStore(), transport=transport).pull(None))
    assert [p.expected for p in pages] == [expected]


def test_since_must_carry_an_offset():
    with pytest.raises(ValueError):
        list(connector(shop_with(1)).pull(datetime(2026, 11, 20)))


def test_the_cursor_is_sent_in_bangkok_time_floored_to_the_second():
    assert wire_instant(datetime(2026, 11, 20, 1, 2, 3, 999999, tzinfo=timezone.utc)) == "2026-11-20T08:02:03+07:00"


# --- fault: 401 --------------------------------------------------------------------------------


def test_401_stops_the_run_with_token_rejected_and_nothing_more_is_asked():
    store = shop_with(250)
    sleeps = Sleeps()
    pages = connector(store, sleep=sleeps).pull(None)
    first = next(pages)
    store.inject(Fault.http(401))

    with pytest.raises(TokenRejected) as caught:
        next(pages)

    assert first.number == 1 and not first.last_page
    assert caught.value.code == "token_rejected" and caught.value.page == 2
    assert "token rejected" in str(caught.value) and "page 2" in str(caught.value)
    assert len(store.requests) == 2 and sleeps == []  # no retry
    assert list(pages) == []  # the run is over


def test_a_wrong_token_is_rejected_on_the_first_page():
    store = shop_with(3)
    with pytest.raises(TokenRejected) as caught:
        list(connector(store, token="not-the-token").pull(None))
    assert caught.value.page == 1
    assert "not-the-token" not in str(caught.value)


# --- fault: 429 --------------------------------------------------------------------------------


def test_429_waits_the_retry_after_then_retries():
    store = shop_with(3)
    store.inject(Fault.rate_limited(7))
    sleeps = Sleeps()

    pages = list(connector(store, sleep=sleeps).pull(None))

    assert sleeps == [7.0]
    assert len(records_of(pages)) == 3
    assert [r["page"] for r in store.requests] == ["1", "1"]


def test_429_wait_is_bounded_by_max_wait():
    store = shop_with(1)
    store.inject(Fault.rate_limited(3600))
    sleeps = Sleeps()
    list(connector(store, sleep=sleeps, max_wait=30.0).pull(None))
    assert sleeps == [30.0]


def test_429_with_an_http_date_or_no_retry_after():
    store = shop_with(1)
    soon = datetime.now(timezone.utc) + timedelta(seconds=20)
    store.inject(Fault.rate_limited(soon.strftime("%a, %d %b %Y %H:%M:%S GMT")), Fault.rate_limited(None))
    sleeps = Sleeps()
    list(connector(store, sleep=sleeps).pull(None))
    assert 15 <= sleeps[0] <= 20
    assert sleeps[1] == 2.0  # no Retry-After: the ordinary backoff for a second retry


def test_429_forever_ends_as_source_unavailable():
    store = shop_with(1)
    store.inject(*[Fault.rate_limited(1)] * 10)
    with pytest.raises(SourceUnavailable, match="429"):
        list(connector(store, max_retries=2).pull(None))
    assert len(store.requests) == 3


# --- fault: 5xx, timeouts, dropped connections ------------------------------------------------


def test_5xx_is_retried_with_backoff_then_succeeds():
    store = shop_with(3)
    store.inject(Fault.http(500), Fault.http(503))
    sleeps = Sleeps()

    pages = list(connector(store, sleep=sleeps).pull(None))

    assert sleeps == [1.0, 2.0]
    assert len(records_of(pages)) == 3


def test_5xx_forever_fails_with_source_unavailable_after_bounded_tries():
    store = shop_with(250)
    sleeps = Sleeps()
    pages = connector(store, sleep=sleeps, max_retries=5, max_wait=6.0).pull(None)
    imported = next(pages)  # what was already imported stays imported
    store.inject(*[Fault.http(502)] * 20)

    with pytest.raises(SourceUnavailable) as caught:
        next(pages)

    assert len(imported.records) == 100
    assert len(store.requests) == 1 + 6  # page 1, then page 2 tried 1 + max_retries times
    assert sleeps == [1.0, 2.0, 4.0, 6.0, 6.0]  # exponential, capped at max_wait
    error = caught.value
    assert error.code == "source_unavailable" and error.page == 2 and error.attempts == 6
    assert "page 2" in str(error) and "HTTP 502" in str(error)


def test_a_timeout_is_retried_then_succeeds():
    store = shop_with(3)
    store.inject(Fault.delay(60))  # longer than the client's 5 s read timeout
    sleeps = Sleeps()
    pages = list(connector(store, sleep=sleeps).pull(None))
    assert sleeps == [1.0] and len(records_of(pages)) == 3


def test_timeouts_forever_fail_with_source_unavailable():
    store = shop_with(3)
    store.inject(*[Fault.delay(60)] * 10)
    with pytest.raises(SourceUnavailable, match="ReadTimeout") as caught:
        list(connector(store, max_retries=3).pull(None))
    assert caught.value.attempts == 4 and len(store.requests) == 4


@pytest.mark.parametrize("error", [httpx2.ConnectError, httpx2.ReadError, httpx2.RemoteProtocolError])
def test_a_dropped_connection_is_retried(error):
    store = shop_with(3)
    recording = Recording(shop_transport(store, TOKEN), fail_first=[error("dropped"), error("dropped")])
    sleeps = Sleeps()
    pages = list(connector(store, transport=recording, sleep=sleeps).pull(None))
    assert sleeps == [1.0, 2.0] and len(records_of(pages)) == 3


def test_a_status_retrying_cannot_fix_fails_at_once():
    store = shop_with(3)
    store.inject(Fault.http(404))
    sleeps = Sleeps()
    with pytest.raises(SourceUnavailable, match="HTTP 404") as caught:
        list(connector(store, sleep=sleeps).pull(None))
    assert caught.value.attempts == 1 and sleeps == []


def test_a_request_that_cannot_be_made_is_our_error_not_httpx2s():
    shop = ShopApiConnector("ftp://shop.test", TOKEN, httpx2.Client(), sleep=Sleeps())
    with pytest.raises(SourceUnavailable, match="UnsupportedProtocol"):
        list(shop.pull(None))


# --- fault: 200 with a body that is not the shape ------------------------------------------------


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"<html>maintenance</html>", "not JSON"),
        (b"[]", "not a JSON object"),
        (b'{"meta": {"last_page": 3}}', "'data' list"),
        (b'{"data": {}, "meta": {"last_page": 3}}', "'data' list"),
        (b'{"data": []}', "'meta' object"),
        (b'{"data": [], "meta": {"page": 2}}', "last_page"),
    ],
)
def test_a_malformed_page_fails_the_run_naming_the_page(body, reason):
    store = shop_with(250)
    pages = connector(store).pull(None)
    next(pages)
    store.inject(Fault.malformed(body))

    with pytest.raises(MalformedPage) as caught:
        next(pages)

    assert caught.value.code == "malformed_page" and caught.value.page == 2
    assert "page 2" in str(caught.value) and reason in str(caught.value)


def test_a_body_that_cannot_be_decoded_is_a_malformed_page():
    def garbage(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, stream=httpx2.ByteStream(b"not gzip"), headers={"Content-Encoding": "gzip"})

    transport = httpx2.MockTransport(garbage)
    with pytest.raises(MalformedPage, match="page 1"):
        list(connector(ShopStore(), transport=transport).pull(None))


# --- fault: one order that cannot be mapped ------------------------------------------------------


def test_an_unmappable_order_is_a_failed_record_and_the_others_map():
    store = shop_with(3)
    store.upsert(shop_order(2, status=99))

    (page,) = list(connector(store).pull(None))

    by_id = {record.external_id: record for record in page.records}
    bad = by_id["BW-100002"]
    assert bad.data is None and not bad.ok and "order_status_id 99" in bad.error
    assert bad.updated_at == T0 + timedelta(minutes=2)  # still counts for the cursor
    assert [r.ok for r in page.records] == [True, False, True]
    assert page.max_updated_at == T0 + timedelta(minutes=3)


def test_an_entry_that_is_not_an_object_is_a_failed_record():
    good = shop_order(1)
    body = httpx2.Response(200, json={"data": ["junk", good], "meta": {"last_page": 1}})
    transport = httpx2.MockTransport(lambda request: body)
    (page,) = list(connector(ShopStore(), transport=transport).pull(None))
    assert page.records[0] == PulledRecord(None, None, "the entry is not a JSON object")
    assert page.records[1].ok


# --- fault: the same order on two pages ----------------------------------------------------------


def test_an_order_changed_while_paging_is_yielded_twice_and_nothing_is_skipped():
    store = shop_with(5)
    pages_iter = connector(store, page_size=2).pull(None)
    first = next(pages_iter)
    store.inject(Fault.touch("100001"))  # changes just before page 2 is read

    pages = [first, *pages_iter]

    versions = [r.updated_at for r in records_of(pages) if r.external_id == "BW-100001"]
    assert len(versions) >= 2 and versions[0] < versions[1]
    newest = max(versions)
    assert newest == datetime.fromisoformat(store.get("100001")["updated_at"])
    # Offset paging shifted BW-100003 into page 1 after it was read; the re-scan finds it.
    assert {r.external_id for r in records_of(pages)} == {f"BW-10000{n}" for n in range(1, 6)}
    assert [p.last_page for p in pages].count(True) == 1 and pages[-1].last_page


def test_without_a_rescan_offset_paging_would_skip_the_shifted_order():
    store = shop_with(5)
    pages_iter = connector(store, page_size=2, max_passes=1).pull(None)
    first = next(pages_iter)
    store.inject(Fault.touch("100001"))
    seen = {r.external_id for r in records_of([first, *pages_iter])}
    assert "BW-100003" not in seen  # why pull() re-reads when it sees an order move


# --- mapping: orders.md's tables -----------------------------------------------------------------

PAID_AT, SHIPPED_AT = "2026-11-20T11:00:00+07:00", "2026-11-21T09:00:00+07:00"


@pytest.mark.parametrize(
    "status, timestamps, payment, fulfillment, cancelled",
    [
        (1, {}, "unpaid", "unfulfilled", False),
        (2, {}, "verifying", "unfulfilled", False),
        (3, {"paid_at": PAID_AT}, "paid", "unfulfilled", False),
        (4, {}, "unpaid", "unfulfilled", True),
        (4, {"paid_at": PAID_AT, "shipped_at": SHIPPED_AT}, "paid", "shipped", True),
        (5, {"paid_at": PAID_AT}, "paid", "unfulfilled", True),
        (5, {"paid_at": PAID_AT, "shipped_at": SHIPPED_AT}, "paid", "shipped", True),
        (6, {"paid_at": PAID_AT}, "refunded", "unfulfilled", True),
        (6, {"paid_at": PAID_AT, "shipped_at": SHIPPED_AT}, "refunded", "shipped", True),
        (7, {"paid_at": PAID_AT, "shipped_at": SHIPPED_AT}, "paid", "shipped", False),
        (14, {}, "unpaid", "unfulfilled", False),
        (15, {"shipped_at": SHIPPED_AT}, "unpaid", "shipped", False),
        (16, {"paid_at": PAID_AT, "shipped_at": SHIPPED_AT}, "paid", "shipped", False),
    ],
)
def test_status_ids_map_onto_the_two_axes(status, timestamps, payment, fulfillment, cancelled):
    raw = shop_order(1, status=status, **timestamps)
    data = map_shop_order(raw)
    assert (data["payment_status"], data["fulfillment_status"]) == (payment, fulfillment)
    assert data["cancelled_at"] == (raw["updated_at"] if cancelled else None)


def test_a_cancelled_order_keeps_the_shops_cancelled_at():
    data = map_shop_order(shop_order(1, status=4, cancelled_at="2026-11-20T12:00:00+07:00"))
    assert data["cancelled_at"] == "2026-11-20T12:00:00+07:00"


@pytest.mark.parametrize("status", [0, 8, 13, 17, 99, "abc", None, True])
def test_an_unknown_status_id_cannot_be_mapped(status):
    with pytest.raises(InvalidOrder, match="unknown order_status_id") as caught:
        map_shop_order(shop_order(1, status=status))
    assert caught.value.external_id == "BW-100001"


@pytest.mark.parametrize(
    "code, channel",
    [(0, "website"), (1, "website"), (2, "facebook"), (3, "pos"), (4, "pos"), (5, "other"),
     (6, "lazada"), (7, "shopee"), (8, "other"), (9, "line"), (10, "tiktok"), (11, "website"),
     (12, "other"), (99, "other"), (-1, "other"), (None, "other"), ("7", "shopee"), (True, "other")],
)
def test_order_from_codes_map_onto_channels(code, channel):
    assert channel_for(code) == channel
    assert map_shop_order(shop_order(1, order_from=code))["channel"] == channel


def test_the_spec_example_maps_field_by_field():
    raw = shop_order(1, status=3, order_from=2, paid_at=PAID_AT, shipping_company="kerry",
                     tracking_no="KEX0001234567", customer={"name": "บริษัท น้ำผึ้งดี จำกัด", "tax_id": "0105556012341",
                                                            "branch": "00000", "email": None})
    data = map_shop_order(raw)
    assert data == {
        "external_id": "BW-100001", "channel": "facebook",
        "placed_at": raw["created_at"], "updated_at": raw["updated_at"],
        "payment_status": "paid", "fulfillment_status": "unfulfilled", "cancelled_at": None,
        "payment_method": "bank_transfer", "paid_at": PAID_AT, "currency": "THB", "prices_include_vat": True,
        "customer": {"name": "บริษัท น้ำผึ้งดี จำกัด", "tax_id": "0105556012341", "branch": "00000", "email": ""},
        "lines": [{"sku": "HONEY-1L", "name": "น้ำผึ้งป่า 1 ลิตร", "quantity": 2, "unit_price": "350.00", "discount": "0.00"}],
        "shipping_fee": "50.00", "discount": "0.00", "total": "750.00",
        # a tracking number before shipping: the shipment is known, the order is not shipped
        "shipment": {"carrier": "kerry", "tracking_number": "KEX0001234567", "shipped_at": None},
        "refunds": [], "note": "",
    }


def test_no_carrier_and_no_tracking_number_means_no_shipment():
    assert map_shop_order(shop_order(1))["shipment"] is None


@pytest.mark.parametrize(
    "method, status, expected",
    [("promptpay", 3, "promptpay"), ("PromptPay", 3, "promptpay"), ("linepay", 3, "other"),
     (None, 1, "other"), ("linepay", 14, "cod"), ("cod", 15, "cod")],
)
def test_payment_methods_pass_through_and_unknown_ones_are_other(method, status, expected):
    assert map_shop_order(shop_order(1, status=status, payment_method=method))["payment_method"] == expected


@pytest.mark.parametrize(
    "overrides, reason",
    [({"order_no": None}, "order_no"), ({"updated_at": "yesterday"}, "updated_at"),
     ({"updated_at": "2026-11-20T10:00:00"}, "updated_at"), ({"items": None}, "items"),
     ({"items": ["HONEY-1L"]}, "items"), ({"customer": "สมชาย"}, "customer")],
)
def test_orders_that_cannot_be_translated(overrides, reason):
    with pytest.raises(InvalidOrder, match=reason):
        map_shop_order(shop_order(1, **overrides))


def test_a_total_that_does_not_add_up_is_passed_on_for_the_interchange_parser_to_reject():
    assert map_shop_order(shop_order(1, grand_total="999.00"))["total"] == "999.00"


def test_json_numbers_for_money_keep_their_exact_digits():
    raw = shop_order(1, grand_total=None, shipping_cost=None)
    body = json.dumps({"data": [raw], "meta": {"last_page": 1}})
    body = body.replace('"grand_total": null', '"grand_total": 750.10').replace('"price": "350.00"', '"price": 350.05')
    transport = httpx2.MockTransport(lambda request: httpx2.Response(200, content=body.encode()))
    (page,) = list(connector(ShopStore(), transport=transport).pull(None))
    data = page.records[0].data
    assert data["total"] == "750.10" and data["lines"][0]["unit_price"] == "350.05"
    assert data["shipping_fee"] == "0.00"
    assert not any(isinstance(v, (float, Decimal)) for v in data.values())


# --- the token stays secret ------------------------------------------------------------------------


def test_the_token_never_shows_in_reprs_errors_or_logs(caplog):
    caplog.set_level(logging.DEBUG)
    store = shop_with(150)
    shop = connector(store)
    pages = shop.pull(None)
    store.inject(Fault.http(500), Fault.rate_limited(1))
    next(pages)
    store.inject(Fault.http(401))
    with pytest.raises(TokenRejected) as rejected:
        next(pages)
    store.inject(*[Fault.http(503)] * 10)
    with pytest.raises(SourceUnavailable) as unavailable:
        list(connector(store, max_retries=1).pull(None))

    assert "retrying" in caplog.text  # retries are logged...
    for text in (repr(shop), str(vars(shop)), caplog.text, str(rejected.value), str(rejected.value.details),
                 str(unavailable.value), repr(unavailable.value.__cause__)):
        assert TOKEN not in text  # ...without the token


# --- the engine-facing contract ------------------------------------------------------------------


def test_resume_from_steps_back_by_the_overlap():
    cursor = datetime(2026, 11, 21, 2, 2, 11, tzinfo=timezone.utc)
    assert resume_from(None) is None
    assert resume_from(cursor) == cursor - timedelta(minutes=10)
    assert resume_from(cursor, overlap=timedelta(0)) == cursor
    with pytest.raises(ValueError):
        resume_from(cursor, overlap=timedelta(minutes=-1))


def test_connectors_are_found_by_kind():
    assert "shopledger.adapters.connectors.shop_api" in load_connector_modules("shopledger.adapters.connectors")
    assert CONNECTORS[KIND] is build_shop_api
    client = httpx2.Client(transport=shop_transport(shop_with(2), TOKEN))
    made = CONNECTORS.create(KIND, {"base_url": BASE, "token": TOKEN, "http_client": client, "page_size": 1})
    assert isinstance(made, Connector)
    assert [p.number for p in made.pull(None)] == [1, 2]
    with pytest.raises(UnknownConnector):
        CONNECTORS.create("woo", {})


def test_connector_settings_are_checked():
    with pytest.raises(ValueError):
        ShopApiConnector(BASE, TOKEN, httpx2.Client(), page_size=101)
    with pytest.raises(ValueError):
        ShopApiConnector(BASE, "", httpx2.Client())
