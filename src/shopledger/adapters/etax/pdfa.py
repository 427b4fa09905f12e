"""A document's PDF as PDF/A-3 with its ETDA XML inside: what e-Tax Invoice by Email sends.

WeasyPrint writes the PDF/A-3b (sRGB output intent, fonts embedded, XMP with pdfaid:part 3
and conformance B) and embeds the XML as `ETDA-invoice.xml` with /AFRelationship /Alternative,
listed in the catalog's /AF and /Names /EmbeddedFiles. A finisher then does what WeasyPrint
cannot be told: the embedded file's Subtype becomes `text/xml` (as ETDA embeds it; WeasyPrint
guesses application/xml from the name), /AF lists it once, and the XMP gains ETDA's extension
schema, declared as PDF/A requires any property outside the standard schemas to be.

The schema is the one ETDA's own PDF/A-3 generator for e-Tax Invoice by Email writes
("Electronic Tax Invoice PDFA Extension Schema", prefix `rsm`, properties DocumentFileName,
DocumentType and Version); docs/etax.md says more.
"""
from __future__ import annotations

import io
from datetime import datetime, timezone
from xml.sax.saxutils import escape

from shopledger.adapters.pdf import render

ETDA_FILE_NAME = "ETDA-invoice.xml"
XML_MEDIA_TYPE = "text/xml"
PDFA_VARIANT = "pdf/a-3b"
ETDA_NAMESPACE = "urn:etda:uncefact:data:standard:Invoice_CrossIndustryInvoice:2#"
ETDA_PREFIX = "rsm"
ETDA_SCHEMA_NAME = "Electronic Tax Invoice PDFA Extension Schema"
XML_DESCRIPTION = "Tax Invoice XML Data"

# ETDA's TypeCode -> the DocumentType words ETDA's generator writes ("Tax Invoice", "Credit Note", ...).
DOCUMENT_TYPES = {"T03": "Tax Invoice", "81": "Credit Note", "380": "Invoice", "T01": "Receipt"}

_PROPERTIES = (
    ("DocumentFileName", "Name of the embedded XML invoice file"),
    ("DocumentType", "Type of the document"),
    ("Version", "Version of the ETDA XML data"),
)


def pdfa3(markup: str, xml: bytes, *, type_code: str, version: str) -> bytes:
    """The HTML page `markup` as PDF/A-3b carrying `xml` byte for byte as ETDA-invoice.xml."""
    from weasyprint import Attachment

    now = datetime.now(timezone.utc).replace(microsecond=0)
    attachment = Attachment(file_obj=io.BytesIO(xml), name=ETDA_FILE_NAME, description=XML_DESCRIPTION,
                            created=now, modified=now, relationship="Alternative")
    return render.pdf(markup, pdf_variant=PDFA_VARIANT, attachments=[attachment],
                      finisher=_EtdaFinisher(DOCUMENT_TYPES.get(type_code, type_code), version))


def etda_xmp(document_type: str, version: str) -> bytes:
    """The rdf:Descriptions ETDA's extension adds: the schema's declaration and its values."""
    properties = "".join(
        '<rdf:li rdf:parseType="Resource">'
        f"<pdfaProperty:name>{name}</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType>"
        f"<pdfaProperty:category>external</pdfaProperty:category>"
        f"<pdfaProperty:description>{description}</pdfaProperty:description></rdf:li>"
        for name, description in _PROPERTIES)
    return (
        '<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"'
        ' xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">'
        '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">'
        f"<pdfaSchema:schema>{ETDA_SCHEMA_NAME}</pdfaSchema:schema>"
        f"<pdfaSchema:namespaceURI>{ETDA_NAMESPACE}</pdfaSchema:namespaceURI>"
        f"<pdfaSchema:prefix>{ETDA_PREFIX}</pdfaSchema:prefix>"
        f"<pdfaSchema:property><rdf:Seq>{properties}</rdf:Seq></pdfaSchema:property>"
        "</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>"
        f'<rdf:Description rdf:about="" xmlns:{ETDA_PREFIX}="{ETDA_NAMESPACE}">'
        f"<{ETDA_PREFIX}:DocumentFileName>{ETDA_FILE_NAME}</{ETDA_PREFIX}:DocumentFileName>"
        f"<{ETDA_PREFIX}:DocumentType>{escape(document_type)}</{ETDA_PREFIX}:DocumentType>"
        f"<{ETDA_PREFIX}:Version>{escape(version)}</{ETDA_PREFIX}:Version>"
        "</rdf:Description>").encode()


class _EtdaFinisher:
    """Runs on WeasyPrint's pydyf objects after the PDF/A variant, before the file is written."""

    def __init__(self, document_type: str, version: str):
        self.extra = etda_xmp(document_type, version)

    def __call__(self, document, pdf) -> None:
        metadata = pdf.objects[int(pdf.catalog["Metadata"].split()[0])]
        packet = b"".join(part if isinstance(part, bytes) else str(part).encode() for part in metadata.stream)
        end = packet.rindex(b"</rdf:RDF>")  # one rdf:RDF in the packet, as XMP wants
        metadata.stream = [packet[:end] + self.extra + packet[end:]]
        associated = pdf.catalog["AF"]  # WeasyPrint lists the file twice: from the name tree and as a Filespec
        associated[:] = list(dict.fromkeys(associated))
        for stream in pdf.objects:
            extra = getattr(stream, "extra", None)
            if isinstance(extra, dict) and extra.get("Type") == "/EmbeddedFile":
                extra["Subtype"] = "/" + XML_MEDIA_TYPE.replace("/", "#2F")
