"""e-Tax Invoice by Email on the pages: a document's "Download e-Tax PDF" and "Send by e-mail"
buttons (documents.etax: admin, accountant), and the e-mail settings page /settings/email (an
accountant reads it, an admin changes it). Included by web/ui/etax_pages.py's router.

Sending answers with a redirect to the document, whose page shows every sending (when, to whom,
sent or why not); a refusal before sending comes back as `?email=<code>`, worded in document.html.
"""
from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from shopledger.domain.errors import DomainError
from shopledger.services import etax_mail
from shopledger.web.auth import guard_page, page_needs
from shopledger.web.deps import engine_of
from shopledger.web.i18n import N_
from shopledger.web.ui.pages import _not_found, _refused, _same_site, templates
from shopledger.web.ui.view import segment

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse, dependencies=[Depends(guard_page)])

# What was wrong with a field of the e-mail settings, in the merchant's words.
FIELD_PROBLEMS = {
    "smtp_host": N_("The SMTP server is a name like smtp.example.com."),
    "smtp_port": N_("The port is a number from 1 to 65535."),
    "smtp_security": N_("Choose the security the server asks for."),
    "from_address": N_("The sender's address is not an e-mail address."),
    "cc_address": N_("The address in copy is not an e-mail address."),
    "from_name": N_("The sender's name is one line of at most 100 characters."),
    "smtp_user": N_("The user name is too long."),
    "smtp_password": N_("The password is too long."),
    "subject_pattern": N_("The subject may use only the fields listed below, in braces, on one line of at most 200 characters."),
}
SEND_CODES = {"no_buyer_email", "email_not_set_up", "document_void", "etax_not_valid", "email_not_sent", "not_found"}


@router.get("/documents/{number}/etax.pdf", dependencies=[Depends(page_needs("documents.etax"))])
def etax_pdf(request: Request, number: str, engine: Engine = Depends(engine_of)) -> Response:
    try:
        made = etax_mail.etax_pdf(engine, number)
    except DomainError as error:
        if error.status == 404:
            return _not_found(request, "document", number)
        # The checks' reasons are the product's own English words, as on the XML link's page.
        return templates.TemplateResponse(request, "etax_refused.html", {"number": number, "why": error.message},
                                          status_code=error.status)
    return Response(made.pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{number}-etax.pdf"'})


@router.post("/documents/{number}/send", dependencies=[Depends(page_needs("documents.etax"))])
def send(request: Request, number: str, engine: Engine = Depends(engine_of)):
    if not _same_site(request):
        return _refused(request)
    person = getattr(request.state, "person", None)
    try:
        etax_mail.send_document(engine, number, sent_by=getattr(person, "email", "") or "page")
        outcome = "sent"
    except DomainError as error:
        if error.status == 404:
            return _not_found(request, "document", number)
        outcome = error.code if error.code in SEND_CODES else "not_sent"
    return RedirectResponse(f"/documents/{segment(number)}?email={outcome}#sending", status_code=303)


@router.get("/settings/email", dependencies=[Depends(page_needs("settings.read"))])
def email_settings(request: Request, done: str = "", engine: Engine = Depends(engine_of)):
    return _page(request, etax_mail.email_settings(engine), done=done == "saved")


@router.post("/settings/email", dependencies=[Depends(page_needs("settings.change"))])
def save_email_settings(request: Request, smtp_host: str = Form(""), smtp_port: str = Form(""),
                        smtp_security: str = Form("starttls"), smtp_user: str = Form(""), smtp_password: str = Form(""),
                        clear_password: str = Form(""), from_address: str = Form(""), from_name: str = Form(""),
                        subject_pattern: str = Form(""), cc_address: str = Form(""),
                        engine: Engine = Depends(engine_of)):
    if not _same_site(request):
        return _refused(request)
    typed = {"smtp_host": smtp_host, "smtp_port": smtp_port[:10], "smtp_security": smtp_security,
             "smtp_user": smtp_user, "from_address": from_address, "from_name": from_name,
             "subject_pattern": subject_pattern, "cc_address": cc_address}
    changes = dict(typed)
    if clear_password == "yes":
        changes["smtp_password"] = ""
    elif smtp_password:  # left empty: the password kept is kept
        changes["smtp_password"] = smtp_password
    try:
        etax_mail.set_email(engine, changes)
    except DomainError as error:
        fields = (error.details or {}).get("fields") or []
        shown = etax_mail.email_settings(engine) | typed  # what was typed is kept, the password never shown
        return _page(request, shown, problems=[FIELD_PROBLEMS[f] for f in fields if f in FIELD_PROBLEMS], wrong=fields,
                     status_code=422)
    return RedirectResponse("/settings/email?done=saved", status_code=303)


def _page(request: Request, shown: dict, *, done: bool = False, problems: list[str] | None = None,
          wrong: list[str] | None = None, status_code: int = 200):
    return templates.TemplateResponse(request, "settings_email.html", {
        "nav": "settings", "e": shown, "done": done, "problems": problems or [], "wrong": wrong or [],
        "securities": ("starttls", "ssl", "none"), "fields": etax_mail.SUBJECT_FIELDS,
        "default_subject": etax_mail.DEFAULT_SUBJECT, "etda_cc": etax_mail.ETDA_CC}, status_code=status_code)
