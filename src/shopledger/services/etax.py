"""e-Tax Invoice XML (ETDA v2.1) of the documents issued: one, or a month's for upload, signed
or not; and the signing certificate in the settings. docs/etax.md says what is written and why."""
from __future__ import annotations

import io
import re
import zipfile
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from shopledger.adapters.db import etax_reads, settings_repo
from shopledger.adapters.db.engine import reading, writing
from shopledger.adapters.etax.signing import SigningKey, load_signing_key, sign_xml
from shopledger.adapters.etax.xml import etax_xml
from shopledger.domain.errors import DomainError, NotFound
from shopledger.domain.etax.build import Issued, etax_document
from shopledger.domain.etax.checks import EtaxRefused

SIGNING_KEY = "etax_signing"
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def document_xml(engine: Engine, number: str, *, signed: bool = False) -> bytes:
    """The document's XML, checked first; EtaxRefused with the reasons if it cannot be valid."""
    with reading(engine) as conn:
        values = settings_repo.read_settings(conn)
        found = etax_reads.issued(conn, number, values["company"])
    if found is None:
        raise NotFound("document", number)
    return _xml(found, _signing_key(values) if signed else None)


@dataclass
class MonthXml:
    """A month's documents as a zip of `<number>.xml`, and those refused with their reasons."""

    month: str
    zip_bytes: bytes
    written: list[str] = field(default_factory=list)
    refused: dict[str, list[str]] = field(default_factory=dict)


def month_xml(engine: Engine, month: str, *, signed: bool = False) -> MonthXml:
    """Every document dated in `month` (YYYY-MM) but void ones. A document that cannot be
    valid is left out and listed with its reasons; the others are written."""
    first, last = month_days(month)
    with reading(engine) as conn:
        values = settings_repo.read_settings(conn)
        documents = list(etax_reads.issued_in(conn, first, last, values["company"]))
    key = _signing_key(values) if signed else None
    result = MonthXml(month, b"")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for doc in documents:
            try:
                xml = _xml(doc, key)
            except EtaxRefused as refused:
                result.refused[doc.number] = refused.reasons
                continue
            archive.writestr(f"{doc.number}.xml", xml)
            result.written.append(doc.number)
    result.zip_bytes = buffer.getvalue()
    return result


def month_days(month: str) -> tuple[date, date]:
    match = _MONTH.match(month or "")
    if not match:
        raise DomainError("invalid_month", f"month {month!r} must be written YYYY-MM, e.g. 2026-11")
    year, number = int(match[1]), int(match[2])
    return date(year, number, 1), date(year, number, monthrange(year, number)[1])


def set_signing(engine: Engine, pkcs12_path: str | None, password: str | None) -> dict:
    """The PKCS#12 certificate XML is signed with; checked that it opens. None clears it."""
    if pkcs12_path is None:
        value = None
    else:
        path = str(Path(pkcs12_path).expanduser().absolute())
        key = load_signing_key(path, password or "")
        value = {"pkcs12_path": path, "password": password or "", "subject": key.subject, "not_after": key.not_after}
    with writing(engine) as conn:
        settings_repo.write_settings(conn, {SIGNING_KEY: value})
    return {"pkcs12_path": value["pkcs12_path"], "subject": value["subject"], "not_after": value["not_after"]} \
        if value else {"pkcs12_path": None}


def _signing_key(values: dict) -> SigningKey:
    signing = values.get(SIGNING_KEY) or {}
    if not signing.get("pkcs12_path"):
        raise DomainError("signing_not_set_up", "no signing certificate is set: "
                          "shopledger settings signing --pkcs12 FILE.p12 --password ...")
    return load_signing_key(signing["pkcs12_path"], signing.get("password") or "")


def _xml(doc: Issued, key: SigningKey | None) -> bytes:
    xml = etax_xml(etax_document(doc))
    return sign_xml(xml, key) if key is not None else xml
