"""How the CLI prints: JSON for scripts, short aligned text for people; errors mapped once."""
from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps

import typer

from shopledger.domain.errors import DomainError


def emit_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def table(rows: list[dict], columns: list[str]) -> None:
    if not rows:
        typer.echo("(none)")
        return
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns}
    typer.echo("  ".join(c.ljust(widths[c]) for c in columns))
    for row in rows:
        typer.echo("  ".join(str(row.get(c, "")).ljust(widths[c]) for c in columns))


def domain_errors(func: Callable) -> Callable:
    """A DomainError becomes one line on stderr and exit code 2, never a traceback."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except DomainError as error:
            typer.echo(f"error ({error.code}): {error.message}", err=True)
            raise typer.Exit(2) from None

    return wrapper


def print_import_report(report: dict, as_json: bool) -> None:
    if as_json:
        emit_json(report)
        return
    typer.echo(f"created {report['created']}, updated {report['updated']}, "
               f"unchanged {report['unchanged']}, failed {len(report['failed'])}")
    for failure in report["failed"]:
        where = f" ({failure['position']})" if failure.get("position") else ""
        typer.echo(f"  FAILED {failure['external_id'] or '?'}{where}: {failure['reason']}", err=False)
    sys.stdout.flush()
