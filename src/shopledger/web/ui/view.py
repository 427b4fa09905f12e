"""How pages show things: the template set, its language, and the filters every template uses.

Each page is rendered in the person's language (`web/i18n.py` chooses it): the context carries
`lang`, `tr` and the catalogue's callables, so `{% trans %}`/`_()` in a template, the filters
below and the words of codes all speak it. docs/i18n.md says how a new page uses them.

Filters: `money` (฿1,234.50), `number`, `day` (27 พ.ย. 2569 / 27 Nov 2026), `when` (day and
Bangkok time), `month`, `duration`, `document_date` (a Thai document's own date, month in full),
`data` (the person's own words, marked as data), `segment`, `rate`, `line_amount`.
Globals: `word(group, code)`, `carrier(code_or_name)`, `account(code, name_th, name_en)`, `alert_reason(alert)`,
`alert_action(alert)`, `event_lines(event, order)`, `actor(text)`, `entry_words(entry)`,
`notice(code, value)`, `not_found(what, id)`, `languages` (the switch), `branch(code)`.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path
from urllib.parse import quote

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from starlette.requests import Request

from shopledger.web import i18n
from shopledger.web.i18n import N_, Translator
from shopledger.web.ui import formats, messages, words

WEB_DIR = Path(__file__).resolve().parent.parent
VENDOR_DIR = WEB_DIR / "static" / "vendor"
HTMX_FILE = VENDOR_DIR / "htmx.min.js"
NORMALIZE_FILE = VENDOR_DIR / "modern-normalize.css"

HEAD_OFFICE = N_("Head office")
BRANCH = N_("Branch %(number)s")


def htmx_available() -> bool:
    """htmx is progressive here: without the vendored file the pages work as plain links."""
    return HTMX_FILE.is_file()


def normalize_available() -> bool:
    return NORMALIZE_FILE.is_file()


def line_amount(line: dict) -> str:
    """A line's amount as printed: the snapshot's, else quantity x unit price (credit-note lines)."""
    if line.get("amount") is not None:
        return str(line["amount"])
    try:
        return str(Decimal(str(line.get("unit_price") or 0)) * int(line.get("quantity") or 0))
    except (InvalidOperation, ValueError):
        return ""


def segment(value: object) -> str:
    """One path segment of a link: an id's '/', '%', '?', '#' and spaces must not end it early."""
    return quote(str(value), safe="")


def rate(value: object) -> str:
    """'7.00' -> '7'; '6.50' -> '6.5'."""
    text = str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _tr(context) -> Translator:
    return context.get("tr") or Translator(i18n.DEFAULT_LANGUAGE)


def _lang(context) -> str:
    return context.get("lang") or i18n.DEFAULT_LANGUAGE


def page_context(request: Request) -> dict:
    """What every page's template gets: its language, the catalogue, the language switch."""
    lang = i18n.language_of(request)
    tr = Translator(lang)
    switch = [{"code": code, "name": i18n.LANGUAGE_NAMES[code], "url": i18n.switch_url(request, code),
               "current": code == lang} for code in i18n.LANGUAGES]
    return {"lang": lang, "tr": tr, "languages": switch} | i18n.jinja_callables(lang)


class Templates(Jinja2Templates):
    """The pages' templates: each page gets page_context, and `word`, `carrier`, ... with the
    page's translator already in them unless the page passes a variable of that name (a page's
    `notice` is its message). The environment's own (_globals) find the translator in the
    context, and Jinja gives such a function called inside a loop a copy of the whole context
    each time: on the orders page, 200 copies of forty variables (a quarter of the page's time)."""

    def TemplateResponse(self, request: Request, name: str, context: dict | None = None, *args, **kwargs):
        shared = page_context(request)
        words = {word_name: partial(function, shared["tr"]) for word_name, function in _WORDS.items()}
        return super().TemplateResponse(request, name, words | dict(context or {}) | shared, *args, **kwargs)


def branch(tr: Translator, code: str | None) -> str:
    if not code or code == "00000":
        return tr(HEAD_OFFICE)
    return tr(BRANCH, number=code)


# The functions that put a code into the reader's words, each taking the translator first.
_WORDS = {"word": words.word, "account": words.account_name, "branch": branch, "carrier": words.carrier_name,
          "alert_reason": messages.alert_reason, "alert_action": messages.alert_action,
          "event_lines": messages.event_lines, "actor": messages.actor_words, "entry_words": messages.entry_words,
          "notice": messages.notice, "not_found": messages.not_found}


def _filters() -> dict:
    def by_lang(format_function):
        @pass_context
        def shown(context, value, *args):
            return format_function(value, _lang(context), *args)
        return shown

    return {"money": by_lang(formats.money), "number": by_lang(formats.number), "day": by_lang(formats.day),
            "when": by_lang(formats.moment), "month": by_lang(formats.month), "duration": by_lang(formats.duration),
            "document_date": formats.document_date, "data": messages.data, "command": messages.command,
            "line_amount": line_amount,
            "rate": rate, "segment": segment}


def _globals() -> dict:
    def with_tr(function):
        @pass_context
        def shown(context, *args, **kwargs):
            return function(_tr(context), *args, **kwargs)
        return shown

    return {name: with_tr(function) for name, function in _WORDS.items()} | {
        "htmx_available": htmx_available, "normalize_available": normalize_available}


def make_templates() -> Jinja2Templates:
    # auto_reload off: the templates ship with the code, and checking each one's file time on every
    # page (a stat per template used) was a twentieth of a busy server's time; a restart reads them.
    env = Environment(loader=FileSystemLoader(WEB_DIR / "templates"), autoescape=select_autoescape(),
                      extensions=["jinja2.ext.i18n"], auto_reload=False)
    # Thai until a page's context says otherwise (page_context passes the person's language);
    # newstyle: `_()` and {% trans %} fill in their variables and escape them.
    thai = i18n.translations(i18n.DEFAULT_LANGUAGE)
    env.install_gettext_callables(thai.gettext, thai.ngettext, newstyle=True, pgettext=thai.pgettext,
                                  npgettext=thai.npgettext)
    env.policies["ext.i18n.trimmed"] = True  # a {% trans %} block's line breaks are spaces, as Babel extracts it
    env.filters.update(_filters())
    env.globals.update(_globals())
    return Templates(env=env)
