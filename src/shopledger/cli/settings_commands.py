"""CLI: the company on every document, VAT registration and rates, closed periods."""
from __future__ import annotations

from datetime import date
from typing import Optional

import typer

from shopledger.bootstrap import default_engine
from shopledger.cli.output import domain_errors, emit_json
from shopledger.services import company, document_images, payment_accounts, stock_levels

settings_app = typer.Typer(no_args_is_help=True, help="The company and the books' settings.")


def _show(values: dict, as_json: bool) -> None:
    if as_json:
        emit_json(values)
        return
    c = values["company"]
    typer.echo(f"company        {c.get('name')}  tax id {c.get('tax_id') or '(not set)'}  branch {c.get('branch')}")
    typer.echo(f"address        {c.get('address') or '(not set)'}")
    if c.get("province_code"):
        typer.echo(f"  in parts     {c.get('building_number') or '-'} {c.get('address_line') or ''} | "
                   f"{c['subdistrict']} {c['subdistrict_code']} | {c['district']} {c['district_code']} | "
                   f"{c['province']} {c['province_code']} | {c['postcode']}")
    etax = values.get("etax") or {}
    if etax.get("missing"):
        typer.echo(f"e-Tax XML      still needs: {', '.join(etax['missing'])}")
    if values["company_missing"]:
        missing = values["company_missing"]
        typer.echo(f"not set up     missing: {', '.join(company.COMPANY_LABELS[f] for f in missing)}; "
                   f"{company.how_to_set(missing)}")
    images = document_images.images_shown(default_engine())
    typer.echo("on documents   " + ", ".join(f"{kind} {shown['filename'] if shown else '(none)'}"
                                          for kind, shown in images.items()))
    typer.echo(f"VAT registered {values['vat_registered']}")
    typer.echo("VAT rates      " + ", ".join(f"{r['rate']}% from {r['starts_on']}" for r in values["vat_rates"]))
    typer.echo(f"closed through {values['closed_through'] or '(nothing closed)'}")
    typer.echo("payment accounts " + ", ".join(f"{m}={a}" for m, a in values["payment_accounts"].items()))
    typer.echo("stuck after   " + ", ".join(f"{rule}={wait}" for rule, wait in values["stuck_rules"].items()))


@settings_app.command("show")
def show(as_json: bool = typer.Option(False, "--json")) -> None:
    """The settings as the books read them."""
    _show(company.show_settings(default_engine()), as_json)


@settings_app.command("company")
@domain_errors
def set_company(name: Optional[str] = typer.Option(None), address: Optional[str] = typer.Option(None),
                tax_id: Optional[str] = typer.Option(None, "--tax-id"), branch: Optional[str] = typer.Option(None),
                logo: Optional[str] = typer.Option(None, "--logo", help="PNG, JPEG or SVG printed on documents; none: remove"),
                signature: Optional[str] = typer.Option(None, "--signature", help="an image of the signature; none: remove"),
                building_number: Optional[str] = typer.Option(None, "--building-number", help="บ้านเลขที่, e.g. 123/45"),
                address_line: Optional[str] = typer.Option(None, "--address-line", help="building, soi, road"),
                subdistrict: Optional[str] = typer.Option(None, help="ตำบล/แขวง: a name or its 6-digit code"),
                district: Optional[str] = typer.Option(None, help="อำเภอ/เขต: a name or its 4-digit code"),
                province: Optional[str] = typer.Option(None, help="จังหวัด: a name or its 2-digit code"),
                postcode: Optional[str] = typer.Option(None, help="5 digits (found from the subdistrict when it has one)"),
                as_json: bool = typer.Option(False, "--json")) -> None:
    """The seller shown on every new document (issued ones keep theirs); the address in parts
    with its codes is what e-Tax XML needs (docs/etax.md)."""
    fields = {"name": name, "address": address, "tax_id": tax_id, "branch": branch,
              "building_number": building_number, "address_line": address_line, "subdistrict": subdistrict,
              "district": district, "province": province, "postcode": postcode}
    for kind, path in (("logo", logo), ("signature", signature)):
        if path is not None:
            document_images.set_image(default_engine(), kind, path)
    _show(company.update_settings(default_engine(), company=fields), as_json)


