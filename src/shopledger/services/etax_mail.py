"""e-Tax Invoice by Email: a document's PDF/A-3 with its ETDA XML inside, e-mailed to the buyer
with ETDA's time-stamping address in copy, through the SMTP server in the settings; each sending
recorded (when, to whom, the message's id, sent or why not). docs/etax.md says why each rule.

The e-mail is sent outside any transaction (an SMTP server may take its time); the sending is
recorded afterwards in a short one, whether it went or not.
"""
from __future__ import annotations

import re
from string import Formatter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage

from sqlalchemy import Engine, select

from shopledger.adapters import mail
from shopledger.adapters.db import etax_reads, sendings_repo, settings_repo, tables as t
from shopledger.adapters.db.engine import reading, writing
from shopledger.adapters.etax import pdfa
from shopledger.adapters.etax.xml import etax_xml
from shopledger.domain.accounting.documents import DocumentKind, DocumentStatus
from shopledger.domain.errors import DomainError, NotFound
from shopledger.domain.etax.build import etax_document
from shopledger.domain.etax.model import FORMS, GUIDELINE_VERSION
from shopledger.domain.limits import MAX_EMAIL
from shopledger.services.reports import paper

EMAIL_KEY = "email"
ETDA_CC = "csemail@etax.teda.th"  # ETDA's time-stamping mailbox for e-Tax Invoice by Email
# What the subject is made of (a setting: ETDA's pattern may change). See docs/etax.md.
DEFAULT_SUBJECT = "{seller_tax_id}.{number}"
SUBJECT_FIELDS = ("number", "type_code", "type_name", "seller_tax_id", "seller_branch", "seller_name", "date")
EMAIL_DEFAULTS: dict[str, object] = {
    "smtp_host": "", "smtp_port": 587, "smtp_security": "starttls", "smtp_user": "", "smtp_password": "",
    "from_address": "", "from_name": "", "subject_pattern": DEFAULT_SUBJECT, "cc_address": ETDA_CC,
}
MAX_SUBJECT = 300
_EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")

Sender = Callable[[mail.SmtpServer, EmailMessage], None]


class EmailNotSent(DomainError):
    """The SMTP server did not take the message; the attempt is recorded with the reason."""

    status = 502

    def __init__(self, number: str, reason: str):
        super().__init__("email_not_sent", f"{number} was not sent: {reason}", {"number": number, "reason": reason})


@dataclass(frozen=True, slots=True)
class EtaxPdf:
    number: str
    pdf: bytes
    xml: bytes  # exactly what is inside the PDF as ETDA-invoice.xml


# --- the settings ---------------------------------------------------------------------------

def email_settings(engine: Engine) -> dict:
    """The e-mail settings as shown: the password never, only whether one is set."""
    with reading(engine) as conn:
        values = _stored(settings_repo.read_settings(conn))
    return _shown(values)


def set_email(engine: Engine, changes: dict) -> dict:
    """Changes some of the e-mail settings (None or absent: unchanged; "" clears a text); each
    checked, every problem reported at once."""
    with writing(engine) as conn:
        values = _stored(settings_repo.read_settings(conn))
        wanted = values | {k: v for k, v in changes.items() if k in EMAIL_DEFAULTS and v is not None}
        checked = _checked(wanted)
        settings_repo.write_settings(conn, {EMAIL_KEY: checked})
    return _shown(checked)


def _stored(values: dict) -> dict:
    return EMAIL_DEFAULTS | (values.get(EMAIL_KEY) or {})


def _shown(values: dict) -> dict:
    shown = {k: v for k, v in values.items() if k != "smtp_password"}
    return shown | {"password_set": bool(values.get("smtp_password")), "ready": not _not_ready(values)}


