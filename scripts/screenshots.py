"""PNGs of the main pages for the README (docs/screenshots/), desktop (1280 wide) and phone (390
wide), from the demo served the way the browser tests serve it (tests/browser/conftest.py): a
fresh SQLite file with `shopledger init` + `shopledger demo`, `shopledger serve` on a free port,
Debian's Chromium headless.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--chromium /usr/bin/chromium]
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
# (file name, role that signs in, path, language)
PAGES = (
    ("signin", None, "/signin?lang=en", "en"),
    ("home-th", "clerk", "/?lang=th", "th"),
    ("orders", "clerk", "/orders?lang=en", "en"),
    ("order", "clerk", "/orders/demo-import/HG-10051?lang=en", "en"),
    ("trial-balance", "accountant", "/trial-balance?lang=en", "en"),
)
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
PASSWORDS = {"admin": "demo-admin", "accountant": "demo-accountant", "clerk": "demo-clerk",
             "reader": "demo-reader"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_demo(home: Path) -> tuple[subprocess.Popen, str]:
    cli = Path(sys.executable).with_name("shopledger")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPLEDGER_")}
    env.update(SHOPLEDGER_DATABASE_URL=f"sqlite:///{home / 'shop.db'}", SHOPLEDGER_DEMO_SHOP="true",
               SHOPLEDGER_WEB_WORKERS="1", SHOPLEDGER_IMPORT_WORKERS_FILE=str(home / "workers.json"))
    for args in (["init"], ["demo"]):
        subprocess.run([str(cli), *args], env=env, cwd=home, check=True, stdout=subprocess.DEVNULL)
    port = _free_port()
    server = subprocess.Popen([str(cli), "serve", "--port", str(port)], env=env, cwd=home,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/signin", timeout=2):
                return server, base
        except OSError:
            time.sleep(0.2)
    os.killpg(server.pid, signal.SIGKILL)
    raise SystemExit("shopledger serve did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        server, base = serve_demo(Path(home))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=args.chromium, headless=True,
                                            args=["--no-sandbox", "--disable-dev-shm-usage"])
                for size, viewport in SIZES.items():
                    for name, role, path, lang in PAGES:
                        context = browser.new_context(base_url=base, viewport=viewport)
                        page = context.new_page()
                        if role:
                            page.goto(f"/signin?lang={lang}")
                            page.locator("#email").fill(f"{role}@demo.shop")
                            page.locator("#password").fill(PASSWORDS[role])
                            page.locator("form.signin button[type=submit]").click()
                            page.wait_for_url(lambda url: "/signin" not in url)
                        page.goto(path)
                        page.wait_for_load_state("networkidle")
                        target = args.out / f"{name}-{size}.png"
                        # the phone's first two screens, the desktop's first screen and a half
                        page.screenshot(path=str(target), clip={"x": 0, "y": 0, "width": viewport["width"],
                                                               "height": viewport["height"] * (2 if size == "phone" else 1.5)})
                        context.close()
                        print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
                browser.close()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=15)


if __name__ == "__main__":
    main()
