"""What the shop holds as of a day: receivables and COD money by age, stock at moving-average cost;
and what it sold in a period, by channel or by product."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import Engine

from shopledger.adapters.db import balances, report_reads
from shopledger.adapters.db.engine import reading
from shopledger.domain.accounting import chart as c
from shopledger.domain.accounting.statements import aging, check_period
from shopledger.domain.clock import BANGKOK
from shopledger.domain.errors import DomainError
from shopledger.domain.money import ZERO, allocate, fmt, from_satang, to_satang


def receivables(engine: Engine, as_of: date) -> dict:
    """113101 by order, aged from the day the order's receivable was first booked."""
    return _aged(engine, c.ACCOUNTS_RECEIVABLE, as_of, courier=False)


def cod_aging(engine: Engine, as_of: date) -> dict:
    """113201 (money couriers collected and owe) by courier and order."""
    return _aged(engine, c.COD_RECEIVABLE, as_of, courier=True)


def _aged(engine: Engine, account: str, as_of: date, *, courier: bool) -> dict:
    with reading(engine) as conn:
        open_rows = report_reads.open_by_order(conn, account, as_of)
        unmatched = report_reads.open_without_order(conn, account, as_of)
        debit, credit = balances.sums(conn, end=as_of).get(account, (ZERO, ZERO))
    rows = []
    for r in open_rows:
        row = {"subject": f"{r['source']}:{r['external_id']}", "amount": r["amount"], "since": r["since"],
               "customer": r["customer"]}
        if courier:
            row = {"subject": f"{r['courier'] or '(no courier)'} · {row['subject']}", "courier": r["courier"],
                   "order": row["subject"]} | {k: v for k, v in row.items() if k != "subject"}
        rows.append(row)
    if unmatched:  # e.g. a courier's statement that paid more than the orders it names
        rows.append({"subject": "(not matched to an order)", "amount": unmatched, "since": as_of})
    report = aging(as_of, rows)
    if courier:
        report["rows"].sort(key=lambda r: (r.get("courier") or "", -r["days"], r["subject"]))
    report["ledger_" + account] = fmt(debit - credit)
    return report


def stock_valuation(engine: Engine, as_of: date) -> dict:
    """Per SKU as of the end of a day (Bangkok): quantity, average cost, value; beside 114101."""
    end = datetime.combine(as_of + timedelta(days=1), time(), BANGKOK)
    with reading(engine) as conn:
        held = report_reads.stock_as_of(conn, end)
        debit, credit = balances.sums(conn, end=as_of).get(c.INVENTORY, (ZERO, ZERO))
    rows, total = [], ZERO
    for r in held:
        quantity, value = int(r["quantity"] or 0), from_satang(int(r["value"] or 0))
        if not quantity and not value:
            continue
        average = (value / quantity).quantize(Decimal("0.01")) if quantity else ZERO
        rows.append({"sku": r["sku"], "name": r["name"], "quantity": quantity, "avg_cost": fmt(average),
                     "value": fmt(value)})
        total += value
    return {"as_of": as_of.isoformat(), "rows": rows, "total": fmt(total), "ledger_114101": fmt(debit - credit)}


SHIPPING_KEY = "(shipping)"
RETURNS_KEY = "(returns not by product)"


def sales(engine: Engine, by: str, start: date, end: date) -> dict:
    """Revenue booked in a period with its VAT: invoices and receipts issued without an invoice,
    less credit notes and invoices voided in the period; by the order's channel or by product."""
    if by not in ("channel", "product"):
        raise DomainError("invalid_request", f"sales by {by!r}: use channel or product")
    check_period(start, end)
    with reading(engine) as conn:
        documents = report_reads.sales_documents(conn, start, end)
    sums: dict[str, list] = defaultdict(lambda: [set(), ZERO, ZERO])
    for doc in documents:
        for sign, day in _counted(doc):
            if not start <= day <= end:
                continue
            parts = [(doc["channel"], doc["total"] - doc["vat"], doc["vat"])] if by == "channel" else _by_product(doc)
            for key, net, vat in parts:
                cell = sums[key]
                cell[0].add(doc["order_id"])
                cell[1] += sign * net
                cell[2] += sign * vat
    rows = [{"key": key, "orders": len(o), "net": fmt(n), "vat": fmt(v), "total": fmt(n + v)}
            for key, (o, n, v) in sorted(sums.items())]
    net, vat = sum((s[1] for s in sums.values()), ZERO), sum((s[2] for s in sums.values()), ZERO)
    return {"by": by, "from": start.isoformat(), "to": end.isoformat(), "rows": rows,
            "total": fmt(net + vat), "total_net": fmt(net), "total_vat": fmt(vat)}


def _counted(doc: dict) -> list[tuple[int, date]]:
    """(+1 or -1, the day) each time a document moves revenue."""
    kind = doc["kind"]
    if kind == "invoice":
        return [(1, doc["date"])] + ([(-1, doc["voided_on"])] if doc["status"] == "void" and doc["voided_on"] else [])
    if kind in ("receipt_tax_invoice", "receipt"):
        return [] if doc["refers_kind"] == "invoice" else [(1, doc["date"])]
    if kind == "credit_note":
        return [(-1, doc["date"])]
    return []


def _by_product(doc: dict) -> list[tuple[str, Decimal, Decimal]]:
    """A document's value and VAT spread over its lines (and shipping) by their amounts, so the
    parts add up to the document exactly."""
    p = doc["particulars"] or {}
    lines = p.get("lines") or []
    keys, weights, vats = [], [], []
    for line in lines:
        amount = line.get("amount")
        if amount is None:  # a credit note's line: quantity x unit price
            amount = Decimal(str(line.get("unit_price") or "0")) * int(line.get("quantity") or 0)
        keys.append(line.get("sku") or "")
        weights.append(max(to_satang(Decimal(str(amount))), 0))
        vats.append(line.get("vat"))
    shipping = Decimal(str(p.get("shipping_fee") or "0"))
    if shipping:
        keys.append(SHIPPING_KEY)
        weights.append(to_satang(shipping))
        vats.append(None)
    net, vat = doc["total"] - doc["vat"], doc["vat"]
    if not keys or not sum(weights):
        return [(RETURNS_KEY if doc["kind"] == "credit_note" else "(no lines)", net, vat)]
    nets = allocate(to_satang(net), weights)
    if all(v is not None for v in vats[:len(lines)]) and doc["kind"] != "credit_note":
        line_vats = [to_satang(Decimal(str(v))) for v in vats[:len(lines)]]
        line_vats += [to_satang(vat) - sum(line_vats)] if shipping else []
    else:
        line_vats = allocate(to_satang(vat), weights)
    return [(k, from_satang(n), from_satang(v)) for k, n, v in zip(keys, nets, line_vats)]
