"""The pages' languages: Thai first, English by a switch (docs/i18n.md).

Every word a page shows comes from one message catalogue: English msgids, translated in
`web/locales/<lang>/LC_MESSAGES/messages.po`. The .po files are read when first needed (no
compiled .mo to build or forget). Templates say `{% trans %}...{% endtrans %}` or `_("...")`;
Python marks a word with `N_("...")` (`N_n` with its plural) where it is written and translates it
with a `Translator` where it is shown.

Which language a request gets, first that says: `?lang=th|en` (remembered in a cookie), the
person's saved choice (a hook sign-in fills, `use_person_store`), the cookie, Thai.
API paths, static files and the demo shop have no language: they are left alone.
"""
from __future__ import annotations

import gettext as gettext_module
import logging
from collections.abc import Callable
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import pass_eval_context
from markupsafe import Markup
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("shopledger.web")

LANGUAGES = ("th", "en")
DEFAULT_LANGUAGE = "th"
LANGUAGE_NAMES = {"th": "ไทย", "en": "English"}  # each in its own language, as a switch shows them
COOKIE = "shopledger_lang"
COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie
LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"
# Paths that are not pages: they answer JSON, files or the demo shop, in no language.
NOT_PAGES = ("/api/", "/static/", "/demo-shop", "/openapi.json", "/healthz")


def N_(message: str) -> str:
    """Marks a word for the catalogue where it is written; translated where it is shown."""
    return message


def N_n(singular: str, plural: str) -> tuple[str, str]:
    """Marks a word with a plural (`%(num)s day`, `%(num)s days`); `Translator.plural` shows it."""
    return singular, plural


def language(value: object) -> str | None:
    """'en', 'EN', 'en-GB' -> 'en'; anything not one of ours -> None."""
    text = str(value or "").strip().lower().replace("_", "-").split("-")[0]
    return text if text in LANGUAGES else None


def po_path(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext_module.NullTranslations:
    """The catalogue of one language, read from its .po (fuzzy and empty entries fall back to English)."""
    with po_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext_module.GNUTranslations(compiled)


class Translator:
    """Python's side of the catalogue: `tr("Paid %(ago)s ago", ago=...)`."""

    def __init__(self, lang: str):
        self.lang = language(lang) or DEFAULT_LANGUAGE
        self._t = translations(self.lang)

    def __call__(self, message: str, **params: object) -> str:
        text = self._t.gettext(message)
        return text % params if params else text

    def plural(self, forms: tuple[str, str], n: int, **params: object) -> str:
        return self._t.ngettext(forms[0], forms[1], n) % ({"num": n} | params)

    def template(self, message: str) -> str:
        """The translated text with its %(name)s placeholders left for the caller to fill."""
        return self._t.gettext(message)

    def template_plural(self, forms: tuple[str, str], n: int) -> str:
        return self._t.ngettext(forms[0], forms[1], n)

    def context(self, context: str, message: str) -> str:
        return self._t.pgettext(context, message)


# -- Jinja: newstyle gettext (variables filled in and escaped by the call), one set per language

# pass_eval_context, not pass_context: Jinja gives a pass_context function called in a loop a
# new context holding every variable of the page, on every call (a third of the orders page's time).

def _escaped(eval_ctx, text: str) -> str:
    return Markup(text) if eval_ctx.autoescape else text


def _jinja_gettext(t: gettext_module.NullTranslations):
    @pass_eval_context
    def gettext(__eval_ctx, __string: str, **variables):
        text = t.gettext(__string)
        if not variables and "%" not in text:  # nothing to fill in: no formatting pass
            return _escaped(__eval_ctx, text)
        return _escaped(__eval_ctx, text) % variables
    return gettext


def _jinja_ngettext(t: gettext_module.NullTranslations):
    @pass_eval_context
    def ngettext(__eval_ctx, __singular: str, __plural: str, __num: int, **variables):
        variables.setdefault("num", __num)
        return _escaped(__eval_ctx, t.ngettext(__singular, __plural, __num)) % variables
    return ngettext


def _jinja_pgettext(t: gettext_module.NullTranslations):
    @pass_eval_context
    def pgettext(__eval_ctx, __message_context: str, __string: str, **variables):
        return _escaped(__eval_ctx, t.pgettext(__message_context, __string)) % variables
    return pgettext


def _jinja_npgettext(t: gettext_module.NullTranslations):
    @pass_eval_context
    def npgettext(__eval_ctx, __message_context: str, __singular: str, __plural: str, __num: int, **variables):
        variables.setdefault("num", __num)
        return _escaped(__eval_ctx, t.npgettext(__message_context, __singular, __plural, __num)) % variables
    return npgettext


@lru_cache(maxsize=None)
def jinja_callables(lang: str) -> dict:
    """What a template's `{% trans %}` and `_()` call, in this language (passed in its context)."""
    t = translations(lang)
    gettext = _jinja_gettext(t)
    # `_` too: the i18n extension's own `_` is a pass_context alias that calls `gettext`
    return {"gettext": gettext, "_": gettext, "ngettext": _jinja_ngettext(t), "pgettext": _jinja_pgettext(t),
            "npgettext": _jinja_npgettext(t)}


# -- which language a request gets ----------------------------------------------------------

def _nobody(_request: HTTPConnection) -> str | None:
    return None


def _forget(_request: HTTPConnection, _lang: str) -> None:
    return None


_person_language: Callable[[HTTPConnection], str | None] = _nobody
_save_person_language: Callable[[HTTPConnection, str], None] = _forget


def use_person_store(read: Callable[[HTTPConnection], str | None],
                     save: Callable[[HTTPConnection, str], None]) -> None:
    """The hook for sign-in: where a signed-in person's language is read from and saved to.
    `read` answers None for nobody signed in; `save` is called when the person switches."""
    global _person_language, _save_person_language
    _person_language, _save_person_language = read, save


def is_page(path: str) -> bool:
    return not path.startswith(NOT_PAGES)


def asked_language(request: HTTPConnection) -> str | None:
    return language(request.query_params.get("lang"))


def language_of(request: HTTPConnection) -> str:
    """?lang, else the person's saved choice, else the cookie, else Thai."""
    return (asked_language(request) or language(_person_language(request))
            or language(request.cookies.get(COOKIE)) or DEFAULT_LANGUAGE)


def switch_url(request: Request, lang: str) -> str:
    """This page in another language: its path and query with `lang` set."""
    query = [(k, v) for k, v in parse_qsl(request.url.query, keep_blank_values=True) if k != "lang"]
    return request.url.path + "?" + urlencode([*query, ("lang", lang)])


class LanguageMiddleware:
    """On pages: remembers `?lang=` in a cookie (and for the person, through the hook) and says
    which language the answer is in (Content-Language)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_page(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        asked = None
        for key, value in parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True):
            if key == "lang":
                asked = language(value)

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                request = HTTPConnection(scope)
                headers = MutableHeaders(scope=message)
                if asked:
                    headers.append("set-cookie", f"{COOKIE}={asked}; Max-Age={COOKIE_MAX_AGE}; Path=/; "
                                                 "SameSite=Lax; HttpOnly")
                    try:
                        _save_person_language(request, asked)
                    except Exception:  # noqa: BLE001 - the cookie remembers it; the page must still answer
                        log.exception("the language %s could not be saved for the person", asked)
                if "content-language" not in headers:
                    headers["content-language"] = language_of(request)
            await send(message)

        await self.app(scope, receive, send_with_language)


def install(app) -> None:
    app.add_middleware(LanguageMiddleware)
