"""A page that went wrong is a page in the person's language, not JSON (web/errors.py decides:
API paths keep problem+json). 404 for an address with nothing at it, 500 for our fault, and a
few others a browser can meet (405, 422, 503)."""
from __future__ import annotations

import logging

from fastapi.responses import HTMLResponse, Response
from starlette.requests import Request

from shopledger.web.i18n import N_, Translator, language_of

log = logging.getLogger("shopledger.web")

PAGES = {
    404: (N_("Page not found"), N_("There is nothing at this address. The link may be mistyped, or what it showed "
                                   "is gone.")),
    405: (N_("Not possible here"), N_("This page cannot be used this way. Go back and use its buttons and links.")),
    413: (N_("Too large to send"), N_("What was sent is larger than this page takes. Send a smaller file, or split "
                                      "it into several.")),
    422: (N_("Address not understood"), N_("The address holds a value this page cannot read. Check the link and try "
                                           "again.")),
    500: (N_("Something went wrong"), N_("Something went wrong on our side and it has been logged. Please try "
                                         "again; if it happens again, tell whoever looks after shopledger.")),
    503: (N_("Busy"), N_("The server is busy right now. Please try again in a moment.")),
}
OTHER = (N_("This did not work"), N_("This request could not be answered. Go back and try again."))
# When even the page cannot be drawn (the template itself failed): plain words in both languages.
LAST_RESORT = ("<!doctype html><html lang=\"th\"><meta charset=\"utf-8\"><title>shopledger</title>"
               "<h1>เกิดข้อผิดพลาด</h1><p lang=\"en\">Something went wrong.</p><p><a href=\"/\">shopledger</a></p>")


def error_page(request: Request, status: int, headers: dict[str, str] | None = None) -> Response:
    title, message = PAGES.get(status, OTHER)
    try:
        from shopledger.web.ui.pages import templates  # the pages' one template set, with every global

        tr = Translator(language_of(request))
        return templates.TemplateResponse(request, "error.html", {"title": tr(title), "message": tr(message),
                                                                  "status": status},
                                          status_code=status, headers=headers)
    except Exception:  # noqa: BLE001 - an error page must answer whatever broke
        log.exception("the error page for %s could not be drawn", request.url.path)
        return HTMLResponse(LAST_RESORT, status_code=status, headers=headers)
