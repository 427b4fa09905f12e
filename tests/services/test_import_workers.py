"""The import's default worker count comes from a measurement on the machine, kept per machine;
SHOPLEDGER_IMPORT_WORKERS overrides it and a small file is taken by one process."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from shopledger.config import Settings
from shopledger.services import import_workers as iw

BIG = 50 * 2**20


def _kept(path, workers: int, rates: dict[str, int], key: str | None = None) -> None:
    path.write_text(json.dumps({key or iw.machine_key(): {"workers": workers, "orders_per_second": rates}}))


@pytest.fixture
def measured(monkeypatch) -> list[int]:
    """Measurements taken (none unless a test lets them: each returns 1 as the faster)."""
    taken: list[int] = []

    def measure():
        taken.append(1)
        return {1: 2600.0, 2: 1900.0}

    monkeypatch.setattr(iw, "measure", measure)
    monkeypatch.setattr(iw, "usable_cpus", lambda: 2)
    return taken


def test_with_the_measurement_saying_one_is_faster_the_default_is_one(tmp_path, measured):
    cache = tmp_path / "import-workers.json"
    _kept(cache, 1, {"1": 2600, "2": 1900})
    assert iw.default_workers(None, cache, size_bytes=BIG) == 1
    _kept(cache, 2, {"1": 2600, "2": 4100})
    assert iw.default_workers(None, cache, size_bytes=BIG) == 2
    assert measured == []  # read from the cache, not measured again


def test_the_setting_overrides_the_measurement(tmp_path, measured, monkeypatch):
    cache = tmp_path / "import-workers.json"
    _kept(cache, 1, {"1": 2600, "2": 1900})
    monkeypatch.setenv("SHOPLEDGER_IMPORT_WORKERS", "2")
    assert Settings().import_workers == 2
    assert iw.default_workers(Settings().import_workers, cache, size_bytes=BIG) == 2
    assert iw.default_workers(3, cache, size_bytes=100) == 3  # `--workers` is taken as given
    monkeypatch.delenv("SHOPLEDGER_IMPORT_WORKERS")
    assert Settings().import_workers is None
    assert measured == []


def test_a_small_file_is_taken_by_one_process_without_measuring(tmp_path, measured):
    cache = tmp_path / "import-workers.json"
    _kept(cache, 2, {"1": 2000, "2": 4100})
    assert iw.default_workers(None, cache, size_bytes=iw.SMALL_FILE_BYTES - 1) == 1
    assert iw.default_workers(None, tmp_path / "missing.json", size_bytes=1000) == 1
    assert measured == []


def test_a_machine_not_in_the_cache_is_measured_once_and_kept(tmp_path, measured):
    cache = tmp_path / "var" / "import-workers.json"
    _kept_elsewhere = {"64 cpu x another machine": {"workers": 2}}
    cache.parent.mkdir()
    cache.write_text(json.dumps(_kept_elsewhere))
    told = []
    assert iw.default_workers(None, cache, measuring=lambda: told.append(1)) == 1
    assert iw.default_workers(None, cache) == 1
    assert (measured, told) == ([1], [1])
    kept = json.loads(cache.read_text())
    assert kept["64 cpu x another machine"] == {"workers": 2}  # other machines' answers stay
    assert kept[iw.machine_key()]["orders_per_second"] == {"1": 2600, "2": 1900}


def test_an_unreadable_cache_is_measured_again(tmp_path, measured):
    cache = tmp_path / "import-workers.json"
    cache.write_text("{not json")
    assert iw.default_workers(None, cache) == 1
    _kept(cache, 7, {})  # not a count it could have chosen
    assert iw.default_workers(None, cache) == 1
    assert measured == [1, 1]


def test_one_core_needs_no_measurement(tmp_path, measured, monkeypatch):
    monkeypatch.setattr(iw, "usable_cpus", lambda: 1)
    assert iw.default_workers(None, tmp_path / "x.json", size_bytes=BIG) == 1
    assert measured == []


def test_the_cli_import_takes_the_measured_default(tmp_path, measured, monkeypatch):
    from shopledger.cli import main

    chosen = []
    monkeypatch.setattr(main, "take_orders", lambda *a, **k: chosen.append(1) or _Report())
    monkeypatch.setattr(main, "take_orders_in_parallel", lambda *a, **k: chosen.append(k["workers"]) or _Report())
    monkeypatch.setattr(main, "read_orders", lambda path: iter(()))
    big = tmp_path / "orders.ndjson"
    with big.open("wb") as handle:
        handle.truncate(iw.SMALL_FILE_BYTES + 1)  # sparse: its size is all that is read here
    cache = tmp_path / "import-workers.json"
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", import_workers_file=str(cache))
    monkeypatch.setattr(main, "get_settings", lambda: settings)
    _kept(cache, 1, {"1": 2600, "2": 1900})
    assert CliRunner().invoke(main.app, ["import", str(big)]).exit_code == 0
    _kept(cache, 2, {"1": 2600, "2": 4100})
    assert CliRunner().invoke(main.app, ["import", str(big)]).exit_code == 0
    settings.import_workers = 1
    assert CliRunner().invoke(main.app, ["import", str(big)]).exit_code == 0
    assert CliRunner().invoke(main.app, ["import", str(big), "--workers", "2"]).exit_code == 0
    assert chosen == [1, 2, 1, 2]


class _Report:
    failed: list = []

    def as_dict(self) -> dict:
        return {"created": 0, "updated": 0, "unchanged": 0, "failed": []}


@pytest.mark.slow
def test_the_measurement_imports_with_each_count(monkeypatch):
    rates = iw.measure(orders=120, batch_size=30, rounds=1)
    assert set(rates) == {1, 2} and all(rate > 0 for rate in rates.values())
