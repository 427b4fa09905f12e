"""Signing in and out, sessions that expire, CSRF on every form, failed sign-ins slowed down,
the people page; on SQLite and PostgreSQL."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from shopledger.adapters.db import tables as t
from shopledger.adapters.db.engine import reading, writing
from shopledger.domain.clock import utc_now
from shopledger.domain.errors import Conflict, DomainError
from shopledger.domain.people import accounts
from shopledger.services import people
from shopledger.services.people import SignInRefused
from shopledger.web.sessions import CSRF_HEADER, SESSION_COOKIE
from tests.api.conftest import PASSWORD, form, sign_in

pytestmark = pytest.mark.db


def _sign_in_form(client, next_path: str = "/") -> str:
    page = client.get(f"/signin?next={next_path}")
    assert page.status_code == 200
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def _post_sign_in(client, email, password, next_path="/"):
    token = _sign_in_form(client, next_path)
    return client.post("/signin", data={"email": email, "password": password, "next": next_path, "csrf_token": token},
                       follow_redirects=False)


def _sessions(engine) -> int:
    with reading(engine) as conn:
        return len(conn.execute(select(t.sessions.c.id)).all())


def test_a_page_without_a_session_goes_to_sign_in_and_comes_back(engine, anon_client):
    people.create_user(engine, "Somchai@Shop.TH", "clerk", PASSWORD)
    answer = anon_client.get("/orders?status=to_ship", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/signin?next=/orders%3Fstatus%3Dto_ship"
    signed = _post_sign_in(anon_client, "SOMCHAI@shop.th", PASSWORD, "/orders?status=to_ship")
    assert signed.status_code == 303 and signed.headers["location"] == "/orders?status=to_ship"
    cookie = signed.headers["set-cookie"]
    assert SESSION_COOKIE in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert "Secure" not in cookie  # plain http (a loopback server); https below
    page = anon_client.get("/orders")
    assert page.status_code == 200 and "somchai@shop.th" in page.text
    assert people.list_users(engine)[0]["last_sign_in_at"]


def test_the_cookie_is_secure_over_https(engine, app):
    people.create_user(engine, "a@shop.th", "admin", PASSWORD)
    with TestClient(app, base_url="https://testserver") as client:
        cookie = _post_sign_in(client, "a@shop.th", PASSWORD).headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_healthz_static_and_sign_in_need_no_session(anon_client):
    assert anon_client.get("/healthz").status_code == 200
    assert anon_client.get("/static/shopledger.css").status_code == 200
    assert anon_client.get("/signin").status_code == 200


def test_next_never_leaves_the_site(engine, anon_client):
    people.create_user(engine, "a@shop.th", "admin", PASSWORD)
    for elsewhere in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        anon_client.cookies.clear()
        answer = _post_sign_in(anon_client, "a@shop.th", PASSWORD, elsewhere)
        assert answer.headers["location"] == "/", elsewhere


def test_sign_out_ends_the_session(engine, client):
    before = _sessions(engine)
    cookie = client.cookies.get(SESSION_COOKIE)
    refused = client.post("/signout", follow_redirects=False)  # without its CSRF token: nothing happens
    assert refused.status_code == 403 and _sessions(engine) == before
    answer = client.post("/signout", data=form(client), follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/signin"
    assert _sessions(engine) == before - 1
    assert people.session_person(engine, cookie) is None
    client.cookies.set(SESSION_COOKIE, cookie)  # the old cookie, kept by someone: it opens nothing
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_session_ends_when_idle_and_at_the_latest_after_its_longest(engine):
    people.create_user(engine, "a@shop.th", "clerk", PASSWORD)
    start = utc_now()
    cookie = people.sign_in(engine, "a@shop.th", PASSWORD, now=lambda: start).cookie
    idle, longest = people.SESSION_IDLE, people.SESSION_LONGEST
    # used every hour, it lives until its longest...
    moment = start
    while moment + timedelta(hours=1) < start + longest:
        moment += timedelta(hours=1)
        assert people.session_person(engine, cookie, now=lambda: moment) is not None, moment - start
    assert people.session_person(engine, cookie, now=lambda: start + longest) is None
    # ...and one left alone ends after the idle time
    cookie = people.sign_in(engine, "a@shop.th", PASSWORD, now=lambda: start).cookie
    assert people.session_person(engine, cookie, now=lambda: start + idle - timedelta(minutes=1)) is not None
    later = start + idle - timedelta(minutes=1) + idle
    assert people.session_person(engine, cookie, now=lambda: later) is None
    with reading(engine) as conn:  # an ended session's row is gone
        assert conn.execute(select(t.sessions)).all() == []


def test_an_expired_session_sends_the_page_to_sign_in(engine, client):
    with writing(engine) as conn:
        conn.execute(update(t.sessions).values(last_seen_at=utc_now() - people.SESSION_IDLE - timedelta(seconds=1)))
    assert client.get("/stock", follow_redirects=False).headers["location"] == "/signin?next=/stock"
    htmx = client.get("/stock", headers={"HX-Request": "true"}, follow_redirects=False)
    assert htmx.headers["hx-redirect"] == "/signin?next=/stock"


def test_a_form_without_its_csrf_token_is_refused(engine, client, queued_runs):
    from shopledger.demo_shop.mounted import DEMO_TOKEN
    from shopledger.services import sources

    sources.add_source(engine, "shop", kind="shop-api", token=DEMO_TOKEN, base_url="/demo-shop")
    for sent in ({}, {"data": {"csrf_token": "guess"}}, {"headers": {CSRF_HEADER: "guess"}}):
        answer = client.post("/sources/shop/sync", follow_redirects=False, **sent)
        assert answer.status_code == 403 and "text/html" in answer.headers["content-type"], sent
    assert queued_runs == []
    assert client.post("/sources/shop/sync", data=form(client), follow_redirects=False).status_code == 303
    assert client.post("/sources/shop/sync", headers={CSRF_HEADER: client.csrf},  # as htmx sends it
                       follow_redirects=False).status_code == 303
    assert len(queued_runs) == 2


def test_every_form_on_a_page_carries_the_csrf_token(engine, client, books):
    html = client.get("/people").text + client.get("/sources").text + client.get("/orders").text
    forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", html, re.S)
    assert forms and all(f'value="{client.csrf}"' in f for f in forms)
    assert f'hx-headers=\'{{"X-CSRF-Token": "{client.csrf}"}}\'' in html


def test_the_api_takes_a_session_only_with_its_csrf_header(engine, client):
    assert client.get("/api/v1/orders").status_code == 401  # the cookie alone: another site's page could send it
    assert client.get("/api/v1/orders", headers={CSRF_HEADER: "guess"}).status_code == 401
    answer = client.get("/api/v1/orders", headers={CSRF_HEADER: client.csrf})
    assert answer.status_code == 200
    reader = TestClient(client.app, raise_server_exceptions=False)
    sign_in(reader, engine, "reader")
    refused = reader.post("/api/v1/orders", json={}, headers={CSRF_HEADER: reader.csrf})
    assert refused.status_code == 403 and refused.json()["needs"] == ["orders.change"]


def test_a_wrong_password_and_an_unknown_e_mail_get_the_same_answer(engine, anon_client):
    people.create_user(engine, "a@shop.th", "admin", PASSWORD)
    people.create_user(engine, "gone@shop.th", "admin", PASSWORD)
    people.disable(engine, "gone@shop.th")
    answers = [_post_sign_in(anon_client, email, password) for email, password in
               (("a@shop.th", "wrong password"), ("nobody@shop.th", "wrong password"), ("gone@shop.th", PASSWORD),
                ("not an e-mail", PASSWORD))]
    assert {a.status_code for a in answers} == {401}
    bodies = {re.sub(r'value="[^"]*"', "", a.text) for a in answers}
    assert len(bodies) == 1 and "not right" in answers[0].text.lower() or "ไม่ถูกต้อง" in answers[0].text
    assert SESSION_COOKIE not in anon_client.cookies


def test_five_failures_in_a_row_lock_the_e_mail_for_longer_each_time(engine):
    people.create_user(engine, "a@shop.th", "clerk", PASSWORD)
    start = utc_now()
    clock = [start]
    now = lambda: clock[0]  # noqa: E731

    def attempt(email, password):
        try:
            people.sign_in(engine, email, password, now=now)
            return "in"
        except SignInRefused as refused:
            return refused.code, refused.retry_after

    for email in ("a@shop.th", "nobody@shop.th"):  # known or not: the same
        assert [attempt(email, "wrong") for _ in range(4)] == [("sign_in_failed", 0)] * 4
        assert attempt(email, "wrong") == ("sign_in_locked", 30)
        assert attempt(email, PASSWORD) == ("sign_in_locked", 30)  # even the right password waits
        clock[0] += timedelta(seconds=31)
        assert attempt(email, "wrong") == ("sign_in_locked", 60)  # the sixth: twice as long
        clock[0] += timedelta(seconds=61)
        assert attempt(email, "wrong") == ("sign_in_locked", 120)
        clock[0] += timedelta(seconds=121)
    assert attempt("a@shop.th", PASSWORD) == "in"  # and a success starts the count again
    assert attempt("a@shop.th", "wrong") == ("sign_in_failed", 0)
    assert accounts.lock_after(50) == accounts.LOCK_AT_MOST


def test_a_locked_e_mail_is_429_with_retry_after(engine, anon_client):
    people.create_user(engine, "a@shop.th", "clerk", PASSWORD)
    answers = [_post_sign_in(anon_client, "a@shop.th", "wrong") for _ in range(5)]
    assert [a.status_code for a in answers] == [401] * 4 + [429]
    assert int(answers[-1].headers["retry-after"]) == 30
    locked = _post_sign_in(anon_client, "a@shop.th", PASSWORD)
    assert locked.status_code == 429 and SESSION_COOKIE not in anon_client.cookies


def test_the_sign_in_form_has_a_csrf_token_of_its_own(engine, anon_client):
    people.create_user(engine, "a@shop.th", "admin", PASSWORD)
    _sign_in_form(anon_client)
    forged = anon_client.post("/signin", data={"email": "a@shop.th", "password": PASSWORD, "csrf_token": "guess"},
                              follow_redirects=False)
    assert forged.status_code == 403 and SESSION_COOKIE not in anon_client.cookies


def test_a_new_session_id_at_every_sign_in(engine, anon_client):
    people.create_user(engine, "a@shop.th", "admin", PASSWORD)
    anon_client.cookies.set(SESSION_COOKIE, "planted-by-someone")
    answer = _post_sign_in(anon_client, "a@shop.th", PASSWORD)
    first = re.search(rf"{SESSION_COOKIE}=([^;]+)", answer.headers["set-cookie"]).group(1)
    assert first != "planted-by-someone" and people.session_person(engine, first) is not None
    again = anon_client.get("/signin?next=/stock", follow_redirects=False)  # signed in already: sent on
    assert again.status_code == 303 and again.headers["location"] == "/stock"
    second = people.sign_in(engine, "a@shop.th", PASSWORD, previous_cookie=first).cookie  # signing in again
    assert second != first and people.session_person(engine, first) is None


def test_disabling_someone_ends_their_sessions_and_a_new_role_counts_at_once(engine, client):
    clerk = TestClient(client.app, raise_server_exceptions=False)
    sign_in(clerk, engine, "clerk")
    assert clerk.get("/journal").status_code == 403
    person = next(p for p in people.list_users(engine) if p["role"] == "clerk")
    changed = client.post(f"/people/{person['id']}/role", data=form(client, role="accountant"), follow_redirects=False)
    assert changed.status_code == 303
    assert clerk.get("/journal").status_code == 200  # the next click, same session
    assert client.post(f"/people/{person['id']}/disable", data=form(client), follow_redirects=False).status_code == 303
    assert clerk.get("/journal", follow_redirects=False).status_code == 303
    with pytest.raises(SignInRefused):
        people.sign_in(engine, person["email"], PASSWORD)
    client.post(f"/people/{person['id']}/enable", data=form(client))
    assert people.sign_in(engine, person["email"], PASSWORD).person.role == "accountant"


def test_the_people_page_adds_a_person_and_keeps_what_was_typed_on_a_mistake(engine, client):
    page = client.get("/people")
    assert page.status_code == 200 and "admin@shop.test" in page.text
    added = client.post("/people", data=form(client, email="Noi@Shop.TH", role="reader", password="long enough"),
                        follow_redirects=False)
    assert added.status_code == 303
    assert "noi@shop.th" in client.get(added.headers["location"]).text
    again = client.post("/people", data=form(client, email="NOI@shop.th", role="clerk", password="long enough"))
    assert again.status_code == 409 and 'value="NOI@shop.th"' in again.text
    short = client.post("/people", data=form(client, email="ploy@shop.th", role="clerk", password="short"))
    assert short.status_code == 422 and 'value="ploy@shop.th"' in short.text
    assert [p["email"] for p in people.list_users(engine)] == ["admin@shop.test", "noi@shop.th"]


def test_the_last_admin_stays(engine, client):
    me = people.find_user(engine, "admin@shop.test")
    assert client.post(f"/people/{me['id']}/disable", data=form(client)).status_code == 409
    assert client.post(f"/people/{me['id']}/role", data=form(client, role="clerk")).status_code == 409
    assert people.find_user(engine, "admin@shop.test")["role"] == "admin"
    people.create_user(engine, "second@shop.th", "admin", PASSWORD)
    people.disable(engine, "admin@shop.test")
    with pytest.raises(Conflict):
        people.set_role(engine, "second@shop.th", "reader")


def test_people_rules(engine):
    person = people.create_user(engine, " Ploy@Shop.TH ", "reader", PASSWORD)
    assert person["email"] == "ploy@shop.th" and not person["disabled"]
    for email, role, password, code in (("PLOY@shop.th", "clerk", PASSWORD, "email_exists"),
                                        ("x@shop.th", "owner", PASSWORD, "unknown_role"),
                                        ("x@shop.th", "clerk", "short", "weak_password"),
                                        ("not-an-email", "clerk", PASSWORD, "invalid_email")):
        with pytest.raises(DomainError) as caught:
            people.create_user(engine, email, role, password)
        assert caught.value.code == code
    with reading(engine) as conn:
        stored = conn.execute(select(t.users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    cookie = people.sign_in(engine, "ploy@shop.th", PASSWORD).cookie
    with reading(engine) as conn:  # the database holds the cookie's hash, never the cookie
        assert conn.execute(select(t.sessions.c.id)).scalar_one() not in (cookie,)
    people.set_password(engine, "ploy@shop.th", "a new password")
    assert people.session_person(engine, cookie) is None
    assert people.sign_in(engine, "ploy@shop.th", "a new password").person.email == "ploy@shop.th"


def test_the_demo_people_sign_in_with_the_readme_passwords(engine):
    lines = people.add_demo_people(engine)
    assert lines[0] == "sign in as admin@demo.shop / demo-admin (admin)" and len(lines) == 4
    for email, role, password in people.DEMO_PEOPLE:
        assert people.sign_in(engine, email, password).person.role == role
    assert people.add_demo_people(engine) == lines  # a second load changes nothing


def test_a_page_nothing_answers_keeps_the_menu_of_who_is_signed_in(client, anon_client):
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and 'href="/people"' in missing.text and "admin@shop.test" in missing.text
    assert 'href="/people"' not in anon_client.get("/no-such-page").text
