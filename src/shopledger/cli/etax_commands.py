"""CLI: e-Tax Invoice XML (`documents xml`), the certificate it is signed with (`settings signing`),
the PDF/A-3 for e-Tax Invoice by Email (`documents etax`), sending it (`documents send`) and the
SMTP server it goes through (`settings email`)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from shopledger.bootstrap import default_engine
from shopledger.cli.output import domain_errors, emit_json


@domain_errors
def xml(number: Optional[str] = typer.Argument(None, help="the document number, e.g. RT-202611-00001"),
        month: Optional[str] = typer.Option(None, "--month", help="YYYY-MM: every document dated in it, as a zip"),
        output: Optional[Path] = typer.Option(None, "-o", "--output", help="the file to write (default: stdout)"),
        signed: bool = typer.Option(False, "--signed", help="XAdES-BES signed with the certificate in the settings")
        ) -> None:
    """ETDA e-Tax Invoice XML (v2.1) of a document, or a month's documents for upload.

    A document that cannot be valid is refused with its reasons (exit 2) and nothing is
    written; in a month's zip it is left out and listed (exit 1)."""
    from shopledger.services import etax  # lxml, signxml: loaded by the commands that use them

    if (number is None) == (month is None):
        typer.echo("error (usage): give a document NUMBER or --month YYYY-MM", err=True)
        raise typer.Exit(2)
    engine = default_engine()
    if number is not None:
        _write(etax.document_xml(engine, number, signed=signed), output)
        if output is not None:
            typer.echo(f"{number}: e-Tax XML written to {output}", err=True)
        return
    if output is None:
        typer.echo("error (usage): a month's XML is a zip: give -o FILE.zip", err=True)
        raise typer.Exit(2)
    result = etax.month_xml(engine, month, signed=signed)
    _write(result.zip_bytes, output)
    typer.echo(f"{month}: {len(result.written)} document(s) written to {output}"
               + (f", {len(result.refused)} refused" if result.refused else ""))
    for number, reasons in result.refused.items():
        typer.echo(f"  REFUSED {number}: {'; '.join(reasons)}", err=True)
    raise typer.Exit(1 if result.refused else 0)


def _write(data: bytes, output: Optional[Path]) -> None:
    if output is None:
        typer.echo(data, nl=False)  # bytes: written as they are
        return
    partial = output.with_name(output.name + ".partial")
    partial.write_bytes(data)
    partial.replace(output)  # whole or not at all


@domain_errors
def signing(pkcs12: Optional[Path] = typer.Option(None, "--pkcs12", help="the .p12/.pfx file with the key and certificate"),
            password: Optional[str] = typer.Option(None, "--password", help="its password (asked when not given)"),
            clear: bool = typer.Option(False, "--clear", help="sign with nothing: forget the certificate"),
            as_json: bool = typer.Option(False, "--json")) -> None:
    """The PKCS#12 certificate e-Tax XML is signed with (`documents xml --signed`)."""
    from shopledger.services import etax

    if clear == (pkcs12 is not None):
        typer.echo("error (usage): give --pkcs12 FILE or --clear", err=True)
        raise typer.Exit(2)
    if pkcs12 is not None and password is None:
        password = typer.prompt("password of the PKCS#12 file", hide_input=True, default="", show_default=False)
    shown = etax.set_signing(default_engine(), None if clear else str(pkcs12), password)
    if as_json:
        emit_json(shown)
    elif shown["pkcs12_path"]:
        typer.echo(f"signing with {shown['pkcs12_path']}: {shown['subject']} (valid until {shown['not_after']})")
    else:
        typer.echo("no signing certificate: documents xml --signed is refused until one is set")


