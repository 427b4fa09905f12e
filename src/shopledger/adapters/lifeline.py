"""A child process that ends when the process that started it ends, however that one ends.

A parent killed with SIGKILL (or the OOM killer) runs no clean-up of its own: without this its
import workers, page puller or embedded job worker would live on, holding database connections
and, on SQLite, the write lock. Linux is asked to send SIGTERM at the parent's death (prctl
PR_SET_PDEATHSIG); a thread watching the parent's pid does the same anywhere else, and covers a
parent that died before the request was made.

PR_SET_PDEATHSIG fires when the *thread* that started the child ends, so children made with
this must be started from a thread that outlives them (ours: the main thread of the CLI command).
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
GRACE_SECONDS = 10.0  # for a SIGTERM handler (the job worker's) to finish before we exit hard


def die_with_parent(parent_pid: int, poll_seconds: float = 0.5) -> None:
    """Call first thing in the child, with the parent's pid as the parent saw it (os.getpid())."""
    _ask_linux()
    if os.getppid() != parent_pid:  # the parent is gone already: nobody will send us anything
        _end()
    threading.Thread(target=_watch, args=(parent_pid, poll_seconds), daemon=True, name="lifeline").start()


def _ask_linux() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # the watching thread still ends us, a poll later


def _watch(parent_pid: int, poll_seconds: float) -> None:
    # An orphan is adopted by init or a subreaper: its parent pid changes.
    while os.getppid() == parent_pid:
        time.sleep(poll_seconds)
    _end()


def _end() -> None:
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(GRACE_SECONDS)
    os._exit(1)
