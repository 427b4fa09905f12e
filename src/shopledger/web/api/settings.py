"""GET/PATCH /settings and POST /settings/vat-rates: the company and the books' settings."""
from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine

from shopledger.services import company
from shopledger.web.api.schemas import Day, Flag, Shape
from shopledger.web.auth import Caller, api_needs, forbidden
from shopledger.web.deps import engine_of
from shopledger.web.errors import problem_responses

router = APIRouter(prefix="/settings", tags=["settings"])


class Company(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    address: str | None = None
    tax_id: str | None = Field(None, examples=["0105556012341"])
    branch: str | None = Field(None, examples=["00000"])
    # The address in parts for e-Tax XML (docs/etax.md): names or codes; the codes are stored.
    building_number: str | None = Field(None, description="บ้านเลขที่", examples=["123/45"])
    address_line: str | None = Field(None, description="building, soi, road", examples=["ถนนสีลม"])
    subdistrict: str | None = Field(None, description="ตำบล/แขวง: name or 6-digit code", examples=["สุริยวงศ์"])
    district: str | None = Field(None, description="อำเภอ/เขต: name or 4-digit code", examples=["1004"])
    province: str | None = Field(None, description="จังหวัด: name or 2-digit code", examples=["กรุงเทพมหานคร"])
    postcode: str | None = Field(None, description="found from the subdistrict when it has one", examples=["10500"])


class SettingsChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    company: Company | None = None
    vat_registered: Flag | None = None
    closed_through: Day | None = None
    payment_accounts: dict[str, str] | None = Field(None, examples=[{"card": "111301"}])
    stuck_rules: dict[str, str] | None = Field(None, examples=[{"unpaid_after": "2d", "unshipped_after": "off"}])


class VatRate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rate: str = Field(pattern=r"^\d{1,2}(\.\d{1,2})?$", examples=["7"])
    starts_on: Day


class Settings(Shape):
    company: dict
    company_missing: list[str] = Field(description="company fields documents still lack (name, address, tax_id)")
    vat_registered: bool
    vat_rates: list[dict]
    payment_accounts: dict[str, str]
    closed_through: str | None
    timezone: str
    stuck_rules: dict[str, str]
    etax: dict = Field(description="what e-Tax XML still needs (missing) and the signing certificate")


@router.get("", dependencies=[Depends(api_needs("settings.read"))], response_model=Settings)
def show(engine: Engine = Depends(engine_of)) -> dict:
    return company.show_settings(engine)


@router.patch("", response_model=Settings, responses=problem_responses(403, 422))
def change(body: SettingsChange, caller: Caller = Depends(api_needs("settings.change", "periods.close")),
           engine: Engine = Depends(engine_of)) -> dict:
    """An accountant (`periods.close` without `settings.change`) may change `closed_through` only."""
    if not caller.may("settings.change") and body.model_fields_set - {"closed_through"}:
        raise forbidden(caller.role, ("settings.change",))
    fields = body.company.model_dump() if body.company else None
    return company.update_settings(engine, company=fields, vat_registered=body.vat_registered,
                                   closed_through=body.closed_through, payment_accounts=body.payment_accounts,
                                   stuck_rules=body.stuck_rules)


@router.post("/vat-rates", dependencies=[Depends(api_needs("settings.change"))],
             response_model=Settings, responses=problem_responses(422))
def add_vat_rate(body: VatRate, engine: Engine = Depends(engine_of)) -> dict:
    return company.set_vat_rate(engine, body.rate, body.starts_on)
