"""Thailand's provinces, districts and subdistricts with their codes (the `geothai` package:
DOPA codes, which are those of TISI 1099 and of ETDA's code lists), for the seller's address.

`with_postal_address` takes what a merchant typed, names or codes, and gives back the company
settings with every code, the official names and the postcode; or refuses with a reason that
says what to add.
"""
from __future__ import annotations

import geothai

from shopledger.domain.errors import DomainError

ADDRESS_INPUTS = ("subdistrict", "district", "province", "postcode")
POSTAL_FIELDS = ("building_number", "address_line", "subdistrict_code", "subdistrict", "district_code", "district",
                 "province_code", "province", "postcode")
DATA_VERSION = geothai.DATA_VERSION


def with_postal_address(current: dict, given: dict) -> dict:
    """`current` company settings with `given` (only what was typed) applied; the address parts
    resolved to codes. Typing the district or province means typing the subdistrict too; a
    postcode alone is checked against the subdistrict already set."""
    company = current | {k: v.strip() if isinstance(v, str) else v for k, v in given.items()}
    typed = {k: given[k].strip() for k in ADDRESS_INPUTS if isinstance(given.get(k), str) and given[k].strip()}
    if not typed:
        return company
    if "subdistrict" not in typed and ("district" in typed or "province" in typed):
        raise _invalid("give the subdistrict (ตำบล/แขวง) with the district and province: ETDA needs all three codes")
    subdistrict = typed.get("subdistrict") or current.get("subdistrict_code") or ""
    if not subdistrict:
        raise _invalid("give the subdistrict, district and province with the postcode")
    found = _address(subdistrict, typed.get("district"), typed.get("province"),
                     typed.get("postcode") if "subdistrict" in typed else None)
    postcodes = found.subdistrict.postal_codes
    postcode = typed.get("postcode") or (current.get("postcode") if "subdistrict" not in typed else None)
    if postcode and postcode not in postcodes:
        raise _invalid(f"postcode {postcode} is not one of {found.subdistrict.name_th}'s: {', '.join(postcodes)}")
    if not postcode:
        if len(postcodes) != 1:
            raise _invalid(f"{found.subdistrict.name_th} has postcodes {', '.join(postcodes)}: give --postcode")
        postcode = postcodes[0]
    return {k: v for k, v in company.items() if k not in ADDRESS_INPUTS} | {
        "subdistrict_code": found.subdistrict.code, "subdistrict": found.subdistrict.name_th,
        "district_code": found.district.code, "district": found.district.name_th,
        "province_code": found.province.code, "province": found.province.name_th, "postcode": postcode}


def address_text(company: dict) -> str:
    """The address as a Thai document prints it, from its parts."""
    bangkok = company.get("province_code") == "10"
    district = company.get("district", "")
    parts = [company.get("building_number", ""), company.get("address_line", ""),
             ("แขวง" if bangkok else "ตำบล") + company.get("subdistrict", ""),
             district if bangkok or district.startswith("อำเภอ") else "อำเภอ" + district,
             company.get("province", "") if bangkok else "จังหวัด" + company.get("province", ""),
             company.get("postcode", "")]
    return " ".join(p for p in parts if p)


def _address(subdistrict: str, district: str | None, province: str | None, postcode: str | None) -> geothai.types.Address:
    if subdistrict.isdigit():
        found = geothai.address(subdistrict)
        if found is None:
            raise _invalid(f"{subdistrict} is not a subdistrict code (6 digits, e.g. 100403)")
        if district or province:
            names = {"district": _name_of(district, geothai.district) if district else None,
                     "province": _name_of(province, geothai.province) if province else None}
            if not any(m.subdistrict.code == found.subdistrict.code
                       for m in geothai.match(found.subdistrict.name_th, **names)):
                where = " ".join(w for w in (district, province) if w)
                raise _invalid(f"subdistrict {subdistrict} ({found.subdistrict.name_th}) is not in {where}")
        return found
    district_name = _name_of(district, geothai.district) if district else None
    province_name = _name_of(province, geothai.province) if province else None
    matches = geothai.match(subdistrict, district=district_name, province=province_name, postal_code=postcode)
    if not matches and postcode:
        matches = geothai.match(subdistrict, district=district_name, province=province_name)
    where = " ".join(f"in {w}" for w in (district, province) if w)
    if not matches:
        raise _invalid(f"no subdistrict {subdistrict!r} {where}".strip() + "; check the spelling (Thai or English)")
    if len(matches) > 1:
        places = ", ".join(f"{m.district.name_th} {m.province.name_th}" for m in matches[:5])
        raise _invalid(f"subdistrict {subdistrict!r} is in several places ({places}): give --district and --province")
    return matches[0]


def _name_of(typed: str, by_code) -> str:
    """A code typed where a name may be: the name it stands for."""
    if typed.isdigit():
        area = by_code(typed)
        if area is None:
            raise _invalid(f"{typed} is not a code of the official list")
        return area.name_th
    return typed


def _invalid(message: str) -> DomainError:
    return DomainError("invalid_address", message)


def area_choices(province_code: str = "", district_code: str = "", subdistrict_code: str = "") -> dict:
    """What a form picks from: every province, the districts of the chosen province, the
    subdistricts of the chosen district and the chosen subdistrict's postcodes. A choice that
    does not belong to the one above it is dropped (a district left from another province)."""
    provinces = [{"code": p.code, "name_th": p.name_th, "name_en": p.name_en} for p in geothai.provinces()]
    if province_code not in {p["code"] for p in provinces}:
        province_code = ""
    districts = [{"code": d.code, "name_th": d.name_th, "name_en": d.name_en}
                 for d in geothai.districts(province_code)] if province_code else []
    if district_code not in {d["code"] for d in districts}:
        district_code = ""
    subdistricts = [{"code": s.code, "name_th": s.name_th, "name_en": s.name_en, "postcodes": list(s.postal_codes)}
                    for s in geothai.subdistricts(district_code)] if district_code else []
    chosen = next((s for s in subdistricts if s["code"] == subdistrict_code), None)
    return {"provinces": provinces, "districts": districts, "subdistricts": subdistricts,
            "province_code": province_code, "district_code": district_code,
            "subdistrict_code": chosen["code"] if chosen else "", "postcodes": chosen["postcodes"] if chosen else []}
