"""The documents list the Documents page shows: filtered by kind, status and month, searched by
number or buyer, a page at a time with how many match."""
from __future__ import annotations

from sqlalchemy import Engine

from shopledger.adapters.db.document_reads import find_documents
from shopledger.adapters.db.engine import reading
from shopledger.domain.accounting.documents import DocumentKind, DocumentStatus
from shopledger.domain.accounting.statements import parse_month
from shopledger.domain.errors import DomainError


def documents(engine: Engine, *, kind: str = "", status: str = "", month: str = "", search: str = "",
              limit: int = 50, offset: int = 0) -> tuple[list[dict], int]:
    if kind and kind not in {str(k) for k in DocumentKind}:
        raise DomainError("invalid_kind", f"{kind!r} is not a kind of document", {"kind": kind})
    if status and status not in {str(s) for s in DocumentStatus}:
        raise DomainError("invalid_status", f"{status!r} is not a document status", {"status": status})
    period = parse_month(month) if month else None
    with reading(engine) as conn:
        return find_documents(conn, kind=kind or None, status=status or None,
                              first=period.first if period else None, last=period.last if period else None,
                              search=search, limit=limit, offset=offset)
