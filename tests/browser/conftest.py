"""Real-browser tests (docs/../spec "Testing in a real browser"): Playwright driving Debian's
Chromium (/usr/bin/chromium; Playwright's own download is not used) against one live server per
test worker: `shopledger init` + `shopledger demo` into a SQLite file of its own, `shopledger serve`
on a free loopback port with the demo shop mounted, stopped at the end of the session.

No Chromium (or no Playwright) skips these tests, unless SHOPLEDGER_REQUIRE_BROWSER=1 (.ci/run),
which fails them: `make browser` installs Chromium with apt-get when we are root."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("SHOPLEDGER_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("SHOPLEDGER_REQUIRE_BROWSER") == "1"
PASSWORDS = {"admin": "demo-admin", "accountant": "demo-accountant", "clerk": "demo-clerk",
             "reader": "demo-reader"}
ROLES = tuple(PASSWORDS)


def _missing(reason: str):
    if REQUIRE_BROWSER:
        pytest.fail(f"SHOPLEDGER_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cli(*args: str, env: dict, cwd: Path) -> None:
    cli = Path(sys.executable).with_name("shopledger")
    subprocess.run([str(cli), *args], env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> str:
    """The demo shop served on a port of this worker's own; its base URL."""
    home = tmp_path_factory.mktemp("browser_server")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPLEDGER_")}
    env.update(SHOPLEDGER_DATABASE_URL=f"sqlite:///{home / 'shop.db'}", SHOPLEDGER_DEMO_SHOP="true",
               SHOPLEDGER_WEB_WORKERS="1", SHOPLEDGER_IMPORT_WORKERS_FILE=str(home / "workers.json"))
    _cli("init", env=env, cwd=home)
    _cli("demo", env=env, cwd=home)
    port = _free_port()
    cli = Path(sys.executable).with_name("shopledger")
    log = open(home / "serve.log", "wb")
    server = subprocess.Popen([str(cli), "serve", "--port", str(port)], env=env, cwd=home,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/signin", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise RuntimeError(f"shopledger serve did not start: {(home / 'serve.log').read_text()[-2000:]}")
        time.sleep(0.2)
    yield base
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    log.close()


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed (pip install -e '.[test]')")
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        _missing(f"no Chromium at {CHROMIUM} (make browser, or apt-get install -y chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """new_page(viewport=None) -> a page in a fresh context (cookies of its own), on the live server."""
    contexts = []

    def make(**options):
        context = browser.new_context(base_url=live_server, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def sign_in(page, role: str, lang: str = "en") -> None:
    """Signs in as the demo's person of `role` through the sign-in form."""
    page.goto(f"/signin?lang={lang}")
    if lang == "en":
        page.get_by_label("E-mail").fill(f"{role}@demo.shop")
        page.get_by_label("Password").fill(PASSWORDS[role])
        page.get_by_role("button", name="Sign in").click()
    else:
        page.locator("#email").fill(f"{role}@demo.shop")
        page.locator("#password").fill(PASSWORDS[role])
        page.locator("form.signin button[type=submit]").click()
    page.wait_for_url(lambda url: "/signin" not in url)
    # the language asked for, whatever another test chose for this person before (it is remembered)
    page.goto(f"/?lang={lang}")


@pytest.fixture
def as_role(new_page):
    """as_role("clerk") -> a page signed in as the demo clerk (English)."""
    def make(role: str, lang: str = "en", **options):
        page = new_page(**options)
        sign_in(page, role, lang)
        return page
    return make
