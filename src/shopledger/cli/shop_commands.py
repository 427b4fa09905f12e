"""CLI for running the shop: orders, staff changes, products and stock, shipping, COD, alerts.

Thin wrappers over the services (interfaces.md); `register(app)` adds them to `shopledger`.
"""
from __future__ import annotations

import getpass
import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Optional

import typer

from shopledger.adapters.connectors.file_guards import nesting_problem
from shopledger.bootstrap import default_engine
from shopledger.cli.output import LIMIT, OFFSET, domain_errors, emit_json, print_list, table
from shopledger.domain.clock import parse_at
from shopledger.domain.errors import DomainError
from shopledger.domain.limits import MAX_RECORD_BYTES, RECORD_TOO_LARGE
from shopledger.domain.orders.search import needles
from shopledger.services import alerts, bulk_ship, cod, listing, order_changes as oc, order_views, products

order_app = typer.Typer(no_args_is_help=True, help="One order: show it, key it in, change it.")
product_app = typer.Typer(no_args_is_help=True, help="Products.")
stock_app = typer.Typer(invoke_without_command=True, help="Stock levels, goods in, counts, movements.")
cod_app = typer.Typer(no_args_is_help=True, help="Cash on delivery: courier statements, what couriers owe.")
alerts_app = typer.Typer(invoke_without_command=True, help="Open alerts.")
JSON = typer.Option(False, "--json", help="print JSON")
AT = typer.Option(None, "--at", metavar="DATE-TIME",
                  help="when it happened, if not now: ISO 8601, e.g. 2026-11-28T15:30 (Asia/Bangkok without an "
                       "offset); not in a closed period, not in the future")


def _at(text: Optional[str]) -> Optional[datetime]:
    if text is None:
        return None
    try:
        return parse_at(text)
    except ValueError as error:
        raise DomainError("invalid_at", f"--at: {error}") from None


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name (a container): still say where the change came from
        return "cli"


# -- orders ------------------------------------------------------------------------------

@domain_errors
def orders(status: Optional[str] = typer.Option(None, "--status", help="a display status, e.g. to_ship"),
           stuck: bool = typer.Option(False, "--stuck", help="only stuck orders, with why"),
           rule: Optional[str] = typer.Option(None, "--rule", help="only those stuck by one rule, e.g. unpaid"),
           search: Optional[str] = typer.Option(
               None, "--search", help="only orders whose number, customer name, phone or tracking number holds "
                                      "TEXT (a phone by its digits: 081-234-5678 finds 0812345678)", metavar="TEXT"),
           limit: Optional[int] = LIMIT, offset: Optional[int] = OFFSET, as_json: bool = JSON) -> None:
    """Orders newest first, with both status axes and the display status; --stuck: only stuck ones and why;
    --search: only those a number, name, phone or tracking number finds."""
    engine = default_engine()
    query = dict(status=status, stuck=stuck, rule=rule, search=search)
    if status:  # refused before any output starts
        order_views.parse_display_status(status)
    if rule:
        order_views.parse_rule(rule)
    needles(search or "")

    def show(rows: list[dict]) -> None:
        table([r | {"order": f"{r['source']}:{r['external_id']}"} for r in rows],
              ["order", "customer_name", "payment_status", "fulfillment_status", "display_status", "total"])
        for r in rows:
            for why in r.get("stuck", []):
                typer.echo(f"  {r['source']}:{r['external_id']}: {why['reason']} -> {why['action']}")

    print_list(as_json, limit, offset, lambda n, skip: order_views.orders_page(engine, limit=n, offset=skip, **query),
               lambda: order_views.iter_orders(engine, **query), show)


@order_app.command("show")
@domain_errors
def order_show(source: str, external_id: str, as_json: bool = JSON) -> None:
    """One order with its documents, entries, shipment, stock movements and history."""
    _show(source, external_id, as_json)


