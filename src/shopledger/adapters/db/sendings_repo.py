"""Each sending of a document by e-mail (tables.document_sendings): recorded, and read back."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select

from shopledger.adapters.db import tables as t

_s = t.document_sendings


def record(conn: Connection, *, number: str, attempted_at: datetime, to_address: str, cc_address: str,
           subject: str, message_id: str, outcome: str, error: str | None, sent_by: str) -> None:
    conn.execute(insert(_s).values(
        document_number=number, attempted_at=attempted_at, to_address=to_address[:254], cc_address=cc_address[:254],
        subject=subject[:300], message_id=message_id[:300], outcome=outcome, error=(error or None) and error[:500],
        sent_by=sent_by[:254]))


def sendings(conn: Connection, number: str) -> list[dict]:
    """The document's sendings, the newest first."""
    rows = conn.execute(select(_s).where(_s.c.document_number == number)
                        .order_by(_s.c.attempted_at.desc(), _s.c.id.desc()))
    return [{"attempted_at": row.attempted_at.isoformat(), "to": row.to_address, "cc": row.cc_address,
             "subject": row.subject, "message_id": row.message_id, "outcome": row.outcome, "error": row.error,
             "sent_by": row.sent_by} for row in rows]
