"""CLI: `import FILE --dry-run` and `sync NAME --dry-run`, what posting would do and nothing kept
(services/preview.py; the JSON shape is in docs/imports.md)."""
from __future__ import annotations

from pathlib import Path

import typer

from shopledger.adapters.connectors.files import UnreadableFile, read_orders
from shopledger.bootstrap import default_engine, load_connectors
from shopledger.cli.output import domain_errors, emit_json
from shopledger.config import get_settings
from shopledger.services.preview import preview_orders, preview_sync


def preview_file(path: Path, source: str, as_json: bool) -> None:
    """Exit 1 if some orders would fail, 2 if the file cannot be read (as `import`)."""
    try:
        preview = preview_orders(default_engine(), read_orders(path), source=source, actor=f"import {path.name}",
                                 batch_size=get_settings().import_batch_size)
    except UnreadableFile as error:
        typer.echo(f"error: cannot read {path}: {error}", err=True)
        raise typer.Exit(2) from None
    print_preview(preview, as_json)
    raise typer.Exit(1 if preview["failed"] else 0)


def preview_source(name: str, as_json: bool) -> None:
    """Exit 2 if the pull failed, 1 if some orders would fail (as `sync`)."""
    load_connectors()
    preview = domain_errors(lambda: preview_sync(default_engine(), name))()
    if not as_json:
        typer.echo(f"dry run of {name}: {preview['pages']} page(s) pulled, the cursor stays where it was")
    print_preview(preview, as_json)
    if preview["error"] and not as_json:
        typer.echo(f"error: {preview['error']}", err=True)
    raise typer.Exit(2 if preview["status"] == "failed" else 1 if preview["failed"] else 0)


def print_preview(preview: dict, as_json: bool) -> None:
    if as_json:
        emit_json(preview)
        return
    say = typer.echo
    say(f"dry run: nothing was written. would create {preview['created']}, update {preview['updated']}, "
        f"leave {preview['unchanged']} unchanged, fail {len(preview['failed'])}")
    for order in preview["orders"]:
        say(f"{order['source']}:{order['external_id']} ({'new' if order['outcome'] == 'created' else 'updated'})")
        for d in order["documents"]:
            refers = f" for {d['refers_to']}" if d["refers_to"] else ""
            say(f"  document {d['number']} {d['kind']} {d['date']} total {d['total']} VAT {d['vat']}{refers}")
        for v in order["voided"]:
            say(f"  void {v['number']} ({v['kind']}) on {v['voided_on']}")
        for e in order["entries"]:
            say(f"  entry {e['date']} {e['memo']}")
            for line in e["lines"]:
                say(f"    {line['account']}  {line['debit']:>12}  {line['credit']:>12}")
        for m in order["movements"]:
            cost = f" at {m['unit_cost']} (value {m['value']})" if m["unit_cost"] is not None else ""
            say(f"  stock {m['sku']} {m['kind']} on hand {m['quantity']:+d} reserved {m['reserved']:+d}{cost}")
        for a in order["alerts"]:
            say(f"  alert: {a['reason']} ({a['action']})")
    for p in preview["new_products"]:
        say(f"new product {p['sku']} ({p['name']}) from an unknown SKU")
    if preview["accounts"]:
        say("totals per account:")
        for a in preview["accounts"]:
            say(f"  {a['account']} {a['name_en']:<32} {a['debit']:>14} {a['credit']:>14}")
    for failure in preview["failed"]:
        where = f" ({failure['position']})" if failure.get("position") else ""
        say(f"  FAILED {failure['external_id'] or '?'}{where}: {failure['reason']}")
