"""The `shopledger` command: thin wrappers over the services (interfaces.md, CLI)."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Optional

import typer

from shopledger.adapters.connectors.file_counts import count_orders
from shopledger.adapters.connectors.files import UnreadableFile, read_orders
from shopledger.adapters.db import reads
from shopledger.adapters.db.engine import reading
from shopledger.bootstrap import default_engine
from shopledger.cli.output import LIMIT, OFFSET, domain_errors, emit_json, print_import_report, print_list, table
from shopledger.cli.progress import OrdersBar, on_a_terminal
from shopledger.config import get_settings, web_processes
from shopledger.domain.errors import DomainError
from shopledger.domain.limits import source_name_problem
from shopledger.services import listing, tokens
from shopledger.services.intake import take_orders
from shopledger.services.parallel_intake import take_orders_in_parallel

app = typer.Typer(no_args_is_help=True, add_completion=False, help="shopledger: orders joined to real books.")
report_app = typer.Typer(no_args_is_help=True, help="Reports.")
token_app = typer.Typer(no_args_is_help=True, help="API tokens.")
app.add_typer(report_app, name="report")
app.add_typer(token_app, name="token")


@app.command()
def init() -> None:
    """Create or upgrade the database; seed the chart of accounts and settings."""
    from shopledger.services import setup  # Alembic is slow to import: only here

    setup.init_database(default_engine())
    typer.echo(f"database ready: {default_engine().url.render_as_string(hide_password=True)}")


@app.command("import")
@domain_errors
def import_file(path: Path, source: str = typer.Option("import", help="the source name orders are keyed by"),
                workers: Optional[int] = typer.Option(None, min=1, help="processes to import with (default: SHOPLEDGER_IMPORT_WORKERS, else measured on this machine; a small file: 1)"),
                as_json: bool = typer.Option(False, "--json"),
                dry_run: bool = typer.Option(False, "--dry-run", help="say what importing would do, per order and per account, and write nothing (docs/imports.md)")) -> None:
    """Import a JSON, NDJSON, CSV or XLSX file of orders. Exit 1 if some orders failed."""
    if (problem := source_name_problem(source)):
        raise DomainError("invalid_source", problem)  # every order would fail on it, so none is read
    if dry_run:
        from shopledger.cli.preview_commands import preview_file

        preview_file(path, source, as_json)  # on one process: worker processes would commit
    settings = get_settings()
    workers = _import_workers(workers or settings.import_workers, settings.import_workers_file, path)
    try:
        records = read_orders(path)
        with OrdersBar(not as_json and on_a_terminal(), path.name) as bar:
            bar.count_in_background(lambda: count_orders(path))
            if workers > 1:
                report = take_orders_in_parallel(default_engine().url.render_as_string(hide_password=False), records,
                                                 source=source, actor=f"import {path.name}", workers=workers,
                                                 batch_size=settings.import_batch_size, on_progress=bar)
            else:
                report = take_orders(default_engine(), records, source=source, actor=f"import {path.name}",
                                     batch_size=settings.import_batch_size, on_progress=bar)
    except UnreadableFile as error:
        typer.echo(f"error: cannot read {path}: {error}", err=True)
        raise typer.Exit(2) from None
    print_import_report(report.as_dict(), as_json)
    raise typer.Exit(1 if report.failed else 0)


def _import_workers(override: Optional[int], cache: str, path: Path) -> int:
    from shopledger.services.import_workers import default_workers

    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # not readable: reading it will say why
    return default_workers(override, Path(cache), size_bytes=size, measuring=lambda: typer.echo(
        f"measuring how many processes import fastest on this machine (once; kept in {cache})", err=True))


documents_app = typer.Typer(help="List documents, newest first; `documents xml` writes their e-Tax XML.")
app.add_typer(documents_app, name="documents")


@documents_app.callback(invoke_without_command=True)
def documents(ctx: typer.Context, as_json: bool = typer.Option(False, "--json"), limit: Optional[int] = LIMIT,
              offset: Optional[int] = OFFSET) -> None:
    """List documents, newest first."""
    if ctx.invoked_subcommand is not None:
        return
    engine = default_engine()

    def show(rows: list[dict]) -> None:
        table([r | {"order": f"{r['order']['source']}:{r['order']['external_id']}"} for r in rows],
              ["number", "kind", "status", "date", "order", "total", "vat", "refers_to"])

    print_list(as_json, limit, offset, lambda n, skip: listing.documents(engine, n, skip),
               lambda: listing.iter_documents(engine), show)


@app.command()
def entries(as_json: bool = typer.Option(False, "--json"), limit: Optional[int] = LIMIT,
            offset: Optional[int] = OFFSET) -> None:
    """List journal entries with their lines, newest first."""
    engine = default_engine()

    def show(rows: list[dict]) -> None:
        for e in rows:
            typer.echo(f"#{e['id']} {e['date']} {e['document'] or ''} {e['memo']}")
            for l in e["lines"]:
                typer.echo(f"    {l['account']}  {l['debit']:>12}  {l['credit']:>12}")

    print_list(as_json, limit, offset, lambda n, skip: listing.entries(engine, n, skip),
               lambda: listing.iter_entries(engine), show)


@report_app.command("trial-balance")
def trial_balance(as_of: Optional[str] = typer.Option(None, "--as-of"), as_json: bool = typer.Option(False, "--json")) -> None:
    """Trial balance: debits, credits and balance per account."""
    with reading(default_engine()) as conn:
        tb = reads.trial_balance(conn, date.fromisoformat(as_of) if as_of else None)
    if as_json:
        emit_json(tb)
        return
    table(tb["accounts"], ["code", "name", "debit", "credit", "balance"])
    typer.echo(f"total debit {tb['total_debit']}  total credit {tb['total_credit']}  (as of {tb['as_of']})")


@token_app.command("create")
@domain_errors
def token_create(name: str = typer.Option(..., "--name"), role: str = typer.Option("admin", "--role")) -> None:
    """Print a new API token once (it is stored only as a hash)."""
    typer.echo(tokens.create_token(default_engine(), name, role))


@token_app.command("list")
def token_list(as_json: bool = typer.Option(False, "--json")) -> None:
    """API tokens: name, role, created, last used (never the token)."""
    rows = tokens.list_tokens(default_engine())
    if as_json:
        emit_json(rows)
        return
    table([r | {"last_used_at": r["last_used_at"] or "never"} for r in rows],
          ["name", "role", "created_at", "last_used_at"])


@token_app.command("revoke")
@domain_errors
def token_revoke(name: str) -> None:
    """The token stops working at once. Exit 2 if no token has that name."""
    tokens.revoke_token(default_engine(), name)
    typer.echo(f"token {name} revoked")


@app.command()
def serve(host: Optional[str] = typer.Option(None), port: Optional[int] = typer.Option(None)) -> None:
    """Serve the web pages and the REST API."""
    import uvicorn

    from shopledger.cli import serving
    from shopledger.web.app import create_app

    settings = _publish_address(host, port)
    workers = settings.web_workers or web_processes()
    if workers > 1:
        def run_server() -> None:
            serving.run_web_workers(host or settings.host, port or settings.port, workers)
    else:
        def run_server() -> None:
            uvicorn.run(create_app(), host=host or settings.host, port=port or settings.port, log_level="info")
    serving.serve_with_worker(run_server, embedded_worker=settings.embedded_worker)


def _publish_address(host: Optional[str], port: Optional[int]):
    """Where this server listens, put in the settings: the app allows its host name, and the
    embedded worker (inheriting the environment) pulls the demo shop from this port."""
    import os

    if host:
        os.environ["SHOPLEDGER_HOST"] = host
    if port:
        os.environ["SHOPLEDGER_PORT"] = str(port)
    get_settings.cache_clear()
    return get_settings()


@app.command()
def demo(if_empty: bool = typer.Option(False, "--if-empty", help="only when the database has no orders"),
         advance: bool = typer.Option(False, "--advance", help="a day passes at the demo web shop `serve` runs")) -> None:
    """Load the demo shop's orders."""
    from shopledger.services import setup
    from shopledger.services.demo import load_demo

    if advance:
        _advance_demo_shop()
        return
    from shopledger.services.people import demo_sign_in

    engine = default_engine()
    if if_empty and not setup.is_empty(engine):
        typer.echo("demo: the database already has orders; nothing loaded")
    else:
        typer.echo(load_demo(engine))
    lines = demo_sign_in(engine)  # the demo's people, with the passwords everyone knows
    if lines:
        typer.echo(f"demo: open {get_settings().local_url()}/signin and")
    for line in lines:
        typer.echo(f"demo:   {line}")


