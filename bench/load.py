"""Load benchmark: `shopledger serve` under 1, 10 and 50 concurrent clients on a mix of reads.

    .venv/bin/python bench/load.py [--db URL] [--clients 1,10,50] [--seconds 20] [--max-requests 4000]
        [--web-workers N] [--each SECONDS]

Starts the real server (`shopledger serve`, its job worker off) on a free port of 127.0.0.1
against a database: by default the 300,000-order SQLite database bench/lists.py builds and keeps
in var/bench/ (built here the same way when it is missing, about 75 s). An admin API token and an
admin who signs in are made for the run. Then, for each number of clients, that many clients
(asyncio, each with its own keep-alive connection) ask one request after another, without pause,
round the mix below, for --seconds or until --max-requests were answered in all; it prints
requests/s and the p50/p95/p99 latency, the errors and the 5xx of each level, and the p99 of each
request of the mix at the highest level. Done when, at 50 clients, p99 < 500 ms and no 5xx.
With --each, it first measures the server's CPU per request of each request of the mix alone.
Only loopback addresses are used. Not a test: run it by hand.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import uuid
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

MIX = [  # (name, path, needs a page session rather than the API token)
    ("orders", "/api/v1/orders?limit=50", False),
    ("to_ship", "/api/v1/orders?status=to_ship&limit=50", False),
    ("stuck", "/api/v1/orders?stuck=true&limit=50", False),
    ("documents", "/api/v1/documents?limit=50", False),
    ("alerts", "/api/v1/alerts?limit=50", False),
    ("trial_balance", "/api/v1/reports/trial-balance", False),
    ("page /orders", "/orders", True),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="database URL (default: bench/lists.py's 300,000-order SQLite)")
    parser.add_argument("--clients", default="1,10,50", help="concurrency levels (default 1,10,50)")
    parser.add_argument("--seconds", type=float, default=20.0, help="per level (default 20)")
    parser.add_argument("--max-requests", type=int, default=4000, help="per level at most (default 4000)")
    parser.add_argument("--web-workers", type=int, help="SHOPLEDGER_WEB_WORKERS for the server (default: its own)")
    parser.add_argument("--each", type=float, metavar="SECONDS",
                        help="first, each request of the mix alone (4 clients) for SECONDS: the server's CPU per request")
    args = parser.parse_args()

    url = args.db or _lists_database()
    port = _free_port()
    env = os.environ | {"SHOPLEDGER_DATABASE_URL": url, "SHOPLEDGER_HOST": "127.0.0.1", "SHOPLEDGER_PORT": str(port),
                        "SHOPLEDGER_EMBEDDED_WORKER": "false"}
    if args.web_workers:
        env["SHOPLEDGER_WEB_WORKERS"] = str(args.web_workers)
    os.environ["SHOPLEDGER_DATABASE_URL"] = url  # before shopledger reads its settings
    subprocess.run([str(ROOT / ".venv" / "bin" / "shopledger"), "init"], env=env, check=True, capture_output=True)
    token, cookie = _credentials(url)
    print(f"shopledger load benchmark, {datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"python {platform.python_version()}, {os.cpu_count()} cpu(s), database {_shown(url)}; "
          f"web workers {env.get('SHOPLEDGER_WEB_WORKERS', 'default')}; {args.seconds:.0f} s or "
          f"{args.max_requests} requests per level")
    mix = [(name, path, page) for name, path, page in MIX if cookie or not page]
    print("mix             " + ", ".join(path for _, path, _ in mix))
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "shopledger"), "serve"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_until_up(port, server)
        if args.each:
            _each(port, server, mix, token, cookie, args.each)
        worst = 0.0
        for clients in [int(c) for c in args.clients.split(",")]:
            cpu_before, load = _tree_cpu(server.pid), os.getloadavg()[0]
            result = asyncio.run(_level(port, mix, token, cookie, clients, args.seconds, args.max_requests))
            result["cpu"], result["load"] = _tree_cpu(server.pid) - cpu_before, load
            worst = _report(clients, result, last=clients == max(int(c) for c in args.clients.split(",")))
        return 0 if worst < 500 else 1
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _each(port: int, server: subprocess.Popen, mix: list, token: str, cookie: str | None, seconds: float) -> None:
    """The server's CPU per request of each request of the mix on its own (after a warm second):
    what the mix's figure is made of, and much less disturbed by the rest of the machine than
    the latencies."""
    shown = []
    for item in mix:
        asyncio.run(_level(port, [item], token, cookie, 4, 1.0, 10_000))
        before = _tree_cpu(server.pid)
        result = asyncio.run(_level(port, [item], token, cookie, 4, seconds, 10_000))
        answered = len(result["timings"])
        shown.append(f"{item[0]} {(_tree_cpu(server.pid) - before) * 1000 / max(answered, 1):.1f}")
    print("CPU ms a request, each alone (4 clients): " + ", ".join(shown))


def _lists_database() -> str:
    """bench/lists.py's database: built (once) as it builds it, then reused."""
    import lists

    db = ROOT / "var" / "bench" / "lists-300000-seed1.db"
    url = f"sqlite:///{db}"
    if not db.exists():
        lists._build(db, 300_000, 1, os.environ | {"SHOPLEDGER_DATABASE_URL": url}, False)
    return url


