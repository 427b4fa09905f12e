"""The project documents itself in docs/ (a clone has nothing else): the CLI reference is what the
commands say, every stuck-order rule and its default is in stuck-orders.md, every column name the
readers accept is in order-format.md and cod-payouts.md, and nothing points outside the repository."""
from __future__ import annotations

import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from shopledger.adapters.connectors.files import COLUMNS
from shopledger.cli.reference import REGENERATE, reference
from shopledger.domain.orders.stuck import SETTING_OF, StuckRules, parse_duration
from shopledger.domain.shipping.cod import HEADER_ALIASES

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def _doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def test_the_cli_reference_is_what_the_commands_say():
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == reference(), \
        f"docs/cli.md is stale: regenerate it with `{REGENERATE}` and commit it"


def test_the_cli_reference_names_every_command():
    text = _doc("cli.md")
    for command in ("shopledger orders", "shopledger import", "shopledger cod remittance",
                    "shopledger settings stuck-rule", "shopledger report trial-balance"):
        assert f"## `{command}`" in text
    assert "| `--search TEXT` |" in text


def test_the_reference_runs_as_the_doc_says():
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-m", "shopledger.cli.reference"],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout == reference()


def _rules_table(text: str) -> dict[str, tuple[str, str]]:
    """rule -> (setting, default) from the rows of stuck-orders.md's table."""
    rows = re.findall(r"^\| `(\w+)` \| `(\w+)` \| ([^|]+?) \|", text, re.M)
    return {rule: (setting, default) for rule, setting, default in rows}


def test_every_stuck_rule_is_documented_with_its_setting_and_default():
    documented = _rules_table(_doc("stuck-orders.md"))
    assert set(documented) == set(SETTING_OF), "docs/stuck-orders.md must list exactly the rules of stuck.py"
    defaults = StuckRules()
    for rule, setting in SETTING_OF.items():
        shown_setting, shown_default = documented[rule]
        assert shown_setting == setting
        default = shown_default.split()[0]
        assert parse_duration(default, setting) == getattr(defaults, setting), (rule, shown_default)
    assert StuckRules().sync_failed_after == timedelta(0)


def test_every_column_name_the_readers_take_is_documented():
    orders = _doc("order-format.md").split("### Column names", 1)[1]
    for column, aliases in COLUMNS.items():
        row = re.search(rf"^\| `{column}` \| (.+) \|$", orders, re.M)
        assert row, f"order-format.md has no row for column {column}"
        assert [a.strip() for a in row.group(1).split(",")] == list(aliases), column
    payouts = _doc("cod-payouts.md")
    for name, aliases in HEADER_ALIASES.items():
        row = re.search(rf"^\| {name} \| ([^|]+) \|", payouts, re.M)
        assert row and [a.strip() for a in row.group(1).split(",")] == list(aliases), name


def test_readme_docs_and_code_point_at_nothing_outside_the_repository():
    found = []
    for path in [ROOT / "README.md", *DOCS.glob("*.md"), *(ROOT / "src").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        if "../shared" in text or "shared/spec" in text:
            found.append(str(path.relative_to(ROOT)))
    assert not found


def test_every_doc_the_readme_links_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\((docs/[\w.-]+\.md)\)", readme))
    assert {"docs/order-format.md", "docs/cod-payouts.md", "docs/stuck-orders.md", "docs/cli.md"} <= linked
    assert all((ROOT / link).is_file() for link in linked)
