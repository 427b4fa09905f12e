"""Moving the demo shop the server mounts one day on, from another process (`shopledger demo --advance`)."""
from __future__ import annotations

import httpx2

from shopledger.demo.shop_source import ADVANCE_PATH, DEMO_TOKEN, MOUNT_PATH


def advance_served_shop(server_url: str, token: str = DEMO_TOKEN, client: httpx2.Client | None = None) -> list[str]:
    """The order_ids that moved. Raises httpx2.HTTPError when the server or its demo shop is not there."""
    http = client or httpx2.Client(timeout=10.0)
    try:
        answer = http.post(f"{server_url.rstrip('/')}{MOUNT_PATH}{ADVANCE_PATH}",
                           headers={"Authorization": f"Bearer {token}"})
        answer.raise_for_status()
        return list(answer.json()["changed"])
    finally:
        if client is None:
            http.close()