@domain_errors
def etax_pdf(number: str = typer.Argument(..., help="the document number, e.g. RT-202611-00001"),
             output: Path = typer.Option(..., "-o", "--output", help="the PDF file to write")) -> None:
    """The document's PDF/A-3 for e-Tax Invoice by Email: its PDF with the e-Tax XML inside as
    ETDA-invoice.xml. A document whose XML cannot be valid is refused with its reasons (exit 2)."""
    from shopledger.services import etax_mail

    made = etax_mail.etax_pdf(default_engine(), number)
    _write(made.pdf, output)
    typer.echo(f"{number}: e-Tax PDF/A-3 written to {output} (ETDA-invoice.xml inside, {len(made.xml):,} bytes)")


@domain_errors
def send(number: str = typer.Argument(..., help="the document number, e.g. RT-202611-00001"),
         as_json: bool = typer.Option(False, "--json")) -> None:
    """E-mail the document's e-Tax PDF/A-3 to the buyer, ETDA's time-stamping address in copy.

    Refused (exit 2, nothing sent) when the buyer has no e-mail, e-mail is not set up
    (`settings email`), the document is void or its XML cannot be valid. A sending the SMTP server
    does not take is recorded with the reason (exit 2 too)."""
    from shopledger.services import etax_mail

    sent = etax_mail.send_document(default_engine(), number, sent_by="cli")
    if as_json:
        emit_json(sent)
    else:
        cc = f", cc {sent['cc']}" if sent["cc"] else ""
        typer.echo(f"{number}: sent to {sent['to']}{cc}, subject {sent['subject']!r}, message id {sent['message_id']}")


@domain_errors
def email(smtp_host: Optional[str] = typer.Option(None, "--smtp-host", help="e.g. smtp.gmail.com"),
          smtp_port: Optional[int] = typer.Option(None, "--smtp-port", help="587 for starttls, 465 for ssl, 25 for none"),
          security: Optional[str] = typer.Option(None, "--security", help="none | starttls | ssl"),
          smtp_user: Optional[str] = typer.Option(None, "--smtp-user", help="the SMTP user name (often the address)"),
          smtp_password: Optional[str] = typer.Option(None, "--smtp-password", help="the SMTP password"),
          ask_password: bool = typer.Option(False, "--ask-password", help="ask for the SMTP password, not echoed"),
          from_address: Optional[str] = typer.Option(None, "--from", help="the sender: the address registered with the Revenue Department"),
          from_name: Optional[str] = typer.Option(None, "--from-name", help="the sender's name shown to the buyer"),
          subject: Optional[str] = typer.Option(None, "--subject", help="the subject pattern, e.g. '{seller_tax_id}.{number}'"),
          cc: Optional[str] = typer.Option(None, "--cc", help="the address in copy (default csemail@etax.teda.th; '' for none)"),
          as_json: bool = typer.Option(False, "--json")) -> None:
    """The SMTP server and sender e-Tax PDFs are e-mailed through (`documents send`); shown when
    nothing is given. The password is kept in the settings and never shown."""
    from shopledger.services import etax_mail

    if ask_password:
        smtp_password = typer.prompt("SMTP password", hide_input=True, default="", show_default=False)
    changes = {"smtp_host": smtp_host, "smtp_port": smtp_port, "smtp_security": security, "smtp_user": smtp_user,
               "smtp_password": smtp_password, "from_address": from_address, "from_name": from_name,
               "subject_pattern": subject, "cc_address": cc}
    engine = default_engine()
    if any(v is not None for v in changes.values()):
        shown = etax_mail.set_email(engine, changes)
    else:
        shown = etax_mail.email_settings(engine)
    if as_json:
        emit_json(shown)
        return
    for key in ("smtp_host", "smtp_port", "smtp_security", "smtp_user", "from_address", "from_name",
                "subject_pattern", "cc_address"):
        typer.echo(f"{key}: {shown[key]}")
    typer.echo(f"password: {'set' if shown['password_set'] else 'not set'}")
    typer.echo("ready to send" if shown["ready"] else "not ready: give --smtp-host and --from")
