"""`serve`: the web server with the job worker beside it, stopped together on SIGTERM or SIGINT.

uvicorn shuts down gracefully on either signal and then raises it again, so that the process
ends the way the signal asked. With the default SIGTERM action that would end us at once, and
the embedded worker would be left running: here both signals end the server by an exception,
the worker is stopped, and only then does the signal take its course.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
WORKER_STOP_SECONDS = 10.0  # huey stops in about two; a hung task is not waited for longer


class _Signalled(SystemExit):
    # A SystemExit: the one exception nothing on the way out catches by accident.
    def __init__(self, signum: int):
        super().__init__(128 + signum)
        self.signum = signum


def _raise_signalled(signum: int, _frame) -> None:
    raise _Signalled(signum)


def serve_with_worker(run_server: Callable[[], None], *, embedded_worker: bool) -> None:
    previous = {signum: signal.signal(signum, _raise_signalled) for signum in STOP_SIGNALS}
    worker: subprocess.Popen | None = None
    received: int | None = None
    try:
        worker = _start_worker() if embedded_worker else None
        run_server()
    except _Signalled as stop:
        received = stop.signum
    finally:
        _stop(worker)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if received is not None:
        signal.signal(received, signal.SIG_DFL)
        signal.raise_signal(received)


def run_web_workers(host: str, port: int, workers: int) -> None:
    """`workers` web processes on the port (uvicorn's supervisor), each building the
    app from the settings and ending with this process. On SIGTERM or SIGINT the supervisor
    stops them all and returns; the signal is then raised here as `serve_with_worker` expects."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess
    from uvicorn.supervisors.multiprocess import Process

    own = _each_its_own(port, workers)
    if own:  # SO_REUSEPORT would let a second server on the port share it rather than fail: see first
        _listening(host, port).close()
    sockets = [_listening(host, port, reuse_port=own) for _ in range(workers if own else 1)]

    class Supervisor(Multiprocess):
        received: int | None = None

        def handle_int(self) -> None:
            self.received = signal.SIGINT
            super().handle_int()

        def handle_term(self) -> None:
            self.received = signal.SIGTERM
            super().handle_term()

        def init_processes(self) -> None:
            if not own:
                super().init_processes()
                return
            for sock in self.sockets:  # one socket each (one replacing a dead process listens on all)
                process = Process(self.config, [sock])
                process.start()
                self.processes.append(process)

    config = uvicorn.Config("shopledger.web.app:create_served_app", factory=True, host=host, port=port,
                            workers=workers, log_level="info")
    supervisor = Supervisor(config, sockets=sockets)
    supervisor.run()
    if supervisor.received is not None:
        raise _Signalled(supervisor.received)


def _each_its_own(port: int, workers: int) -> bool:
    """Each web process listens on a socket of its own on the port (SO_REUSEPORT), where Linux
    spreads new connections evenly over them. On one shared socket the process that woke first
    accepted a burst whole: 50 clients connecting at once went 48 to one process and 2 to the
    other, which then idled while the first queued. Elsewhere SO_REUSEPORT does not spread them."""
    return workers > 1 and port != 0 and sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


BACKLOG = 2048  # uvicorn's own


def _listening(host: str, port: int, reuse_port: bool = False) -> socket.socket:
    """A listening socket for the web processes, made with its protocol named: the connections
    accepted from it inherit it, and asyncio turns Nagle off (TCP_NODELAY) only on sockets it
    knows are TCP. uvicorn's own (`Config.bind_socket`) leaves it 0, and every answer then waited
    ~40 ms for the client's delayed ACK between its head and its body."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host.strip("[]"), port))
    # Listening from here, before the web processes start: the kernel spreads connections only
    # over sockets that listen, and a process that started late (each imports the app for a
    # second or more) missed a first burst whole: 50 clients at once all went to the other
    # process, which then did all the work on one core (bench/load.py: 80 against 205 requests/s).
    sock.listen(BACKLOG)
    sock.set_inheritable(True)
    return sock


def _start_worker() -> subprocess.Popen:
    """The job consumer (daily runs, Import Data) in a process of its own, which also ends if
    this one is killed outright (nothing here runs then)."""
    return subprocess.Popen([sys.executable, "-m", "shopledger.cli.main", "worker", "--workers", "1",
                             "--parent-pid", str(os.getpid())])


def _stop(worker: subprocess.Popen | None) -> None:
    if worker is None or worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