# Each problem with the e-mail settings: the field it is about and what is wrong, in words.
PROBLEMS = {
    "smtp_host": "the SMTP host is a name like smtp.example.com",
    "smtp_port": "the SMTP port is a number from 1 to 65535",
    "smtp_security": "security is one of " + ", ".join(mail.SECURITIES),
    "from_address": "the sender's address is not an e-mail address",
    "cc_address": "the address in copy is not an e-mail address",
    "from_name": "the sender's name is one line of at most 100 characters",
    "smtp_user": "the user name is at most 254 characters",
    "smtp_password": "the password is at most 500 characters",
    "subject_pattern": "the subject pattern may use only " + ", ".join("{" + f + "}" for f in SUBJECT_FIELDS)
                       + " and is one line of at most 200 characters",
}


def _checked(values: dict) -> dict:
    out = dict(values)
    for key in ("smtp_host", "smtp_user", "from_address", "from_name", "cc_address", "subject_pattern", "smtp_security"):
        out[key] = str(out.get(key) or "").strip()
    out["smtp_password"] = str(values.get("smtp_password") or "")
    out["subject_pattern"] = out["subject_pattern"] or DEFAULT_SUBJECT
    wrong = []
    if len(out["smtp_host"]) > 253 or any(c.isspace() or c in "/@" for c in out["smtp_host"]):
        wrong.append("smtp_host")
    try:
        out["smtp_port"] = int(str(out.get("smtp_port") or "").strip())
        if not 1 <= out["smtp_port"] <= 65535:
            raise ValueError
    except ValueError:
        wrong.append("smtp_port")
    if out["smtp_security"] not in mail.SECURITIES:
        wrong.append("smtp_security")
    wrong += [key for key in ("from_address", "cc_address")
              if out[key] and (len(out[key]) > MAX_EMAIL or not _EMAIL.match(out[key]))]
    if len(out["from_name"]) > 100 or any(c in "\r\n" for c in out["from_name"]):
        wrong.append("from_name")
    wrong += [key for key, most in (("smtp_user", MAX_EMAIL), ("smtp_password", 500)) if len(out[key]) > most]
    pattern = out["subject_pattern"]
    try:
        if len(pattern) > 200 or any(c in "\r\n" for c in pattern):
            raise ValueError
        subject_of(pattern, {name: "x" for name in SUBJECT_FIELDS})
    except (DomainError, ValueError):
        wrong.append("subject_pattern")
    if wrong:
        raise DomainError("invalid_email_settings", "; ".join(PROBLEMS[key] for key in wrong), {"fields": wrong})
    return out


def subject_of(pattern: str, fields: dict) -> str:
    """The pattern with its {fields} filled in (cut to MAX_SUBJECT). Only plain {name}s of
    SUBJECT_FIELDS are read: no attribute, index, conversion or format spec."""
    parts = []
    try:
        for literal, name, spec, conversion in Formatter().parse(pattern):
            parts.append(literal)
            if name is None:
                continue
            if name not in SUBJECT_FIELDS or spec or conversion:
                raise ValueError(f"{{{name}}}")
            parts.append(str(fields.get(name, "")))
    except ValueError as error:
        raise DomainError("invalid_email_settings", f"the subject pattern {pattern[:80]!r} does not read ({error}); "
                          + PROBLEMS["subject_pattern"], {"fields": ["subject_pattern"]}) from None
    return " ".join("".join(parts).split())[:MAX_SUBJECT]


def _not_ready(values: dict) -> list[str]:
    missing = [what for key, what in (("smtp_host", "the SMTP host"), ("from_address", "the sender's address"))
               if not values.get(key)]
    return missing


# --- the PDF/A-3 and the sending ------------------------------------------------------------

def etax_pdf(engine: Engine, number: str) -> EtaxPdf:
    """The document's PDF as PDF/A-3b with its e-Tax XML inside (the XML `documents xml` writes);
    EtaxRefused with the reasons when the XML cannot be valid."""
    with reading(engine) as conn:
        values = settings_repo.read_settings(conn)
        found = etax_reads.issued(conn, number, values["company"])
    if found is None:
        raise NotFound("document", number)
    xml = etax_xml(etax_document(found))
    markup = paper.document_markup(engine, number)
    pdf = pdfa.pdfa3(markup, xml, type_code=FORMS[found.kind].type_code, version=GUIDELINE_VERSION.lstrip("v"))
    return EtaxPdf(number, pdf, xml)


