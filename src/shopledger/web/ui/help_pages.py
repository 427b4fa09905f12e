"""/help and /help/NAME: the project's own documentation (docs/NAME.md, and README) as plain
pages, so a person finds the order format, the COD statement's columns or the stuck-order rules
from the page where they need them.

Rendered with markdown-it-py (CommonMark and tables; raw HTML in a doc is escaped, links are
checked as CommonMark does). A link to another doc (`limits.md`, `docs/limits.md`,
`../README.md`) stays on /help; headings get the ids GitHub gives them, so `#the-rules` works
here as it does there. Served to anyone, as the repository serves them: they hold nothing of
the shop's.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from markdown_it import MarkdownIt
from markupsafe import Markup

from shopledger.web.auth import open_to_all
from shopledger.web.ui.pages import templates

ROOT = Path(__file__).resolve().parents[4]  # src/shopledger/web/ui/help_pages.py -> the repository
DOCS_DIR = ROOT / "docs"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_DOC_LINK = re.compile(r"^(?:\./|\.\./)*(?:docs/)?(?P<name>[A-Za-z0-9][A-Za-z0-9_-]{0,63})\.md(?P<anchor>#[\w-]*)?$")

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


def doc_path(name: str) -> Path | None:
    """docs/NAME.md, or the README; None for any other name."""
    if not _NAME.fullmatch(name):
        return None
    path = ROOT / "README.md" if name == "README" else DOCS_DIR / f"{name}.md"
    return path if path.is_file() else None


def doc_names() -> list[str]:
    return sorted(p.stem for p in DOCS_DIR.glob("*.md") if _NAME.fullmatch(p.stem)) if DOCS_DIR.is_dir() else []


def slug(text: str) -> str:
    """A heading's id as GitHub makes it: lower case, punctuation dropped, spaces as '-'."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def _help_links(state) -> None:
    """Links to a doc point at its page here; headings get their ids."""
    seen: dict[str, int] = {}
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and index + 1 < len(tokens):
            text = "".join(child.content for child in tokens[index + 1].children or [] if child.type != "softbreak")
            base = slug(text)
            count = seen.get(base, 0)
            seen[base] = count + 1
            token.attrSet("id", base if count == 0 else f"{base}-{count}")
        for child in token.children or []:
            if child.type == "link_open":
                found = _DOC_LINK.match(str(child.attrGet("href") or ""))
                if found:
                    child.attrSet("href", f"/help/{found['name']}{found['anchor'] or ''}")


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.core.ruler.push("help_links", _help_links)
    return md


def render(text: str) -> tuple[str, Markup]:
    """(the doc's title, its body as HTML)."""
    title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), "")
    return title, Markup(_markdown().render(text))


def title_of(path: Path) -> str:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("# "):
                return line[2:].strip()
    return path.stem


@router.get("/help", dependencies=[Depends(open_to_all)])
def help_index(request: Request):
    docs = [{"name": name, "title": title_of(DOCS_DIR / f"{name}.md")} for name in doc_names()]
    return templates.TemplateResponse(request, "help.html", {"nav": "help", "docs": docs, "title": None,
                                                             "body": None})


@router.get("/help/{name}", dependencies=[Depends(open_to_all)])
def help_page(request: Request, name: str):
    path = doc_path(name)
    if path is None:
        return templates.TemplateResponse(request, "not_found.html", {"what": "page", "ident": f"/help/{name}"},
                                          status_code=404)
    title, body = render(path.read_text(encoding="utf-8"))
    return templates.TemplateResponse(request, "help.html", {"nav": "help", "docs": None, "title": title or name,
                                                             "body": body})
