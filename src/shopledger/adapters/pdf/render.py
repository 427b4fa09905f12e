"""Paper: HTML templates (templates/ beside this file) rendered to PDF by WeasyPrint.

Thai text is set in Sarabun, installed from a package (fontpkg-sarabun) and embedded in every
PDF: the machine's own fonts never decide how a document looks. Nothing outside the fonts and
the data: URIs we put in (logo, signature) is fetched, whatever an SVG logo points at.
"""
from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path

import fontpkg_sarabun
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from shopledger.domain.accounting import printed
from shopledger.domain.accounting.particulars import branch_label

TEMPLATES = Path(__file__).resolve().parent / "templates"
FONT_DIR = Path(fontpkg_sarabun.ROOT) / "files"
FONT_FACES = {(400, "normal"): "Sarabun-Regular.ttf", (700, "normal"): "Sarabun-Bold.ttf",
              (400, "italic"): "Sarabun-Italic.ttf", (600, "normal"): "Sarabun-SemiBold.ttf"}


def font_css() -> Markup:
    faces = []
    for (weight, style), name in FONT_FACES.items():
        faces.append(f"@font-face {{ font-family: 'Sarabun'; font-weight: {weight}; font-style: {style}; "
                     f"src: url('{(FONT_DIR / name).as_uri()}'); }}")
    return Markup("\n".join(faces))  # our own text: not escaped inside <style>


def data_uri(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


def line_amount(line: dict) -> str:
    """A line's amount as printed: the snapshot's, else quantity x unit price (credit-note lines)."""
    from decimal import Decimal, InvalidOperation

    if line.get("amount") is not None:
        return str(line["amount"])
    try:
        return str(Decimal(str(line.get("unit_price") or 0)) * int(line.get("quantity") or 0))
    except (InvalidOperation, ValueError):
        return ""


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True, auto_reload=False)  # they ship with the code
    env.filters.update(thai_date=printed.thai_date, thai_short_date=printed.thai_short_date, baht=printed.amount, tax_id=printed.tax_id,
                       rate=printed.rate, line_amount=line_amount)
    env.globals.update(branch_label=branch_label, font_css=font_css, thai_month=printed.thai_month,
                       credit_reason=printed.credit_reason)
    return env


def html(template: str, **context) -> str:
    return environment().get_template(template).render(**context)


def _fetcher():
    from weasyprint.urls import URLFetcher

    ours = (FONT_DIR.as_uri() + "/", TEMPLATES.as_uri() + "/")

    class OnlyOurs(URLFetcher):
        """Fonts from the package, our style sheet and data: URIs; anything else (a link in an
        SVG logo) is refused."""

        def fetch(self, url, headers=None):
            if url.startswith("data:") or (url.startswith(ours) and ".." not in url):
                return super().fetch(url, headers)
            raise ValueError(f"not fetched for a document: {url[:60]}")

    return OnlyOurs(allowed_protocols=("data", "file"))


def pdf(markup: str, **write_options) -> bytes:
    """One PDF from one HTML page (fonts embedded, subset). `write_options` go to WeasyPrint's
    write_pdf as they are (adapters/etax/pdfa.py: a PDF/A-3 variant, an attachment, a finisher)."""
    from weasyprint import HTML  # slow to import: only when paper is asked for
    from weasyprint.text.fonts import FontConfiguration

    return HTML(string=markup, base_url=str(TEMPLATES), url_fetcher=_fetcher()).write_pdf(
        font_config=FontConfiguration(), **write_options)
