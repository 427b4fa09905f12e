"""Problem+json everywhere, and /openapi.json describing the API."""
from __future__ import annotations

import pytest

from shopledger.domain.errors import Conflict, DomainError

pytestmark = pytest.mark.db


def test_unknown_route_is_404_not_found_problem(client, admin):
    response = client.get("/api/v1/nothing-here", headers=admin)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "not_found"


def test_an_unknown_page_is_a_404_page_not_json(client):
    response = client.get("/no/such/page")  # tests/api/test_i18n_pages.py: in both languages
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")


def test_wrong_method_is_405_problem(client, admin):
    response = client.delete("/api/v1/documents", headers=admin)
    assert (response.status_code, response.json()["code"]) == (405, "method_not_allowed")


def test_domain_errors_keep_their_status_and_code(app, client, admin):
    def conflict():
        raise Conflict("period_closed", "November 2026 is closed", {"period": "2026-11"})

    def rule():
        raise DomainError("unbalanced_entry", "debits 1.00 and credits 2.00 differ")

    app.add_api_route("/api/v1/test-conflict", conflict)
    app.add_api_route("/api/v1/test-rule", rule)
    body = client.get("/api/v1/test-conflict").json()  # no token needed: not under the API router
    assert (body["status"], body["code"], body["detail"], body["period"]) == (
        409, "period_closed", "November 2026 is closed", "2026-11")
    assert client.get("/api/v1/test-rule").json()["status"] == 422


def test_an_unexpected_error_is_500_without_a_traceback(app, client):
    def boom():
        raise RuntimeError("secret database password in a message")

    app.add_api_route("/api/v1/test-boom", boom)
    response = client.get("/api/v1/test-boom")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "internal_error"
    assert "secret" not in response.text and "Traceback" not in response.text


def test_openapi_lists_the_paths_and_declares_bearer_auth(client):
    spec = client.get("/openapi.json").json()
    assert (spec["info"]["title"], spec["info"]["version"]) == ("shopledger", "1")
    assert set(spec["paths"]) >= {"/api/v1/documents", "/api/v1/documents/{number}", "/api/v1/journal-entries",
                                  "/api/v1/reports/trial-balance", "/api/v1/imports", "/api/v1/orders",
                                  "/api/v1/orders/{order_id}", "/healthz"}
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": spec["components"]["securitySchemes"]["bearerAuth"]["description"]}
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            if path == "/api/v1/sources/{name}/orders":  # a shop signs the body instead (HMAC)
                assert "security" not in operation
                assert any(p["name"].lower() == "x-shop-signature" for p in operation["parameters"])
            elif path.startswith("/api/v1/"):
                assert operation["security"] == [{"bearerAuth": []}], path
                assert "application/problem+json" in operation["responses"]["401"]["content"], path
    assert not any(p.startswith(("/documents", "/journal", "/trial-balance")) for p in spec["paths"])


def test_openapi_gives_amounts_a_pattern(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    for name, field in (("Document", "total"), ("EntryLine", "debit"), ("TrialBalance", "total_credit")):
        assert schemas[name]["properties"][field]["pattern"] == r"^-?\d+\.\d{2}$"
    assert "multipart/form-data" in str(client.get("/openapi.json").json()["paths"]["/api/v1/imports"])
