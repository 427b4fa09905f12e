"""E-mail out through an SMTP server (the standard library's smtplib): a message with its
attachments, sent without TLS, with STARTTLS or over TLS from the start, and every way it can fail
turned into one MailFailed with the reason in words."""
from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

SECURITIES = ("none", "starttls", "ssl")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
TIMEOUT_SECONDS = 30


class MailFailed(Exception):
    """The message did not reach the SMTP server; `reason` says why in the merchant's words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class SmtpServer:
    host: str
    port: int
    security: str = "starttls"  # none | starttls | ssl
    user: str = ""
    password: str = ""
    timeout: float = TIMEOUT_SECONDS


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    media_type: str  # e.g. application/pdf
    data: bytes


@dataclass(frozen=True, slots=True)
class Outgoing:
    from_address: str
    to: str
    subject: str
    body: str
    cc: str = ""
    from_name: str = ""
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)


def message_of(outgoing: Outgoing) -> EmailMessage:
    """The MIME message, with a Message-ID made here (so it is known whether or not it is sent)."""
    message = EmailMessage()
    domain = outgoing.from_address.rpartition("@")[2] or None
    message["From"] = Address(outgoing.from_name, addr_spec=outgoing.from_address) if outgoing.from_name \
        else outgoing.from_address
    message["To"] = outgoing.to
    if outgoing.cc:
        message["Cc"] = outgoing.cc
    message["Subject"] = outgoing.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(outgoing.body)
    for attachment in outgoing.attachments:
        main, _, sub = attachment.media_type.partition("/")
        message.add_attachment(attachment.data, maintype=main, subtype=sub, filename=attachment.filename)
    return message


def send(server: SmtpServer, message: EmailMessage) -> None:
    """Hands the message to the server for its To and Cc; MailFailed when it is not taken."""
    try:
        with _connect(server) as smtp:
            if server.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if server.user:
                smtp.login(server.user, server.password)
            smtp.send_message(message)
    except MailFailed:
        raise
    except smtplib.SMTPAuthenticationError as error:
        raise MailFailed(f"the SMTP server refused the user name or password ({_said(error)})") from None
    except smtplib.SMTPRecipientsRefused as error:
        refused = ", ".join(error.recipients)
        raise MailFailed(f"the SMTP server refused the recipient(s) {refused}") from None
    except smtplib.SMTPSenderRefused as error:
        raise MailFailed(f"the SMTP server refused the sender {error.sender} ({_said(error)})") from None
    except smtplib.SMTPNotSupportedError:
        raise MailFailed("the SMTP server does not offer STARTTLS: choose security ssl or none") from None
    except smtplib.SMTPResponseException as error:
        raise MailFailed(f"the SMTP server answered {_said(error)}") from None
    except smtplib.SMTPServerDisconnected:
        raise MailFailed("the SMTP server closed the connection before the message was taken") from None
    except smtplib.SMTPException as error:
        raise MailFailed(f"SMTP failed: {error}") from None
    except ssl.SSLError as error:
        raise MailFailed(f"TLS with {server.host}:{server.port} failed ({error.reason or error}): "
                         "check the port and the security setting") from None
    except socket.gaierror:
        raise MailFailed(f"the SMTP server {server.host} was not found") from None
    except ConnectionRefusedError:
        raise MailFailed(f"the SMTP server {server.host}:{server.port} refused the connection") from None
    except (TimeoutError, socket.timeout):
        raise MailFailed(f"the SMTP server {server.host}:{server.port} did not answer in "
                         f"{server.timeout:g} seconds") from None
    except OSError as error:
        raise MailFailed(f"could not reach the SMTP server {server.host}:{server.port} "
                         f"({error.strerror or error})") from None


def _connect(server: SmtpServer) -> smtplib.SMTP:
    if server.security == "ssl":
        return smtplib.SMTP_SSL(server.host, server.port, timeout=server.timeout,
                                context=ssl.create_default_context())
    if server.security in ("none", "starttls"):
        return smtplib.SMTP(server.host, server.port, timeout=server.timeout)
    raise MailFailed(f"security {server.security!r} is not one of {', '.join(SECURITIES)}")


def _said(error: smtplib.SMTPResponseException) -> str:
    text = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else str(error.smtp_error)
    return f"{error.smtp_code} {text}".strip()
