"""The CLI against a temp SQLite file, run as a merchant would type it."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from shopledger import bootstrap, config
from shopledger.cli.main import app


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPLEDGER_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    config.get_settings.cache_clear()
    bootstrap.engine_for.cache_clear()
    runner = CliRunner()

    def run(*args, code: int = 0):
        result = runner.invoke(app, [str(a) for a in args])
        assert result.exit_code == code, (args, result.output, result.exception)
        return result

    run("init")
    yield run
    bootstrap.engine_for.cache_clear()
    config.get_settings.cache_clear()