def _shown(url: str) -> str:
    return url if url.startswith("sqlite") else url.split("@")[-1]


def _credentials(url: str) -> tuple[str, str | None]:
    """An admin API token, and the session cookie of an admin who signed in (None on a tree
    without sign-in)."""
    from shopledger.adapters.db.engine import make_engine
    from shopledger.services.tokens import create_token

    engine = make_engine(url)
    name = f"load-{uuid.uuid4().hex[:8]}"
    token = create_token(engine, name, "admin")
    try:
        from shopledger.services import people
    except ImportError:
        return token, None
    email, password = f"{name}@load.example", uuid.uuid4().hex
    try:
        people.create_user(engine, email, "admin", password)
        cookie = people.sign_in(engine, email, password).cookie
    except Exception as error:  # noqa: BLE001 - the pages are left out, and it is said why
        print(f"note            no page in the mix: signing in failed ({type(error).__name__}: {str(error)[:120]})")
        cookie = None
    engine.dispose()
    return token, cookie


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server ended: {server.stderr.read().decode()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                if conn.recv(64).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("the server did not answer /healthz within 60 s")


async def _level(port: int, mix: list, token: str, cookie: str | None, clients: int, seconds: float,
                 max_requests: int) -> dict:
    timings: list[tuple[str, float, int]] = []
    budget = {"left": max_requests}
    deadline = time.monotonic() + seconds
    started = time.monotonic()
    await asyncio.gather(*(_client(port, mix, token, cookie, n, deadline, budget, timings) for n in range(clients)))
    return {"timings": timings, "seconds": time.monotonic() - started}


async def _client(port: int, mix: list, token: str, cookie: str | None, n: int, deadline: float, budget: dict,
                  timings: list) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    turn = n  # clients start at different places of the mix
    try:
        while time.monotonic() < deadline and budget["left"] > 0:
            budget["left"] -= 1
            name, path, page = mix[turn % len(mix)]
            turn += 1
            auth = f"Cookie: shopledger_session={cookie}\r\n" if page else f"Authorization: Bearer {token}\r\n"
            request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{auth}\r\n".encode()
            begun = time.perf_counter()
            writer.write(request)
            await writer.drain()
            status, keep = await _read_response(reader)
            timings.append((name, (time.perf_counter() - begun) * 1000, status))
            if not keep:
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
    finally:
        writer.close()


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """The status and whether the connection stays open; the body is read and dropped."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:] if ":" in line)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status, headers.get("connection", "").lower() != "close"


def _report(clients: int, result: dict, last: bool) -> float:
    timings = result["timings"]
    ms = sorted(t for _, t, _ in timings)
    errors = sum(1 for *_, status in timings if status >= 400)
    server_errors = sum(1 for *_, status in timings if status >= 500)
    p = _percentiles(ms)
    print(f"{clients:>3} clients     {len(ms):>5} requests in {result['seconds']:.1f} s = {len(ms) / result['seconds']:,.0f}/s; "
          f"p50 {p[50]:.0f} ms, p95 {p[95]:.0f} ms, p99 {p[99]:.0f} ms, max {ms[-1]:.0f} ms; "
          f"errors {errors}, 5xx {server_errors}; server CPU {result['cpu'] * 1000 / max(len(ms), 1):.1f} ms a request; "
          f"machine load {result['load']:.1f}")
    if last:
        by_name: dict[str, list[float]] = {}
        for name, t, _ in timings:
            by_name.setdefault(name, []).append(t)
        print("                p50/p99 each: " + ", ".join(
            f"{name} {statistics.median(v):.0f}/{_percentiles(sorted(v))[99]:.0f}" for name, v in by_name.items()))
        statuses: dict[int, int] = {}
        for *_, status in timings:
            statuses[status] = statuses.get(status, 0) + 1
        print("                statuses " + ", ".join(f"{s}: {c}" for s, c in sorted(statuses.items())))
    return p[99] + (10_000 if server_errors else 0)


def _tree_cpu(pid: int) -> float:
    """CPU seconds of a process and its descendants so far (Linux /proc): what the server spent,
    whatever else the machine was doing meanwhile."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
            todo += [int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total


def _percentiles(ms: list[float]) -> dict[int, float]:
    def at(q: float) -> float:
        return ms[min(len(ms) - 1, int(q * len(ms)))] if ms else 0.0

    return {50: at(0.50), 95: at(0.95), 99: at(0.99)}


if __name__ == "__main__":
    raise SystemExit(main())
