"""ETDA's own XSD and Schematron (schema package v2.1), read from the shared folder beside the
repository (../shared/etax-xml) or from $SHOPLEDGER_ETAX_SCHEMAS; never copied into the project.

Missing, the tests that need it skip on a developer's machine and fail under CI (CI=true).
As the package's README says: the Schematron's queryBinding is set to "xslt" on the parsed
tree (its XPath is 1.0), and ETDA's rules are reports, so reports count as failures.
"""
from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest
from lxml import etree, isoschematron

ENV = "SHOPLEDGER_ETAX_SCHEMAS"
PACKAGE = "e-tax-invoice-receipt-v2.1"
ROOTS = ("TaxInvoice", "DebitCreditNote", "Receipt", "Invoice")
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}


def shared_folder() -> Path:
    named = os.environ.get(ENV)
    return Path(named) if named else Path(__file__).resolve().parents[3] / "shared" / "etax-xml"


def package() -> Path:
    """The package folder; under CI its absence fails the test instead of skipping it."""
    folder = shared_folder() / PACKAGE
    if not folder.is_dir():
        message = f"ETDA's schema package is not at {folder} (set {ENV} to the etax-xml folder)"
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(message)
        pytest.skip(message)
    return folder


def standard() -> Path:
    return package() / "ETDA" / "data" / "standard"


def codelists() -> Path:
    return package() / "ETDA" / "codelist" / "standard"


@cache
def _schema(root: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(standard() / f"{root}_CrossIndustryInvoice_2p1.xsd")))


@cache
def _schematron(root: str) -> isoschematron.Schematron:
    tree = etree.parse(str(standard() / f"{root}_Schematron_2p1.sch"))
    tree.getroot().set("queryBinding", "xslt")  # in memory only: the file is ETDA's
    return isoschematron.Schematron(tree, error_finder=isoschematron.Schematron.ASSERTS_AND_REPORTS,
                                    store_report=True)


def root_of(xml: bytes) -> str:
    name = etree.QName(etree.fromstring(xml)).localname
    return name.removesuffix("_CrossIndustryInvoice")


def failures(xml: bytes) -> list[str]:
    """Every XSD error and every Schematron assert or report that fired; [] when valid."""
    tree = etree.fromstring(xml).getroottree()
    root = root_of(xml)
    schema, schematron = _schema(root), _schematron(root)
    found = [f"XSD line {e.line}: {e.message}" for e in schema.error_log] if not schema.validate(tree) else []
    if not schematron.validate(tree):
        report = schematron.validation_report
        for fired in report.xpath("//svrl:failed-assert | //svrl:successful-report", namespaces=SVRL):
            found.append("Schematron: " + " ".join("".join(fired.itertext()).split()))
    return found


def assert_valid(xml: bytes, what: str = "") -> None:
    found = failures(xml)
    assert not found, f"{what} fails ETDA v2.1:\n" + "\n".join(found[:20])
