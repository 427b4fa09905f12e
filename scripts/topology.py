"""Runs shopledger as a shop that outgrew one process runs it (docs/deployment.md), on this
machine: a fresh PostgreSQL database, Redis as the job queue, several web processes and
separate job workers (no embedded worker). `make topology`; the slow test drives it too.

Prints one JSON line once every web process answers (its URLs, the database and queue it made),
then runs until SIGTERM or SIGINT, stops every process it started, empties its queue in Redis
and drops its database (unless --keep). A process that dies on its own stops the lot (exit 1).
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx2
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from shopledger.adapters.queue import make_huey
from shopledger.config import Settings

START_SECONDS = 60.0
STOP_SECONDS = 20.0


def main() -> int:
    args = _arguments()
    name = f"shopledger_topo_{uuid.uuid4().hex[:10]}"  # the database and the queue: unique to the run
    database_url = _create_database(args.pg_url, name)
    env = {**os.environ, "SHOPLEDGER_DATABASE_URL": database_url, "SHOPLEDGER_HUEY_URL": args.redis_url,
           "SHOPLEDGER_HUEY_NAME": name, "SHOPLEDGER_EMBEDDED_WORKER": "false", "SHOPLEDGER_HOST": args.host,
           "SHOPLEDGER_DEMO_SHOP": "true" if args.demo else "false",
           # this script runs the web processes itself, one per --web: each serve is one process
           "SHOPLEDGER_WEB_WORKERS": "1"}
    ports = [args.port + n for n in range(args.web)] if args.port else [_free_port(args.host) for _ in range(args.web)]
    env["SHOPLEDGER_PORT"] = str(ports[0])  # where a worker finds the demo shop
    logs = Path(tempfile.mkdtemp(prefix=f"{name}-"))
    processes: dict[str, subprocess.Popen] = {}
    stopping = _stop_on_signals()
    code = 0
    try:
        _shopledger(env, "init")
        if args.demo:
            _shopledger(env, "demo")
        for n, port in enumerate(ports, 1):
            processes[f"web-{n}"] = _start(env, logs / f"web-{n}.log", "serve", "--host", args.host, "--port", str(port))
        for n in range(1, args.workers + 1):
            processes[f"worker-{n}"] = _start(env, logs / f"worker-{n}.log", "worker", "--workers", str(args.threads))
        urls = [f"http://{args.host}:{port}" for port in ports]
        _wait_until_answering(urls, processes, stopping)
        print(json.dumps({"database_url": database_url, "redis_url": args.redis_url, "huey_name": name,
                          "web": urls, "pids": {key: p.pid for key, p in processes.items()}, "logs": str(logs)}),
              flush=True)
        while not stopping:
            dead = [key for key, p in processes.items() if p.poll() is not None]
            if dead:
                raise RuntimeError(f"{', '.join(dead)} ended on its own; see {logs}")
            time.sleep(0.5)
    except RuntimeError as error:
        print(f"topology: {error}", file=sys.stderr)
        code = 1
    finally:
        _stop(processes.values())
        make_huey(Settings(huey_url=args.redis_url, huey_name=name)).flush()
        if not args.keep:
            _drop_database(args.pg_url, name)
    return code


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-url", default=os.environ.get("SHOPLEDGER_TEST_PG_URL")
                        or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                        help="a PostgreSQL URL allowed to create databases; a fresh one is made beside it")
    parser.add_argument("--redis-url", default=os.environ.get("SHOPLEDGER_TEST_REDIS_URL") or "redis://127.0.0.1:6379/0")
    parser.add_argument("--web", type=int, default=2, help="web processes, one port each")
    parser.add_argument("--workers", type=int, default=2, help="job worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per job worker")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="the first web port (default: free ports)")
    parser.add_argument("--demo", action="store_true", help="load the demo and serve its web shop")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    return parser.parse_args()


def _stop_on_signals() -> list[int]:
    received: list[int] = []  # truthy once a signal came: the main loop then stops everything
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda number, _frame: received.append(number))
    return received


def _create_database(admin_url: str, name: str) -> str:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def _drop_database(admin_url: str, name: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _shopledger(env: dict, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "shopledger.cli.main", *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"shopledger {' '.join(args)} failed: {done.stderr.strip() or done.stdout.strip()}")


def _start(env: dict, log: Path, *args: str) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "shopledger.cli.main", *args], env=env, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def _wait_until_answering(urls: list[str], processes: dict[str, subprocess.Popen], stopping: list[int]) -> None:
    deadline = time.monotonic() + START_SECONDS
    waiting = list(urls)
    while waiting:
        if stopping or time.monotonic() > deadline:
            raise RuntimeError(f"not answering: {', '.join(waiting)}")
        dead = [key for key, p in processes.items() if p.poll() is not None]
        if dead:
            raise RuntimeError(f"{', '.join(dead)} ended while starting")
        try:
            if httpx2.get(f"{waiting[0]}/healthz", timeout=2.0).status_code == 200:
                waiting.pop(0)
                continue
        except httpx2.HTTPError:
            pass
        time.sleep(0.2)


def _stop(processes) -> None:
    running = [p for p in processes if p.poll() is None]
    for process in running:
        process.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for process in running:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


if __name__ == "__main__":
    sys.exit(main())