def _show(source: str, external_id: str, as_json: bool) -> None:
    view = order_views.order_detail(default_engine(), source, external_id)
    if as_json:
        emit_json(view)
        return
    typer.echo(f"{view['source']}:{view['external_id']}  {view['customer_name']}  {view['total']}  "
               f"{view['display_label']} ({view['payment_status']} / {view['fulfillment_status']})")
    if view["shipment"]:
        s = view["shipment"]
        typer.echo(f"shipment: {s['carrier_name']} {s['tracking_number']} {s['tracking_url'] or ''}")
    for d in view["documents"]:
        typer.echo(f"document: {d['number']} {d['kind']} {d['status']} {d['total']}")
    for e in view["entries"]:
        lines = ", ".join(f"{l['account']} {'Dr ' + l['debit'] if l['debit'] != '0.00' else 'Cr ' + l['credit']}"
                          for l in e["lines"])
        typer.echo(f"entry {e['date']}: {lines}")
    for m in view["stock_movements"]:
        typer.echo(f"stock: {m['sku']} {m['kind']} on hand {m['on_hand_delta']:+d} reserved {m['reserved_delta']:+d}")
    for ev in view["events"]:
        typer.echo(f"{ev['at']} {ev['actor']}: {ev['what']}")
    for why in view["stuck"]:
        typer.echo(f"STUCK: {why['reason']} -> {why['action']}")


def _read_json(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_RECORD_BYTES + 1)
    except OSError:
        raise DomainError("unreadable_file", f"cannot read {path.name} (no such file, or not allowed)") from None
    if len(raw) > MAX_RECORD_BYTES:
        raise DomainError("unreadable_file", f"{path.name}: {RECORD_TOO_LARGE}")
    if (problem := nesting_problem(raw)):  # the json module recurses once per level
        raise DomainError("unreadable_file", f"{path.name}: {problem}")
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_float=Decimal)
    except ValueError as error:  # not UTF-8, or not JSON: say where, not how the reader failed
        where = f" ({error.msg}, line {error.lineno})" if isinstance(error, json.JSONDecodeError) else ""
        raise DomainError("unreadable_file", f"{path.name} is not JSON text{where}") from None
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if not isinstance(data, dict):
        raise DomainError("unreadable_file", f"{path.name} must hold one order (a JSON object)")
    return data


@order_app.command("create")
@domain_errors
def order_create(path: Path, as_json: bool = JSON) -> None:
    """Key in one order from a JSON file in the interchange format (source `manual`)."""
    order = oc.create_manual_order(default_engine(), _read_json(path), _actor())
    _show(order.source, order.external_id, as_json)


@order_app.command("edit")
@domain_errors
def order_edit(source: str, external_id: str, path: Path, as_json: bool = JSON) -> None:
    """Change an unpaid order with a JSON patch of interchange fields (lines, customer, ...)."""
    oc.change_order(default_engine(), source, external_id, oc.edit(_read_json(path)), _actor())
    _show(source, external_id, as_json)


def _change(change_name: str, help_text: str, dated: bool = False):
    if dated:
        @domain_errors
        def command(source: str, external_id: str, at: Optional[str] = AT, as_json: bool = JSON) -> None:
            oc.change_order(default_engine(), source, external_id, getattr(oc, change_name)(), _actor(), at=_at(at))
            _show(source, external_id, as_json)
    else:
        @domain_errors
        def command(source: str, external_id: str, as_json: bool = JSON) -> None:
            oc.change_order(default_engine(), source, external_id, getattr(oc, change_name)(), _actor())
            _show(source, external_id, as_json)
    command.__doc__ = help_text
    return command


order_app.command("verifying")(_change("mark_verifying", "The buyer says they paid: check the payment."))
order_app.command("paid")(_change("mark_paid", "The payment is in: issue the receipt/tax invoice."))
order_app.command("cancel")(_change("cancel", "Cancel the order (void its invoice, or a credit note)."))
deliver = _change("deliver", "Delivered (a COD parcel: the courier collected the money).", dated=True)
give_back = _change("give_back", "The parcel came back (COD refused, returned to sender): goods back in stock.",
                    dated=True)


# -- products and stock ------------------------------------------------------------------

@product_app.command("add")
@domain_errors
def product_add(sku: str, name: str = typer.Option(..., "--name"), price: str = typer.Option(..., "--price"),
                cost: Optional[str] = typer.Option(None, "--cost"),
                low_stock_at: Optional[int] = typer.Option(None, "--low-stock-at"), as_json: bool = JSON) -> None:
    """Add a product, or update it (a cost or low-stock level left out is kept)."""
    row = products.add_product(default_engine(), sku, name, price, cost, low_stock_at)
    if as_json:
        emit_json(row)
    else:
        typer.echo(f"product {row['sku']} saved: {row['name']}, price {row['price']}")


