"""How many processes a big import runs on: measured on the machine, not assumed from its cores.

Two worker processes plan side by side but take turns to write, and the process reading the file
needs a core too, so on a small machine two workers can be slower than one (20,000 orders on 2
cores: 6.3 s with two, 4.7 s with one). The default is therefore measured once per machine: the
same generated orders imported into a scratch SQLite database in a temp dir with one worker
(in-process) and with two (a warm pool, so its start-up does not count: a big import pays it
once), each twice, alternating, best rate kept. The answer is kept in a small JSON file (under
var/ by default), keyed by the machine (usable cores and CPU model); a machine not in it is
measured at its first big import. SHOPLEDGER_IMPORT_WORKERS (or `--workers`) overrides it, and a
small file is always taken by one process: starting workers would cost more than it saves.
"""
from __future__ import annotations

import json
import logging
import os
import platform
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from shopledger.adapters.db.engine import make_engine
from shopledger.demo.orders import bench_orders
from shopledger.services.intake import Incoming, take_orders
from shopledger.services.parallel_intake import ParallelTaker, feed

_log = logging.getLogger(__name__)

SMALL_FILE_BYTES = 4 * 2**20  # about 3,500 orders as JSON: one process, no workers to start
CALIBRATION_ORDERS = 2_500
CALIBRATION_BATCH = 250  # 10 batches, so two workers overlap as in a real import
CANDIDATES = (1, 2)  # writes take turns under one lock: beyond two, workers only wait


def default_workers(override: int | None, cache: Path, *, size_bytes: int | None = None,
                    measuring: Callable[[], None] | None = None) -> int:
    """The processes to import with. `override`: SHOPLEDGER_IMPORT_WORKERS or `--workers`;
    `size_bytes`: the file's size when known; `measuring` is called before a measurement starts
    (it takes several seconds, once per machine)."""
    if override:
        return max(1, override)
    if size_bytes is not None and size_bytes < SMALL_FILE_BYTES:
        return 1
    if usable_cpus() < 2:
        return 1
    return measured_workers(cache, measuring)


def measured_workers(cache: Path, measuring: Callable[[], None] | None = None) -> int:
    """The faster worker count of this machine, from the cache file, measured when missing."""
    key = machine_key()
    kept = _read(cache)
    known = kept.get(key)
    if isinstance(known, dict) and known.get("workers") in CANDIDATES:
        return known["workers"]
    if measuring is not None:
        measuring()
    rates = measure()
    best = max(rates, key=lambda workers: (rates[workers], -workers))
    kept = _read(cache)  # another process may have written meanwhile
    kept[key] = {"workers": best, "orders_per_second": {str(w): round(r) for w, r in rates.items()},
                 "orders": CALIBRATION_ORDERS, "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    _write(cache, kept)
    _log.info("import workers measured on %s: %s orders/s; default %d", key, rates, best)
    return best


def measure(orders: int = CALIBRATION_ORDERS, batch_size: int = CALIBRATION_BATCH,
            candidates: tuple[int, ...] = CANDIDATES, rounds: int = 2) -> dict[int, float]:
    """Orders per second importing the same generated orders with each worker count (best of
    `rounds`, alternating), each into a fresh scratch SQLite database."""
    records = [Incoming(f"line {i}", o["external_id"], o) for i, o in enumerate(bench_orders(orders, seed=97), 1)]
    best: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="shopledger-calibrate-") as tmp:
        for run in range(rounds):
            for workers in candidates if run % 2 == 0 else tuple(reversed(candidates)):
                rate = orders / _timed_import(Path(tmp) / f"w{workers}-r{run}.db", records, workers, batch_size)
                best[workers] = max(best.get(workers, 0.0), rate)
    return best


def _timed_import(path: Path, records: list[Incoming], workers: int, batch_size: int) -> float:
    from shopledger.services.setup import init_database  # Alembic is slow to import: only here

    url = f"sqlite:///{path}"
    engine = make_engine(url)
    try:
        init_database(engine)
        if workers == 1:
            started = time.perf_counter()
            take_orders(engine, records, source="calibration", actor="calibration", batch_size=batch_size)
            return time.perf_counter() - started
        with ParallelTaker(url, source="calibration", actor="calibration", workers=workers) as taker:
            taker.start()
            started = time.perf_counter()
            feed(taker, records, batch_size)
            return time.perf_counter() - started
    finally:
        engine.dispose()


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def machine_key() -> str:
    return f"{usable_cpus()} cpu x {_cpu_model()}"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _read(cache: Path) -> dict:
    try:
        kept = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return kept if isinstance(kept, dict) else {}


def _write(cache: Path, kept: dict) -> None:
    """Atomically (a reader sees the old file or the new one); a cache that cannot be written is
    measured again next time, never an error."""
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=cache.parent, prefix=cache.name, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(kept, handle, indent=2, sort_keys=True)
        os.replace(temp, cache)
    except OSError as error:
        _log.warning("could not keep the measured import workers in %s: %s", cache, error)
