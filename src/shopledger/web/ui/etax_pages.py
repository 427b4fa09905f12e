"""The "XML" link of a document's page: its ETDA e-Tax Invoice XML, unsigned (signed XML is for
the CLI and the REST API)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import Engine

from shopledger.domain.errors import DomainError
from shopledger.services import etax
from shopledger.web.auth import guard_page, page_needs
from shopledger.web.deps import engine_of
from shopledger.web.ui.pages import templates

router = APIRouter(include_in_schema=False, dependencies=[Depends(guard_page)])


@router.get("/documents/{number}/xml", dependencies=[Depends(page_needs("documents.read"))])
def document_xml(request: Request, number: str, engine: Engine = Depends(engine_of)) -> Response:
    try:
        xml = etax.document_xml(engine, number)
    except DomainError as error:
        if error.status == 404:
            return templates.TemplateResponse(request, "not_found.html", {"what": "document", "ident": number},
                                              status_code=404)
        # The checks' reasons are the product's own English words, as the CLI and the API give them.
        return templates.TemplateResponse(request, "etax_refused.html", {"number": number, "why": error.message},
                                          status_code=error.status)
    return Response(xml, media_type="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{number}.xml"'})


from shopledger.web.ui import etax_mail_pages  # noqa: E402 - the e-Tax PDF, sending it, /settings/email

router.include_router(etax_mail_pages.router)