_LEVEL = ("sku", "name", "on_hand", "reserved", "available", "avg_cost", "low_stock_at")


@stock_app.callback()
def stock(ctx: typer.Context, as_json: bool = JSON, limit: Optional[int] = LIMIT,
          offset: Optional[int] = OFFSET) -> None:
    """Per SKU: on hand, reserved, available, average cost, low-stock level (by SKU)."""
    if ctx.invoked_subcommand is not None:
        return
    engine = default_engine()

    def page(n: int, skip: int) -> listing.Page:
        found = listing.stock(engine, n, skip)
        return listing.Page([{k: r[k] for k in _LEVEL} for r in found.items], found.total, found.offset)

    print_list(as_json, limit, offset, page, lambda: ({k: r[k] for k in _LEVEL} for r in listing.iter_stock(engine)),
               lambda rows: table(rows, list(_LEVEL)))


def _stock_result(result: dict, as_json: bool) -> None:
    if as_json:
        emit_json(result)
        return
    s = result["stock"]
    typer.echo(f"{s['sku']}: on hand {s['on_hand']}, available {s['available']}, average cost {s['avg_cost']}")
    for e in result["entries"]:
        typer.echo("  " + ", ".join(f"{l['account']} Dr {l['debit']} Cr {l['credit']}" for l in e["lines"]))


@stock_app.command("receive")
@domain_errors
def stock_receive(sku: str, quantity: int, cost: str = typer.Option(..., "--cost", help="unit cost in baht"),
                  ref: str = typer.Option("", "--ref", help="the supplier's invoice number"), at: Optional[str] = AT,
                  as_json: bool = JSON) -> None:
    """Goods in at a unit cost: Dr 114101 inventory / Cr 212101 accounts payable."""
    _stock_result(products.receive_stock(default_engine(), sku, quantity, cost, ref=ref, actor=_actor(), at=_at(at)),
                  as_json)


@stock_app.command("count")
@domain_errors
def stock_count(sku: str, quantity: int, ref: str = typer.Option("", "--ref"), at: Optional[str] = AT,
                as_json: bool = JSON) -> None:
    """A stock count: on hand becomes QUANTITY; the difference is booked to 531101."""
    _stock_result(products.count_stock(default_engine(), sku, quantity, ref=ref, actor=_actor(), at=_at(at)), as_json)


@stock_app.command("moves")
@domain_errors
def stock_moves(sku: str, limit: Optional[int] = LIMIT, offset: Optional[int] = OFFSET, as_json: bool = JSON) -> None:
    """A SKU's stock movements, newest first, with their causes."""
    engine = default_engine()
    products.stock_moves(engine, sku, 1)  # an unknown SKU is refused before any output starts

    def page(n: int, skip: int) -> listing.Page:
        return listing.Page(products.stock_moves(engine, sku, n, skip), products.count_moves(engine, sku), skip)

    print_list(as_json, limit, offset, page, lambda: products.iter_moves(engine, sku),
               lambda rows: table([r | {"order": r["order"] or ""} for r in rows],
                                  ["at", "kind", "on_hand_delta", "reserved_delta", "value_delta", "order", "cause"]))


# -- shipping ----------------------------------------------------------------------------

@domain_errors
def ship(source: Optional[str] = typer.Argument(None), external_id: Optional[str] = typer.Argument(None),
         carrier: Optional[str] = typer.Option(None, "--carrier"), tracking: Optional[str] = typer.Option(None, "--tracking"),
         file: Optional[Path] = typer.Option(None, "--file", help="CSV/XLSX: source, external_id, carrier, tracking"),
         default_source: Optional[str] = typer.Option(None, "--source", help="source for rows that name none"),
         at: Optional[str] = AT, as_json: bool = JSON) -> None:
    """Record a shipment, or one per row of --file. Exit 1 if some failed."""
    engine = default_engine()
    shipped_at = _at(at)
    if file is not None:
        report = bulk_ship.ship_file(engine, file, _actor(), default_source=default_source, at=shipped_at)
    elif source and external_id and carrier and tracking:
        report = bulk_ship.ship_rows(engine, [{"source": source, "external_id": external_id, "carrier": carrier,
                                               "tracking": tracking}], _actor(), at=shipped_at)
    else:
        raise DomainError("usage", "give SOURCE EXTERNAL_ID --carrier C --tracking T, or --file F.csv")
    _ship_report(report, as_json)
    raise typer.Exit(1 if report["failed"] else 0)


