"""POST /imports?dry_run=true: what the import would do, answered like `import --dry-run --json`,
nothing written; then the same file posted makes what was previewed; a reader and an accountant
may not (imports.run), a clerk may."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.builders import make_order_dict
from tests.services.test_preview import everything

pytestmark = pytest.mark.db

FILE = json.dumps([make_order_dict(external_id="DR-1"), make_order_dict(external_id="DR-BAD", total="999.00"),
                   make_order_dict(external_id="DR-2", payment_status="unpaid", paid_at=None)]).encode()


def _upload(client, headers, content: bytes = FILE, query: str = "?dry_run=true"):
    return client.post(f"/api/v1/imports{query}", headers=headers,
                       files={"file": ("orders.json", content, "application/octet-stream")})


def _books(engine) -> dict:
    """Every table but the tokens' last use, which any request with a token records."""
    return {name: rows for name, rows in everything(engine).items() if name != "api_tokens"}


def test_a_dry_run_answers_the_plan_writes_nothing_and_the_post_makes_it(client, admin, engine):
    before = _books(engine)
    response = _upload(client, admin)
    assert response.status_code == 200, response.text
    preview = response.json()
    assert _books(engine) == before
    assert preview["dry_run"] is True and (preview["created"], preview["orders_total"]) == (2, 2)
    assert [f["external_id"] for f in preview["failed"]] == ["DR-BAD"]
    planned = {d["number"]: d for o in preview["orders"] for d in o["documents"]}
    assert {n: (d["kind"], d["total"], d["vat"]) for n, d in planned.items()} == {
        "RT-202611-00001": ("receipt_tax_invoice", "850.00", "55.61"),
        "IV-202611-00001": ("invoice", "850.00", "55.61")}
    debit = sum(Decimal(a["debit"]) for a in preview["accounts"])
    assert debit == sum(Decimal(a["credit"]) for a in preview["accounts"]) > 0

    posted = _upload(client, admin, query="").json()
    assert posted == {k: preview[k] for k in ("created", "updated", "unchanged", "failed")}
    documents = client.get("/api/v1/documents", headers=admin).json()
    assert {d["number"]: (d["kind"], d["total"], d["vat"]) for d in documents} == {
        n: (d["kind"], d["total"], d["vat"]) for n, d in planned.items()}

    again = _upload(client, admin).json()  # the same file again: nothing would change
    assert (again["created"], again["updated"], again["unchanged"], again["orders"]) == (0, 0, 2, [])


def test_dry_run_is_a_strict_flag(client, admin):
    response = _upload(client, admin, query="?dry_run=yes")
    assert (response.status_code, response.json()["code"]) == (422, "invalid_request")


def test_a_reader_and_an_accountant_may_not_a_clerk_may(client, engine, reader, accountant, clerk):
    before = _books(engine)
    assert _upload(client, reader).status_code == 403
    assert _upload(client, accountant).status_code == 403
    assert _books(engine) == before
    assert _upload(client, clerk).json()["created"] == 2
    assert _books(engine) == before