def send_document(engine: Engine, number: str, *, sent_by: str, send: Sender = mail.send) -> dict:
    """E-mails the document's e-Tax PDF to the buyer, ETDA's address in copy, and records it.
    Refused before anything is sent (nothing recorded) when the buyer has no e-mail, the SMTP
    server is not set, or the document is void; EmailNotSent (recorded) when the server does not
    take it. Returns the sending as recorded."""
    with reading(engine) as conn:
        values = settings_repo.read_settings(conn)
        settings = _stored(values)
        row = conn.execute(select(t.documents.c.status, t.documents.c.kind, t.documents.c.particulars, t.orders.c.data)
                           .join(t.orders, t.orders.c.id == t.documents.c.order_id)
                           .where(t.documents.c.number == number)).first()
    if row is None:
        raise NotFound("document", number)
    if row.status == str(DocumentStatus.VOID):
        raise DomainError("document_void", f"{number} is void: a void document is not sent")
    to = str(((row.data or {}).get("customer") or {}).get("email") or "").strip()
    if not to or not _EMAIL.match(to):
        raise DomainError("no_buyer_email", f"the buyer of {number} has no e-mail address"
                          + (f" ({to[:60]!r} is not one)" if to else "") + ": it cannot be sent")
    if missing := _not_ready(settings):
        raise DomainError("email_not_set_up", "e-mail is not set up: " + " and ".join(missing) + " missing "
                          "(shopledger settings email --smtp-host ... --from ...)")
    made = etax_pdf(engine, number)
    p = row.particulars or {}
    seller = p.get("seller") or {}
    subject = subject_of(settings["subject_pattern"], {
        "number": number, "type_code": FORMS[DocumentKind(row.kind)].type_code, "type_name": p.get("title") or "",
        "seller_tax_id": seller.get("tax_id") or "", "seller_branch": seller.get("branch") or "",
        "seller_name": seller.get("name") or "", "date": p.get("date") or ""})
    message = mail.message_of(mail.Outgoing(
        from_address=settings["from_address"], from_name=settings["from_name"], to=to, cc=settings["cc_address"],
        subject=subject, body=_body(number, p, seller),
        attachments=(mail.Attachment(f"{number}.pdf", "application/pdf", made.pdf),)))
    server = mail.SmtpServer(settings["smtp_host"], int(settings["smtp_port"]), settings["smtp_security"],
                             settings["smtp_user"], settings["smtp_password"])
    error = None
    try:
        send(server, message)
    except mail.MailFailed as failed:
        error = failed.reason
    attempted_at = datetime.now(timezone.utc)
    with writing(engine) as conn:
        sendings_repo.record(conn, number=number, attempted_at=attempted_at, to_address=to,
                             cc_address=settings["cc_address"], subject=subject, message_id=message["Message-ID"],
                             outcome="failed" if error else "sent", error=error, sent_by=sent_by)
    if error:
        raise EmailNotSent(number, error)
    return {"number": number, "attempted_at": attempted_at.isoformat(), "to": to, "cc": settings["cc_address"],
            "subject": subject, "message_id": message["Message-ID"], "outcome": "sent", "error": None,
            "sent_by": sent_by}


def sendings(engine: Engine, number: str) -> list[dict]:
    with reading(engine) as conn:
        if conn.execute(select(t.documents.c.id).where(t.documents.c.number == number)).first() is None:
            raise NotFound("document", number)
        return sendings_repo.sendings(conn, number)


def _body(number: str, p: dict, seller: dict) -> str:
    buyer = (p.get("buyer") or {}).get("name") or ""
    title = p.get("title") or ""
    return (f"เรียน {buyer}\n\n"
            f"{seller.get('name') or ''} ขอส่ง{title} เลขที่ {number} เป็นใบกำกับภาษีอิเล็กทรอนิกส์ "
            "(e-Tax Invoice by Email) ในไฟล์ PDF/A-3 ที่แนบมา ซึ่งมีข้อมูล XML ตามมาตรฐาน ETDA อยู่ภายใน\n\n"
            f"Please find attached {number} as an e-Tax Invoice (PDF/A-3 with ETDA's XML inside).\n")
