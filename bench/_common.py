"""What the benchmarks share: the database server's version, running the real CLI, and building
a database by importing `bench_orders` through it (as a merchant would)."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def server_version(url: str) -> str:
    if url.startswith("sqlite"):
        return f"sqlite {sqlite3.sqlite_version}"
    from sqlalchemy import create_engine, text

    engine = create_engine(url.rsplit("/", 1)[0] + "/postgres")
    with engine.connect() as conn:
        version = conn.execute(text("SHOW server_version")).scalar()
    engine.dispose()
    return f"postgresql {version}"


def cli(args: list[str], env: dict, ok: tuple[int, ...] = (0,)) -> None:
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "shopledger"), *args], env=env, capture_output=True)
    if done.returncode not in ok:
        raise SystemExit(f"shopledger {' '.join(args)} failed ({done.returncode}): {done.stderr.decode()[-2000:]}")


def import_bench_orders(n: int, seed: int, env: dict, *, prefix: str,
                        reshape: Callable[[int, dict], None] | None = None) -> float:
    """`shopledger init`, then `import` of n bench_orders (each changed by `reshape(index, order)`
    first, if given) from an NDJSON file; the import's seconds."""
    from shopledger.demo.orders import bench_orders

    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        orders = Path(tmp) / "orders.ndjson"
        with orders.open("w", encoding="utf-8") as handle:
            for index, order in enumerate(bench_orders(n, seed)):
                if reshape is not None:
                    reshape(index, order)
                handle.write(json.dumps(order, ensure_ascii=False, separators=(",", ":")) + "\n")
        cli(["init"], env)
        started = time.perf_counter()
        cli(["import", str(orders), "--json"], env, ok=(0, 1))
        return time.perf_counter() - started


def signed_in(engine, role: str) -> str:
    """The session cookie of a new person of `role` who signed in, as the sign-in page gives a browser."""
    import uuid

    from shopledger.services import people

    email, password = f"bench-{time.time_ns()}@bench.test", uuid.uuid4().hex
    people.create_user(engine, email, role, password)
    return people.sign_in(engine, email, password).cookie
