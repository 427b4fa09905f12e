"""CLI: sources, Import Data (`sync`), past runs and the job worker."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from shopledger.bootstrap import default_engine, load_connectors
from shopledger.cli.output import LIMIT, OFFSET, domain_errors, emit_json, print_import_report, print_list, table
from shopledger.cli.progress import OrdersBar, on_a_terminal
from shopledger.config import get_settings
from shopledger.services import listing, sources
from shopledger.services.import_workers import default_workers
from shopledger.services.sync import run_source_sync

source_app = typer.Typer(no_args_is_help=True, help="Sources to pull orders from.")


@source_app.command("add")
@domain_errors
def source_add(name: str, kind: str = typer.Option("shop-api", "--kind"), url: str = typer.Option(..., "--url"),
               token: str = typer.Option(..., "--token"), daily_at: Optional[str] = typer.Option(None, "--daily-at"),
               timezone: str = typer.Option("Asia/Bangkok", "--timezone"),
               secret: Optional[str] = typer.Option(None, "--secret", help="HMAC key for pushed orders")) -> None:
    """Add or update a source. The token is stored and never printed again."""
    load_connectors()
    shown = sources.add_source(default_engine(), name, kind=kind, base_url=url, token=token, daily_at=daily_at,
                               timezone=timezone, push_secret=secret)
    typer.echo(f"source {name} saved ({kind}, {url}, daily at {daily_at or 'never'})")
    if "push_secret" in shown:
        typer.echo(f"push secret (shown once): {shown['push_secret']}")


@source_app.command("list")
def source_list(as_json: bool = typer.Option(False, "--json")) -> None:
    """The sources, their schedule, cursor and last run."""
    rows = sources.list_sources(default_engine())
    if as_json:
        emit_json(rows)
        return
    table([r | {"last_run": (r["last_run"] or {}).get("status", "")} for r in rows],
          ["name", "kind", "base_url", "daily_at", "cursor", "last_run"])


def sync(name: str, as_json: bool = typer.Option(False, "--json"),
         dry_run: bool = typer.Option(False, "--dry-run", help="pull and say what importing would do; write nothing, the cursor stays (docs/imports.md)")) -> None:
    """Import Data now: pull the source and reconcile every order. Exit 1 if some orders failed, 2 if the run failed."""
    if dry_run:
        from shopledger.cli.preview_commands import preview_source

        preview_source(name, as_json)
    load_connectors()
    settings = get_settings()
    workers = default_workers(settings.import_workers, Path(settings.import_workers_file), measuring=lambda: typer.echo(
        f"measuring how many processes import fastest on this machine (once; kept in {settings.import_workers_file})",
        err=True))
    with OrdersBar(not as_json and on_a_terminal(), f"Import Data {name}", pages=True) as bar:
        outcome = domain_errors(lambda: run_source_sync(default_engine(), name, workers=workers, on_progress=bar))()
    result = outcome.as_dict()
    if as_json:
        emit_json(result)
    else:
        typer.echo(f"run {outcome.run_id}: {outcome.status}, {outcome.pages} page(s)")
        print_import_report(result, False)
        if outcome.error:
            typer.echo(f"error: {outcome.error}", err=True)
    raise typer.Exit(2 if outcome.status == "failed" else 1 if outcome.report.failed else 0)


def sync_runs_command(as_json: bool = typer.Option(False, "--json"), limit: Optional[int] = LIMIT,
                      offset: Optional[int] = OFFSET) -> None:
    """Past runs, newest first, with their counts and failed orders."""
    engine = default_engine()

    def show(rows: list[dict]) -> None:
        table([r | {"failed": len(r["failed"]), "error": r["error"] or ""} for r in rows],
              ["id", "source", "trigger", "status", "started_at", "pages", "created", "updated", "unchanged", "failed",
               "error"])

    print_list(as_json, limit, offset, lambda n, skip: listing.sync_runs(engine, n, skip),
               lambda: listing.iter_sync_runs(engine), show)


def worker(workers: int = typer.Option(2, help="worker threads"),
           parent_pid: Optional[int] = typer.Option(None, "--parent-pid", hidden=True,
                                                    help="end when this process ends (`serve` passes its own)")) -> None:
    """Run a job consumer (daily runs, background imports) in this process."""
    from huey.consumer import Consumer

    from shopledger.jobs import huey

    if parent_pid is not None:
        from shopledger.adapters.lifeline import die_with_parent

        die_with_parent(parent_pid)
    load_connectors()
    Consumer(huey, workers=workers, worker_type="thread", periodic=True, check_worker_health=True).run()
