"""Cash on delivery: a courier's payout statement booked against the parcels it pays for,
and what couriers still owe, by courier and age.

A statement is one writing transaction. Its rows are matched by tracking number against
the COD parcels of that courier whose money was collected (the order is paid); the matched
rows post ONE entry (bank net, fee, input VAT / Cr 113201) tied to a cod_remittances row,
and their parcels are marked remitted. Rows that do not match are reported and kept as
`cod_mismatch` alerts, never booked. Running the same statement again books nothing: its
parcels are already remitted.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, Engine, select, update

from shopledger.adapters.db import alerts_repo, shop_reads, tables as t
from shopledger.adapters.db.books_repo import LedgerBatch
from shopledger.adapters.db.engine import reading, writing
from shopledger.adapters.db.settings_repo import load_policy
from shopledger.domain.accounting.chart import COD_RECEIVABLE
from shopledger.domain.accounting.vat import rate_on
from shopledger.domain.clock import business_date, refuse_backdate, utc_now
from shopledger.domain.money import ZERO, fmt
from shopledger.domain.shipping.carriers import Carrier, resolve_carrier
from shopledger.domain.shipping.cod import (
    AGE_BUCKETS, CodExpectation, CodMatch, CodMismatch, CodOutstanding, StatementRow, cod_ageing,
    match_rows, matched_entry, parse_statement,
)
from shopledger.services import order_state
from shopledger.services.acted_at import refuse_if_not_allowed
from shopledger.services.bulk_ship import read_rows

MISMATCH_ACTION = "check this row with the courier; it was not booked"


def remit_statement(engine: Engine, path: str | Path, carrier: str, actor: str,
                    now: datetime | None = None, at: datetime | None = None) -> dict:
    """Read a payout statement (CSV or XLSX) and book it; see `remit_rows`."""
    refuse_if_not_allowed(engine, at, now)  # before the file is read: a refused date is the answer
    return remit_rows(engine, read_rows(path), carrier, Path(path).name, actor, now, at)


def remit_rows(engine: Engine, rows: list[dict[str, str]], carrier: str, statement: str, actor: str,
               now: datetime | None = None, at: datetime | None = None) -> dict:
    """Book the rows that match; report (and alert) the rest. `statement` names the file. `at`:
    when the courier paid, if not now: the payout's day when its rows give none, and when its
    parcels were remitted."""
    now = now or utc_now()
    courier = resolve_carrier(carrier)
    parsed = parse_statement(rows)
    trackings = [row.tracking for row in parsed if isinstance(row, StatementRow)]
    with writing(engine) as conn:
        if at is not None:
            refuse_backdate(at, now, load_policy(conn).closed_through)
            now = at
        parcels = {p.tracking_number: p for p in shop_reads.cod_parcels(conn, courier.code, trackings)}
        matched, mismatches = match_rows(parsed, _expectations(parcels))
        mismatches = [_explain(m, parcels.get(m.tracking)) for m in mismatches]
        booked = _book(conn, courier, statement, matched, parcels, actor, now) if matched else None
        # earlier mismatches of a parcel now paid are settled; this statement's own stay open
        alerts_repo.resolve_by_prefix(conn, [_alert_prefix(courier, m.row.tracking) for m in matched], now)
        _alert(conn, courier, statement, mismatches, parcels, now)
    return _report(courier, statement, matched, mismatches, booked)


def cod_receivable(engine: Engine, now: datetime | None = None) -> dict:
    """COD collected and not yet remitted, per courier in age buckets, beside the 113201 balance."""
    now = now or utc_now()
    with reading(engine) as conn:
        rows = shop_reads.cod_outstanding_rows(conn)
        ledger = shop_reads.account_balance(conn, COD_RECEIVABLE)
    outstanding = [CodOutstanding(f"{r.source}:{r.external_id}", r.carrier_name, r.cod_amount,
                                  r.delivered_at or r.paid_at or r.shipped_at or now) for r in rows]
    table = cod_ageing(outstanding, now)
    return {"as_of": business_date(now).isoformat(),
            "total": fmt(sum((line.total for line in table), ZERO)),
            "ledger_balance": fmt(ledger),
            "carriers": [{"carrier": line.carrier, "total": fmt(line.total),
                          "buckets": [{"age": name, "amount": fmt(line.amounts[name]), "count": line.counts[name]}
                                      for name, *_ in AGE_BUCKETS]} for line in table]}


def collected_not_remitted(engine: Engine) -> list[dict]:
    """Parcels whose COD money a courier holds for us: what the next payout should cover."""
    with reading(engine) as conn:
        return [{"carrier": r.carrier, "tracking_number": r.tracking_number, "amount": fmt(r.cod_amount),
                 "order": f"{r.source}:{r.external_id}"} for r in shop_reads.cod_outstanding_rows(conn)]


def _expectations(parcels: dict) -> dict[str, CodExpectation]:
    """Parcels whose money the courier collected (the order is paid), and those already remitted."""
    return {tracking: CodExpectation(_key(p), p.cod_amount, remitted=p.remitted_at is not None)
            for tracking, p in parcels.items() if p.payment_status == "paid" or p.remitted_at is not None}


def _explain(mismatch: CodMismatch, parcel) -> CodMismatch:
    """A parcel we know but whose money was not collected yet is not an unknown tracking number."""
    if mismatch.code != "unknown_tracking" or parcel is None:
        return mismatch
    reason = (f"{mismatch.tracking} (order {_key(parcel)}) is {parcel.fulfillment_status} and "
              f"{parcel.payment_status}, not collected: mark it delivered, then import the statement again")
    return CodMismatch(mismatch.line, mismatch.tracking, "not_collected", reason, _key(parcel))


def _book(conn: Connection, courier: Carrier, statement: str, matched: list[CodMatch], parcels: dict,
          actor: str, now: datetime) -> dict:
    policy = load_policy(conn)
    paid_on = max((m.row.paid_on for m in matched if m.row.paid_on), default=None) or business_date(now)
    rate = rate_on(policy.vat_rates, paid_on) / Decimal(100)
    memo = f"COD remittance {courier.name} {statement} ({len(matched)} parcels)"
    draft = matched_entry(policy.open_day(paid_on), matched, rate, memo, claim_vat=policy.vat_registered)
    total_cod = sum((m.row.cod for m in matched), ZERO)
    total_fee = sum((m.row.fee for m in matched), ZERO)
    remittance_id = conn.execute(t.cod_remittances.insert().values(
        carrier=courier.code, statement=statement[:300], paid_on=paid_on, rows=len(matched), total_cod=total_cod,
        total_fee=total_fee, created_at=now).returning(t.cod_remittances.c.id)).scalar_one()
    batch = LedgerBatch()
    batch.add_entry(None, f"cod_remittance:{remittance_id}", draft, now)
    batch.write(conn)
    entry_id = conn.execute(select(t.journal_entries.c.id).where(
        t.journal_entries.c.cause == f"cod_remittance:{remittance_id}")).scalar_one()
    conn.execute(update(t.cod_remittances).where(t.cod_remittances.c.id == remittance_id).values(entry_id=entry_id))
    _mark_remitted(conn, [parcels[m.row.tracking].id for m in matched], remittance_id, now)
    return {"remittance_id": remittance_id, "entry_id": entry_id, "paid_on": paid_on, "date": draft.date,
            "total_cod": total_cod, "total_fee": total_fee, "lines": draft.lines}


def _mark_remitted(conn: Connection, shipment_ids: list[int], remittance_id: int, now: datetime) -> None:
    s = t.shipments
    marked = 0
    for batch in shop_reads.chunks(shipment_ids):
        marked += conn.execute(update(s).where(s.c.id.in_(batch), s.c.remitted_at.is_(None))
                               .values(remitted_at=now, remittance_id=remittance_id)).rowcount
    if marked != len(shipment_ids):  # read under the same lock, so only a bug gets here
        raise RuntimeError(f"marked {marked} of {len(shipment_ids)} parcels remitted")
    order_state.refresh_shipments(conn, shipment_ids)  # remitted: their display status and waits move on


def _alert(conn: Connection, courier: Carrier, statement: str, mismatches: list[CodMismatch], parcels: dict,
           now: datetime) -> None:
    rows = []
    for m in mismatches:
        parcel = parcels.get(m.tracking)
        if m.code == "already_remitted" and parcel is not None and parcel.remitted_by == statement:
            continue  # the same statement run again: reported, but nothing new to look into
        subject = m.order_key or (f"{courier.code}:{m.tracking}" if m.tracking else f"{statement} line {m.line}")
        key = f"{_alert_prefix(courier, m.tracking or f'{statement}#{m.line}')}{m.code}"
        rows.append({"key": key[:300], "kind": "cod_mismatch", "subject": subject[:300],
                     "reason": f"{courier.name} statement {statement}, line {m.line}: {m.reason}",
                     "action": MISMATCH_ACTION, "since": now})
    alerts_repo.raise_alerts(conn, rows)


def _alert_prefix(courier: Carrier, tracking: str) -> str:
    return f"cod_mismatch:{courier.code}:{tracking}:"


def _report(courier: Carrier, statement: str, matched: list[CodMatch], mismatches: list[CodMismatch],
            booked: dict | None) -> dict:
    return {
        "carrier": courier.name, "statement": statement,
        "remittance_id": booked and booked["remittance_id"], "entry_id": booked and booked["entry_id"],
        "paid_on": booked and booked["paid_on"].isoformat(), "entry_date": booked and booked["date"].isoformat(),
        "total_cod": fmt(booked["total_cod"] if booked else ZERO),
        "total_fee": fmt(booked["total_fee"] if booked else ZERO),
        "net": fmt(booked["total_cod"] - booked["total_fee"] if booked else ZERO),
        "lines": [{"account": l.account, "debit": fmt(l.debit), "credit": fmt(l.credit)}
                  for l in (booked["lines"] if booked else ())],
        "matched": [{"line": m.row.line, "tracking": m.row.tracking, "order": m.order_key, "cod": fmt(m.row.cod),
                     "fee": fmt(m.row.fee)} for m in matched],
        "mismatches": [{"line": m.line, "tracking": m.tracking, "code": m.code, "reason": m.reason,
                        "order": m.order_key} for m in mismatches],
    }


def _key(parcel) -> str:
    return f"{parcel.source}:{parcel.external_id}"