def _advance_demo_shop() -> None:
    import httpx2

    from shopledger.demo.shop_client import advance_served_shop

    server = get_settings().local_url()
    try:
        changed = advance_served_shop(server)
    except httpx2.HTTPError as error:
        typer.echo(f"error (demo_shop_unreachable): no demo shop at {server} ({error}); "
                   "is `shopledger serve` running with SHOPLEDGER_DEMO_SHOP=true?", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"demo shop: {len(changed)} order(s) moved on ({', '.join(changed) or 'none'})")


from shopledger.cli import etax_commands, settings_commands, sync_commands  # noqa: E402 - registered after the app exists

app.add_typer(sync_commands.source_app, name="source")
app.add_typer(settings_commands.settings_app, name="settings")
documents_app.command("xml")(etax_commands.xml)
settings_commands.settings_app.command("signing")(etax_commands.signing)
documents_app.command("etax")(etax_commands.etax_pdf)
documents_app.command("send")(etax_commands.send)
settings_commands.settings_app.command("email")(etax_commands.email)
app.command("sync")(sync_commands.sync)
app.command("sync-runs")(sync_commands.sync_runs_command)
app.command("worker")(sync_commands.worker)

from shopledger.cli import shop_commands  # noqa: E402 - registered after the app exists

shop_commands.register(app)

from shopledger.cli import report_commands  # noqa: E402 - registered after the app exists

report_commands.register(app, report_app, documents_app)

from shopledger.cli import user_commands  # noqa: E402 - registered after the app exists

app.add_typer(user_commands.user_app, name="user")


def main() -> None:
    """The console entry point: a database not set up yet is one clear line, not a traceback."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    try:
        app()
    except (OperationalError, ProgrammingError) as error:
        if "no such table" in str(error) or "does not exist" in str(error):
            typer.echo("error (database_not_ready): the database is not set up; run `shopledger init`", err=True)
            raise SystemExit(2) from None
        raise


if __name__ == "__main__":
    main()
