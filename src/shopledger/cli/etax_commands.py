"""CLI: e-Tax Invoice XML (`documents xml`) and the certificate it is signed with (`settings signing`)."""
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
