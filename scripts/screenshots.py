"""PNGs of the main pages for the README (docs/screenshots/), desktop (1280 wide) and phone (390
wide), from the demo served the way the browser tests serve it (tests/browser/conftest.py): a
fresh SQLite file with `shopledger init` + `shopledger demo`, `shopledger serve` on a free port,
Debian's Chromium headless.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--chromium /usr/bin/chromium]

With `--every-page`, instead: every page an admin reaches from the menu (and one level below it),
at 390 px in Thai and in English, whole pages, into --out (default /tmp/shopledger-phone), with a
report of the pages wider than the phone and of text drawn over other text (two text boxes that
overlap), to look at before a change to the style sheet lands.
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
    ("new-order", "clerk", "/orders/new?lang=en", "en"),
    ("document", "accountant", "/documents/RT-202611-00001?lang=en", "en"),
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


# Pairs of text boxes (one per line of each text node) that overlap by more than 3 px each way,
# the text inside a void stamp (drawn over the document on purpose) left out.
_OVERLAPS = """() => {
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;  // closed <details>, hidden menus: not drawn, not measured
    if (!node.textContent.trim() || parent.closest('.void-stamp') || !parent.checkVisibility({visibilityProperty: true})) continue;
    const range = document.createRange(); range.selectNodeContents(node);
    for (const r of range.getClientRects()) if (r.width > 1 && r.height > 1) boxes.push([r, node]);
  }
  const found = [];
  for (let i = 0; i < boxes.length && found.length < 10; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, na] = boxes[i], [b, nb] = boxes[j];
    if (na === nb) continue;
    const x = Math.min(a.right, b.right) - Math.max(a.left, b.left), y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (x > 3 && y > 3) { found.push(na.textContent.trim().slice(0, 30) + ' / ' + nb.textContent.trim().slice(0, 30)); break; }
  }
  return found;
}"""

def every_page(browser, base: str, out: Path) -> None:
    """Every page of the admin's menu and one level below, at 390 px, in both languages."""
    viewport = {"width": 390, "height": 844}
    wide, overlapping = {}, {}
    for lang in ("th", "en"):
        context = browser.new_context(base_url=base, viewport=viewport, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.goto(f"/signin?lang={lang}")
        page.locator("#email").fill("admin@demo.shop")
        page.locator("#password").fill(PASSWORDS["admin"])
        page.locator("form.signin button[type=submit]").click()
        page.wait_for_url(lambda url: "/signin" not in url)
        page.goto(f"/?lang={lang}")
        menu = page.locator("nav.menu a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        todo, seen = list(menu), set()
        while todo and len(seen) < 120:
            path = todo.pop(0)
            if path in seen or any(path.split("?")[0].endswith(x) for x in (".pdf", ".csv", ".xlsx", ".xml", ".beancount", ".zip", "/pdf", "/xml")):
                continue
            seen.add(path)
            page.goto(path)
            page.wait_for_load_state("networkidle")
            name = (path.strip("/").replace("/", "_").replace("?", "_").replace("&", "_").replace("=", "-") or "home")[:80]
            page.screenshot(path=str(out / f"{lang}-{name}.png"), full_page=True)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide[f"{lang} {path}"] = width
            if found := page.evaluate(_OVERLAPS):
                overlapping[f"{lang} {path}"] = found
            if path in menu:  # one level below a menu page: its own links under it, one order or document
                under = path.split("?")[0].rstrip("/")
                links = page.locator("main a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
                below = list(dict.fromkeys(h.split("#")[0] for h in links if under and h.startswith(under + "/")))
                if under in ("/orders", "/documents"):  # one order (two segments), one document: the rest alike
                    below = [h for h in below if h.count("/") == (3 if under == "/orders" else 2)][:1] + \
                        [h for h in below if h.count("/") != (3 if under == "/orders" else 2)]
                todo += below[:8]
        context.close()
        print(f"{lang}: {len(seen)} pages")
    print("wider than 390 px:", wide or "none")
    print("text over text:", overlapping or "none")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--every-page", action="store_true", help="every page at 390 px, both languages")
    args = parser.parse_args()
    args.out = args.out or (Path("/tmp/shopledger-phone") if args.every_page else ROOT / "docs" / "screenshots")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        server, base = serve_demo(Path(home))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=args.chromium, headless=True,
                                            args=["--no-sandbox", "--disable-dev-shm-usage"])
                if args.every_page:
                    every_page(browser, base, args.out)
                    browser.close()
                    return
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
