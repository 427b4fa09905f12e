"""How the CLI prints: JSON for scripts, short aligned text for people; errors mapped once."""
from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Optional

import orjson
import typer

from shopledger.domain.errors import DomainError
from shopledger.services.listing import DEFAULT_LIMIT, Page

LIMIT = typer.Option(None, "--limit", min=1, help=f"show at most N (the table shows {DEFAULT_LIMIT} without it)")
OFFSET = typer.Option(None, "--offset", min=0, help="skip the first N")


def emit_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def stream_json(items: Iterable) -> None:
    """A JSON array written item by item as they come, one a line: memory stays flat however many
    there are, and the first ones are out before the last are read."""
    out = sys.stdout
    out.write("[")
    written = 0
    for item in items:
        out.write(",\n" if written else "\n")
        out.write(orjson.dumps(item, default=str).decode())
        written += 1
        if written == 1:
            out.flush()
    out.write("\n]\n" if written else "]\n")
    out.flush()


def print_list(as_json: bool, limit: Optional[int], offset: Optional[int], page: Callable[[int, int], Page],
               every: Callable[[], Iterable[dict]], show: Callable[[list[dict]], None]) -> None:
    """A listing command: `--json` alone streams everything; otherwise one page (the newest
    DEFAULT_LIMIT without --limit/--offset) as JSON or as a table that says how many there are."""
    if as_json and limit is None and offset is None:
        stream_json(every())
        return
    shown = page(limit or DEFAULT_LIMIT, offset or 0)
    if as_json:
        emit_json(shown.items)
        return
    show(shown.items)
    if shown.total:
        typer.echo(page_note(shown))


def page_note(page: Page) -> str:
    """'showing 100 of 312,004 — use --limit/--offset', or '3 in all' when everything is shown."""
    count = len(page.items)
    if page.offset == 0 and count == page.total:
        return f"{page.total:,} in all"
    if page.offset == 0 or count == 0:
        span = f"{count:,}"
    else:
        span = f"{page.offset + 1:,}-{page.offset + count:,}"
    return f"showing {span} of {page.total:,} — use --limit/--offset"


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
