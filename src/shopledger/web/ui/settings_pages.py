"""Settings: the company on the documents (name, tax ID, branch, the address in parts with its
codes, picked province -> district -> subdistrict -> postcode), the logo and signature printed on
documents, VAT registration and its rates (a rate from a date), and API tokens (listed, created and
shown once, revoked). The rest of the settings have pages of their own, included here:
settings_shop.py (payment accounts, stuck-order rules, low-stock levels) and settings_sources.py
(sources, their daily time, their Import Data button).

An accountant reads the settings (settings.read); only an admin changes them (settings.change) or
manages tokens (tokens.manage). Every form goes through the service the CLI and the API use
(services/company.py, document_images.py, tokens.py): one set of rules. A form that is refused is
drawn again with what was typed and the reason in the person's language; one that is done answers
with a redirect carrying a notice.
"""
from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from shopledger.domain.errors import DomainError, NotFound
from shopledger.domain.limits import MAX_DOCUMENT_IMAGE
from shopledger.domain.people.roles import ROLES
from shopledger.services import company, document_images, tokens
from shopledger.web.auth import guard_page, page_needs
from shopledger.web.deps import engine_of
from shopledger.web.i18n import N_
from shopledger.web.ui import settings_shop, settings_sources
from shopledger.web.ui.pages import _refused, _same_site, templates

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse, dependencies=[Depends(guard_page)])

PROBLEMS = {
    "invalid_tax_id": N_("The tax ID fails its check digit."),
    "invalid_branch": N_("A branch is 5 digits (00000 is the head office)."),
    "invalid_address": N_("The address parts do not go together: choose the province, then the district, then "
                          "the subdistrict and its postcode. A house number has at most 16 characters."),
    "invalid_vat_rate": N_("The rate does not read as a percentage from 0 to below 100."),
    "invalid_date": N_("That is not a date."),
    "invalid_image": N_("That file is not a PNG or JPEG image that opens, or it is larger than %(size)s MB."),
    "no_file": N_("Choose a file first."),
    "not_found": N_("There is no such token."),
    "token_exists": N_("A token has that name already."),
}
OTHER_PROBLEM = N_("That could not be done.")
DONE = {"company": N_("The company was saved."), "rate": N_("The VAT rate was added."),
        "revoked": N_("The token was revoked."), "logo": N_("The logo was saved."),
        "signature": N_("The signature was saved."), "logo_removed": N_("The logo was removed."),
        "signature_removed": N_("The signature was removed.")}
# The address as the form sends it: the parts the e-Tax XML needs (codes picked from lists).
ADDRESS_FORM = ("building_number", "address_line", "province", "district", "subdistrict", "postcode")
IMAGE_TYPES = ("image/png", "image/jpeg")

router.include_router(settings_shop.router)
router.include_router(settings_sources.router)


def _problem(code: str) -> str:
    return PROBLEMS.get(code, OTHER_PROBLEM)


def _settings_page(request: Request, engine: Engine, *, done: str = "", problem: str = "",
                   typed: dict | None = None, new_rate: dict | None = None, status: int = 200):
    shown = company.show_settings(engine)
    held = shown["company"] or {}
    # What the form shows: what was typed (a refused form) or what is stored.
    c = {**held, "province": held.get("province_code", ""), "district": held.get("district_code", ""),
         "subdistrict": held.get("subdistrict_code", "")} | (typed or {})
    return templates.TemplateResponse(request, "settings.html", {
        "nav": "settings", "s": shown, "c": c, "done": DONE.get(done),
        "problem": _problem(problem) if problem else None, "image_mb": MAX_DOCUMENT_IMAGE // 1_000_000,
        "areas": company.address_choices(c.get("province", ""), c.get("district", ""), c.get("subdistrict", "")),
        "images": document_images.images_shown(engine), "new_rate": new_rate or {}}, status_code=status)


@router.get("/settings", dependencies=[Depends(page_needs("settings.read"))])
def settings_page(request: Request, done: str = "", problem: str = "", engine: Engine = Depends(engine_of)):
    return _settings_page(request, engine, done=done, problem=problem)


@router.get("/settings/address", dependencies=[Depends(page_needs("settings.read"))])
def address_parts(request: Request, province: str = "", district: str = "", subdistrict: str = "",
                  postcode: str = ""):
    """The province -> district -> subdistrict -> postcode pickers again for what was chosen
    (htmx swaps them in when one changes); a choice not under the one above it is dropped."""
    areas = company.address_choices(province[:2], district[:4], subdistrict[:6])
    return templates.TemplateResponse(request, "settings_address.html", {
        "areas": areas, "c": {"postcode": postcode[:5]}})


def _after(request: Request, there: str, done: str, action):
    if not _same_site(request):
        return _refused(request)
    try:
        action()
    except NotFound:
        return RedirectResponse(f"{there}?problem=not_found", status_code=303)
    except DomainError as error:
        return RedirectResponse(f"{there}?problem={error.code}", status_code=303)
    return RedirectResponse(f"{there}?done={done}", status_code=303)


