"""How a shop signs an order it pushes to us, and how long a signed push stays good.

The signature covers the time it was sent and the delivery id as well as the body, so a
captured push cannot be sent again later (the time is stale) nor sooner under another
delivery id (the signature no longer matches). docs/webhooks.md gives the recipe.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

TOLERANCE = timedelta(minutes=5)  # either way: a shop's clock may be a little ahead of ours
REMEMBERED_FOR = timedelta(days=1)  # far longer than TOLERANCE, so a replay is stale or remembered
_TIMESTAMP = re.compile(r"\d{1,12}")
_DELIVERY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")


@dataclass(frozen=True, slots=True)
class SignedHeaders:
    """X-Shop-Timestamp (unix seconds), X-Shop-Delivery and X-Shop-Signature, as received."""

    timestamp: str | None
    delivery_id: str | None
    signature: str | None

    def well_formed(self) -> bool:
        return bool(self.timestamp and _TIMESTAMP.fullmatch(self.timestamp)
                    and self.delivery_id and _DELIVERY_ID.fullmatch(self.delivery_id)
                    and self.signature)

    def fresh_at(self, now: datetime) -> bool:
        return abs(now.timestamp() - int(self.timestamp or 0)) <= TOLERANCE.total_seconds()


def signature_for(secret: str, timestamp: str, delivery_id: str, body: bytes) -> str:
    """Hex HMAC-SHA256, keyed by the source's push secret, of `{timestamp}.{delivery_id}.{body}`."""
    signed = f"{timestamp}.{delivery_id}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_matches(secret: str, headers: SignedHeaders, body: bytes) -> bool:
    expected = signature_for(secret, headers.timestamp or "", headers.delivery_id or "", body)
    given = (headers.signature or "").strip().removeprefix("sha256=").lower()
    return hmac.compare_digest(expected.encode(), given.encode())  # constant time: no byte-by-byte probing


def signed_headers(secret: str, delivery_id: str, body: bytes, now: datetime) -> dict[str, str]:
    """What a sender adds to a push (the demo shop and tests send with these)."""
    timestamp = str(int(now.timestamp()))
    return {"X-Shop-Timestamp": timestamp, "X-Shop-Delivery": delivery_id,
            "X-Shop-Signature": "sha256=" + signature_for(secret, timestamp, delivery_id, body)}