@settings_app.command("vat")
@domain_errors
def set_vat(registered: bool = typer.Option(..., "--registered/--not-registered"),
            as_json: bool = typer.Option(False, "--json")) -> None:
    """VAT-registered: receipts/tax invoices with VAT; not: plain receipts without VAT lines."""
    _show(company.update_settings(default_engine(), vat_registered=registered), as_json)


@settings_app.command("vat-rate")
@domain_errors
def set_vat_rate(rate: str, starts_on: str = typer.Option(..., "--from", help="YYYY-MM-DD"),
                 as_json: bool = typer.Option(False, "--json")) -> None:
    """A VAT rate (percent) from a day on."""
    _show(company.set_vat_rate(default_engine(), rate, date.fromisoformat(starts_on)), as_json)


@settings_app.command("close-through")
@domain_errors
def close_through(day: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """Close the books through a day: later entries for it land on the first open day."""
    _show(company.update_settings(default_engine(), closed_through=date.fromisoformat(day)), as_json)


@settings_app.command("payment-account")
@domain_errors
def payment_account(method: str, account: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """The account a payment method's money lands in (e.g. card 111301)."""
    _show(company.update_settings(default_engine(), payment_accounts={method: account}), as_json)


@settings_app.command("stuck-rule")
@domain_errors
def stuck_rule(rule: str, wait: str = typer.Argument(..., help='e.g. 3d, 24h, 1d12h, or "off"'),
               as_json: bool = typer.Option(False, "--json")) -> None:
    """How long an order may wait in a state before it is reported stuck (unpaid_after, ...)."""
    _show(company.update_settings(default_engine(), stuck_rules={rule: wait}), as_json)


@settings_app.command("bank-account")
@domain_errors
def bank_account(code: Optional[str] = typer.Argument(None, help="111202...: change this one; none: add one"),
                 bank: Optional[str] = typer.Option(None, help="the bank's name, e.g. KBank"),
                 number: Optional[str] = typer.Option(None, help="the account number, e.g. 123-4-56789-0"),
                 holder: str = typer.Option("", help="the name on the account"),
                 disable: bool = typer.Option(False, "--disable", help="no payment method may land in it any more"),
                 enable: bool = typer.Option(False, "--enable"),
                 as_json: bool = typer.Option(False, "--json")) -> None:
    """A bank account money is received into: added as the next 1112xx of the chart, changed, or
    disabled (while no payment method lands in it). `settings payment-account METHOD CODE` points a
    payment method at it."""
    engine = default_engine()
    if code and (disable or enable):
        held = payment_accounts.set_bank_account_disabled(engine, code, disable)
    elif bank is None or number is None:
        raise typer.BadParameter("give --bank and --number (or --disable/--enable with a CODE)")
    elif code:
        held = payment_accounts.change_bank_account(engine, code, bank, number, holder)
    else:
        held = payment_accounts.add_bank_account(engine, bank, number, holder)
    if as_json:
        emit_json(held)
        return
    for a in held["accounts"]:
        if a["is_bank"]:
            state = "disabled" if a["disabled"] else "in use"
            typer.echo(f"{a['code']}  {a['bank'] or a['name_en']} {a['number']}  {state}  "
                       f"methods: {', '.join(a['methods']) or '-'}")


@settings_app.command("low-stock")
@domain_errors
def low_stock(level: int = typer.Option(..., "--level", help="given to every product that has no level"),
              for_new: bool = typer.Option(False, "--for-new-products",
                                           help="instead: the level products created from now on get (-1: none)")) -> None:
    """One low-stock level for every product without its own (a product's own: `product add --low-stock-at`)."""
    if for_new:
        kept = stock_levels.set_default_level(default_engine(), None if level == -1 else level)
        typer.echo(f"new products get the low-stock level {kept}" if kept is not None else "new products get no level")
        return
    given = stock_levels.give_level_to_products_without_one(default_engine(), level)
    typer.echo(f"{given} product(s) got the low-stock level {level}")
