"""docs/cli.md, written from the `shopledger` command itself: every command and group, its usage,
its help, its arguments and options, walked from the Typer app's command tree.

    .venv/bin/python -m shopledger.cli.reference > docs/cli.md

tests/unit/test_docs.py regenerates it and fails when docs/cli.md differs, so the reference
never drifts from the commands. Nothing here depends on the machine it runs on: defaults a
command works out when it runs (the database, worker counts) are described in its help.
"""
from __future__ import annotations

import inspect
import re
import sys

import typer.main

from shopledger.cli.main import app

REGENERATE = ".venv/bin/python -m shopledger.cli.reference > docs/cli.md"
HEADER = f"""# CLI reference

Every `shopledger` command with its arguments and options, as `shopledger COMMAND --help` shows
them. Generated from the commands themselves: do not edit by hand, run

```
{REGENERATE}
```

(a test fails while this page and the commands disagree). A walk through the commands is in
[README.md](../README.md); order files: [order-format.md](order-format.md); courier payout
statements: [cod-payouts.md](cod-payouts.md); stuck orders: [stuck-orders.md](stuck-orders.md).
Every listing (`documents`, `entries`, `orders`, `alerts`, `stock`, `sync-runs`) shows the newest
100 and how many there are, takes `--limit N` and `--offset N`, and with `--json` alone streams
everything as one JSON array.
"""


def reference() -> str:
    """The whole page, as markdown."""
    root = typer.main.get_command(app)
    ctx = root.context_class(root, info_name="shopledger")
    out = [HEADER, "## Commands\n"]
    commands = list(_walk(root, ctx))
    out += [f"- [`{path}`](#{_anchor(path)}) — {_first_line(command)}" for path, command, _ in commands[1:]]
    out.append("")
    for path, command, command_ctx in commands:
        out.append(_section(path, command, command_ctx))
    return "\n".join(out).rstrip() + "\n"


def _walk(command, ctx, path: str = "shopledger"):
    yield path, command, ctx
    if hasattr(command, "list_commands"):
        for name in command.list_commands(ctx):
            child = command.get_command(ctx, name)
            if child is None or getattr(child, "hidden", False):
                continue
            yield from _walk(child, command.context_class(child, info_name=name, parent=ctx), f"{path} {name}")


def _section(path: str, command, ctx) -> str:
    lines = [f"## `{path}`" if path != "shopledger" else "## `shopledger`", ""]
    usage = " ".join(command.collect_usage_pieces(ctx))
    lines += ["```", f"{path} {usage}".rstrip(), "```", ""]
    if command.help:
        lines += [_plain(inspect.cleandoc(command.help)), ""]
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    options = [p for p in command.params if p.param_type_name == "option" and not getattr(p, "hidden", False)]
    for title, params in (("argument", arguments), ("option", options)):
        records = [record for param in params if (record := param.get_help_record(ctx))]
        if records:
            lines += [f"| {title} | what |", "|---|---|"]
            lines += [f"| `{name}` | {_cell(words)} |" for name, words in records]
            lines.append("")
    if hasattr(command, "list_commands"):
        names = [n for n in command.list_commands(ctx) if not getattr(command.get_command(ctx, n), "hidden", False)]
        if names and path != "shopledger":
            lines += ["Commands: " + ", ".join(f"[`{n}`](#{_anchor(f'{path} {n}')})" for n in names), ""]
    return "\n".join(lines)


def _first_line(command) -> str:
    text = _plain(inspect.cleandoc(command.help or ""))
    return _cell(text.split("\n\n")[0].replace("\n", " ")) if text else ""


def _plain(text: str) -> str:
    return text.replace("\b\n", "").replace("\b", "")


def _cell(text: str) -> str:
    return " ".join((text or "").split()).replace("|", "\\|")


def _anchor(path: str) -> str:
    """The id GitHub (and /help) give the heading `` `path` ``."""
    return re.sub(r"[^a-z0-9 -]", "", path.lower()).replace(" ", "-")


def main() -> int:
    sys.stdout.write(reference())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
