"""The merchant's settings the reconciler and the posting rules read."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from shopledger.domain.accounting.vat import STANDARD_RATES, VatRate, VatTerms
from shopledger.domain.orders.model import Order


@dataclass(frozen=True, slots=True)
class Company:
    name: str = "My Shop"
    address: str = ""
    tax_id: str = ""
    branch: str = "00000"
    # The address in parts with its codes (TISI 1099), for e-Tax XML (docs/etax.md); empty until set.
    building_number: str = ""
    address_line: str = ""
    subdistrict_code: str = ""
    subdistrict: str = ""
    district_code: str = ""
    district: str = ""
    province_code: str = ""
    province: str = ""
    postcode: str = ""


@dataclass(frozen=True, slots=True)
class BooksPolicy:
    vat_registered: bool = True
    vat_rates: tuple[VatRate, ...] = STANDARD_RATES
    company: Company = Company()
    payment_accounts: dict[str, str] = field(default_factory=dict)
    closed_through: date | None = None

    @property
    def vat_terms(self) -> VatTerms:
        return VatTerms(self.vat_registered, self.vat_rates)

    def open_day(self, day: date) -> date:
        """An entry never lands in a closed period: it moves to the first open day after it."""
        if self.closed_through is not None and day <= self.closed_through:
            return self.closed_through + timedelta(days=1)
        return day


def amounts_key(order: Order) -> str:
    """What an invoice's amounts depend on; a change here means void and reissue."""
    parts = [str(order.total), str(order.shipping_fee), str(order.discount), str(order.prices_include_vat)]
    parts += [f"{l.sku}|{l.quantity}|{l.unit_price}|{l.discount}" for l in order.lines]
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=8).hexdigest()
