"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it is sent, and the e-Tax PDF read
back with pikepdf (qpdf): another library than the one that wrote it."""
from __future__ import annotations

import io
import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pikepdf
from aiosmtpd.controller import Controller
from lxml import etree


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Mailbox:
    """The messages the local server took, in order."""

    received: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_smtp() -> tuple[Controller, Mailbox, int]:
    mailbox, port = Mailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, mailbox, port


def embedded_xml(pdf_bytes: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        return pdf.attachments["ETDA-invoice.xml"].get_file().read_bytes()


XMP_NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
          "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#", "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
          "rsm": "urn:etda:uncefact:data:standard:Invoice_CrossIndustryInvoice:2#"}


def xmp_of(pdf_bytes: bytes) -> etree._Element:
    """The XMP packet as XML (the xpacket instructions around it are left)."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        packet = pdf.Root.Metadata.read_bytes()
    start, end = packet.index(b"<x:xmpmeta"), packet.rindex(b"</x:xmpmeta>") + len(b"</x:xmpmeta>")
    return etree.fromstring(packet[start:end])
