"""What a process starts ends with it: `serve` stops its job worker on SIGTERM and SIGINT, and
import workers and the page puller end when their parent is killed outright. Real processes,
watched through /proc (Linux)."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from shopledger.adapters.db.engine import make_engine
from shopledger.services import tokens

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")]
ROOT = str(Path(__file__).resolve().parents[2])
CHILD = str(Path(__file__).with_name("orphan_child.py"))


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return text[text.rindex(")") + 2:].split()  # state, ppid, pgrp, ... (the name may hold spaces)


def _alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"  # a zombie has ended; only its parent's reaping is left


def _all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _in_group(pgid: int) -> list[int]:
    return [pid for pid in _all_pids() if (f := _stat(pid)) and f[2] == str(pgid) and f[0] != "Z"]


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for other in _all_pids():
        if f := _stat(other):
            children.setdefault(int(f[1]), []).append(other)
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _wait_for(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.1)
    pytest.fail(f"waited {seconds}s for {what}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, token: str | None = None) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


@pytest.fixture
def sqlite_url(tmp_path, sqlite_template) -> str:
    path = tmp_path / "shop.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.mark.db
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_stops_its_job_worker_and_a_revoked_token_is_refused_at_once(tmp_path, sqlite_url, signum):
    port = _free_port()
    env = os.environ | {"SHOPLEDGER_DATABASE_URL": sqlite_url, "SHOPLEDGER_EMBEDDED_WORKER": "true",
                        "PYTHONPATH": ROOT}
    env.pop("SHOPLEDGER_HUEY_URL", None)
    server = subprocess.Popen([sys.executable, "-m", "shopledger.cli.main", "serve", "--port", str(port)],
                              cwd=tmp_path, env=env, start_new_session=True,  # a process group of its own
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: _get(base + "/healthz") == 200, 60, "the server to answer")
        _wait_for(lambda: len(_in_group(server.pid)) >= 2, 30, "the embedded job worker")
        engine = make_engine(sqlite_url)
        token = tokens.create_token(engine, "robot", "admin")
        assert _get(base + "/api/v1/documents", token) == 200
        tokens.revoke_token(engine, "robot")  # from this process, as `shopledger token revoke` would
        assert _get(base + "/api/v1/documents", token) == 401
        engine.dispose()

        server.send_signal(signum)  # to the server alone, as a supervisor stopping one pid does
        assert server.wait(timeout=30) == -signum  # it ends as the signal asked, after cleaning up
        _wait_for(lambda: not _in_group(server.pid), 15, "every process of the server's group to end")
    finally:
        for pid in _in_group(server.pid):
            os.kill(pid, signal.SIGKILL)
        if server.poll() is None:
            server.kill()


def _killed_parent_leaves_nothing(argv: list[str], workers_started) -> None:
    parent = subprocess.Popen([sys.executable, CHILD, *argv], cwd=ROOT, env=os.environ | {"PYTHONPATH": ROOT},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: set[int] = set()
    try:
        children = _wait_for(lambda: workers_started(_descendants(parent.pid)), 60, "the workers to start")
        parent.kill()
        parent.wait()
        _wait_for(lambda: not any(_alive(pid) for pid in children), 5, "the orphaned workers to end")
    finally:
        parent.kill()
        for pid in children:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.db
def test_import_workers_end_when_their_parent_is_killed(sqlite_url):
    def two_workers(pids: set[int]) -> set[int] | None:
        workers = {pid for pid in pids if "spawn_main" in _cmdline(pid)}
        return pids if len(workers) >= 2 else None

    _killed_parent_leaves_nothing(["import", sqlite_url], two_workers)


def test_the_page_puller_ends_when_its_parent_is_killed():
    with socket.socket() as silent_shop:  # accepts connections (the backlog) and never answers
        silent_shop.bind(("127.0.0.1", 0))
        silent_shop.listen(8)
        url = f"http://127.0.0.1:{silent_shop.getsockname()[1]}"

        def puller(pids: set[int]) -> set[int] | None:
            return pids if any("spawn_main" in _cmdline(pid) for pid in pids) else None

        _killed_parent_leaves_nothing(["pull", url], puller)
