"""Each web process runs requests' work on a few threads (SHOPLEDGER_WEB_THREADS, 8 unless set),
not anyio's 40: fifty busy clients sharing one GIL forty ways all finished late together."""
from __future__ import annotations

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient

from shopledger.config import get_settings
from shopledger.web.app import create_app

pytestmark = pytest.mark.db


async def _tokens() -> float:
    return anyio.to_thread.current_default_thread_limiter().total_tokens


@pytest.mark.parametrize("setting, threads", [(None, 8), ("3", 3)])
def test_the_server_runs_requests_on_the_threads_set(engine, monkeypatch, setting, threads):
    if setting is not None:
        monkeypatch.setenv("SHOPLEDGER_WEB_THREADS", setting)
    get_settings.cache_clear()
    try:
        with TestClient(create_app(engine, extra_hosts=("testserver",))) as client:
            assert client.portal.call(_tokens) == threads
            assert client.get("/healthz").status_code == 200
    finally:
        get_settings.cache_clear()