@router.post("/settings/company", dependencies=[Depends(page_needs("settings.change"))])
def save_company(request: Request, name: str = Form("", max_length=500), tax_id: str = Form("", max_length=50),
                 branch: str = Form("", max_length=20), address: str = Form("", max_length=1000),
                 building_number: str = Form("", max_length=100), address_line: str = Form("", max_length=1000),
                 province: str = Form("", max_length=10), district: str = Form("", max_length=10),
                 subdistrict: str = Form("", max_length=10), postcode: str = Form("", max_length=10),
                 vat_registered: str = Form(""), engine: Engine = Depends(engine_of)):
    if not _same_site(request):
        return _refused(request)
    typed = {"name": name.strip(), "tax_id": tax_id.strip(), "branch": branch.strip(), "address": address.strip(),
             "building_number": building_number.strip(), "address_line": address_line.strip(),
             "province": province.strip(), "district": district.strip(), "subdistrict": subdistrict.strip(),
             "postcode": postcode.strip()}
    # A name or a branch left empty keeps the stored one; the other fields are as typed (empty
    # clears them). The printed address left empty is made from the parts (services/company.py).
    fields = {k: v for k, v in typed.items() if v or k not in ("name", "branch")}
    if not (fields["subdistrict"] or fields["district"] or fields["province"]):
        fields = {k: v for k, v in fields.items() if k not in ("province", "district", "subdistrict", "postcode")}
    try:
        company.update_settings(engine, company=fields, vat_registered=vat_registered == "yes")
    except DomainError as error:
        return _settings_page(request, engine, problem=error.code, status=422,
                              typed=typed | {"vat_registered": vat_registered == "yes"})
    return RedirectResponse("/settings?done=company", status_code=303)


@router.post("/settings/vat-rate", dependencies=[Depends(page_needs("settings.change"))])
def add_rate(request: Request, rate: str = Form("", max_length=20), starts_on: str = Form("", max_length=20),
             engine: Engine = Depends(engine_of)):
    if not _same_site(request):
        return _refused(request)
    try:
        try:
            day = date.fromisoformat(starts_on)
        except ValueError:
            raise DomainError("invalid_date", "not a date") from None
        company.set_vat_rate(engine, rate.strip(), day)
    except DomainError as error:
        return _settings_page(request, engine, problem=error.code, status=422,
                              new_rate={"rate": rate, "starts_on": starts_on})
    return RedirectResponse("/settings?done=rate", status_code=303)


# -- the logo and the signature printed on documents ---------------------------------------------

@router.get("/settings/images/{kind}", dependencies=[Depends(page_needs("settings.read"))])
def image(kind: str, engine: Engine = Depends(engine_of)):
    """The image as kept, for the page's preview."""
    held = document_images.image_of(engine, kind) if kind in document_images.KINDS else None
    if held is None:
        return Response(status_code=404)
    media_type, data = held
    # An SVG (the CLI takes those) is shown as an image; opened on its own it runs nothing.
    return Response(data, media_type=media_type, headers={"Cache-Control": "private, no-cache",
                                                          "Content-Security-Policy": "default-src 'none'; sandbox"})


@router.post("/settings/images/{kind}", dependencies=[Depends(page_needs("settings.change"))])
def upload_image(request: Request, kind: str, file: UploadFile = File(None), engine: Engine = Depends(engine_of)):
    if not _same_site(request):
        return _refused(request)
    if kind not in document_images.KINDS:
        return _settings_page(request, engine, problem="invalid_image", status=404)
    if file is None or not file.filename:
        return _settings_page(request, engine, problem="no_file", status=422)
    with tempfile.TemporaryDirectory(prefix="shopledger-image-") as folder:
        path = Path(folder) / (Path(file.filename).name[:100] or kind)
        data = file.file.read(MAX_DOCUMENT_IMAGE + 1)  # no more than one byte past what is kept is read
        if len(data) > MAX_DOCUMENT_IMAGE or document_images.media_type_of(data) not in IMAGE_TYPES:
            return _settings_page(request, engine, problem="invalid_image", status=422)
        path.write_bytes(data)
        try:
            document_images.set_image(engine, kind, path)
        except DomainError as error:
            return _settings_page(request, engine, problem=error.code, status=422)
    return RedirectResponse(f"/settings?done={kind}#images", status_code=303)


@router.post("/settings/images/{kind}/remove", dependencies=[Depends(page_needs("settings.change"))])
def remove_image(request: Request, kind: str, engine: Engine = Depends(engine_of)):
    if kind not in document_images.KINDS:
        return _settings_page(request, engine, problem="invalid_image", status=404)
    return _after(request, "/settings", f"{kind}_removed",
                  lambda: document_images.set_image(engine, kind, document_images.REMOVE))


# -- API tokens ---------------------------------------------------------------------------------

@router.get("/settings/tokens", dependencies=[Depends(page_needs("tokens.manage"))])
def tokens_page(request: Request, done: str = "", problem: str = "", engine: Engine = Depends(engine_of)):
    return _tokens(request, engine, done=DONE.get(done), problem=_problem(problem) if problem else None)


def _tokens(request: Request, engine: Engine, **context):
    return templates.TemplateResponse(request, "settings_tokens.html", {
        "nav": "settings", "tokens": tokens.list_tokens(engine), "roles": ROLES} | context)


@router.post("/settings/tokens", dependencies=[Depends(page_needs("tokens.manage"))])
def create_token(request: Request, name: str = Form(""), role: str = Form("reader"), engine: Engine = Depends(engine_of)):
    if not _same_site(request):
        return _refused(request)
    name = name.strip()[:60]
    if not name:
        return _tokens(request, engine, problem=OTHER_PROBLEM)
    if any(t["name"] == name for t in tokens.list_tokens(engine)):
        return _tokens(request, engine, problem=PROBLEMS["token_exists"])
    try:
        made = tokens.create_token(engine, name, role)
    except DomainError as error:
        return _tokens(request, engine, problem=_problem(error.code))
    return _tokens(request, engine, new_token=made, new_name=name)


@router.post("/settings/tokens/revoke", dependencies=[Depends(page_needs("tokens.manage"))])
def revoke_token(request: Request, name: str = Form(""), engine: Engine = Depends(engine_of)):
    return _after(request, "/settings/tokens", "revoked", lambda: tokens.revoke_token(engine, name))