def _ship_report(report: dict, as_json: bool) -> None:
    if as_json:
        emit_json(report)
        return
    typer.echo(f"shipped {len(report['shipped'])}, unchanged {len(report['unchanged'])}, failed {len(report['failed'])}")
    for row in report["failed"]:
        typer.echo(f"  FAILED line {row['line']} {row['source']}:{row['external_id']}: {row['reason']}")


# -- cash on delivery and alerts ---------------------------------------------------------

@cod_app.command("remittance")
@domain_errors
def cod_remittance(path: Path, carrier: str = typer.Option(..., "--carrier"), at: Optional[str] = AT,
                   as_json: bool = JSON) -> None:
    """Book a courier's COD payout statement (dated by its rows, else --at, else today). Exit 1 if some rows did
    not match."""
    report = cod.remit_statement(default_engine(), path, carrier, _actor(), at=_at(at))
    if as_json:
        emit_json(report)
    else:
        typer.echo(f"{report['carrier']} {report['statement']}: matched {len(report['matched'])} "
                   f"(COD {report['total_cod']}, fee {report['total_fee']}, net {report['net']}), "
                   f"not matched {len(report['mismatches'])}")
        for m in report["mismatches"]:
            typer.echo(f"  line {m['line']} {m['tracking']}: {m['reason']}")
    raise typer.Exit(1 if report["mismatches"] else 0)


@cod_app.command("receivable")
def cod_receivable(as_json: bool = JSON) -> None:
    """COD collected and not yet remitted, by courier and age."""
    report = cod.cod_receivable(default_engine())
    if as_json:
        emit_json(report)
        return
    table([{"carrier": c["carrier"], "total": c["total"]} | {b["age"]: b["amount"] for b in c["buckets"]}
           for c in report["carriers"]], ["carrier", "0-7", "8-14", "15-30", ">30", "total"])
    typer.echo(f"total {report['total']} (113201 in the books: {report['ledger_balance']})")


@alerts_app.callback()
def alerts_list(ctx: typer.Context, as_json: bool = JSON, limit: Optional[int] = LIMIT,
                offset: Optional[int] = OFFSET) -> None:
    """Open alerts, one line per kind and stuck rule with how many; --limit/--offset or --json: each alert."""
    if ctx.invoked_subcommand is not None:
        return
    engine = default_engine()
    if as_json or limit is not None or offset is not None:
        print_list(as_json, limit, offset, lambda n, skip: alerts.alerts_page(engine, limit=n, offset=skip),
                   lambda: alerts.iter_alerts(engine), lambda rows: table(rows, ["kind", "subject", "reason", "since",
                                                                                 "action"]))
        return
    groups = alerts.alert_groups(engine)
    table([g | {"rule": g["code"] or "", "oldest": g["since"] or "", "see": g.get("command") or ", ".join(g["subjects"])}
           for g in groups], ["kind", "rule", "count", "oldest", "action", "see"])
    if groups:
        typer.echo(f"{sum(g['count'] for g in groups):,} alerts; each one: shopledger alerts --limit N [--offset M]")


@alerts_app.command("resolve")
@domain_errors
def alerts_resolve(alert_id: int) -> None:
    """Close a stored alert (a COD mismatch or books conflict) once dealt with."""
    row = alerts.resolve_alert(default_engine(), alert_id)
    typer.echo(f"alert {alert_id} resolved: {row['kind']} {row['subject']}")


def register(app: typer.Typer) -> None:
    app.command("orders")(orders)
    app.add_typer(order_app, name="order")
    app.add_typer(product_app, name="product")
    app.add_typer(stock_app, name="stock")
    app.command("ship")(ship)
    app.command("deliver")(deliver)
    app.command("return")(give_back)
    app.add_typer(cod_app, name="cod")
    app.add_typer(alerts_app, name="alerts")
