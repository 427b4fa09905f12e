"""Thai carriers known by name, their public tracking pages, and free-text carriers.

Merchants and shops spell carriers every which way ("J&T", "jt express", "ไปรษณีย์ไทย"),
so names are matched on a folded form that ignores case, spaces and punctuation.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True, slots=True)
class Carrier:
    """`code` is stable (stored, grouped by); a free-text carrier has `known` False and no link."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()
    url_template: str | None = None
    known: bool = True


KNOWN_CARRIERS: tuple[Carrier, ...] = (
    Carrier("kerry", "Kerry Express", ("kerry", "Kerry Express", "KEX", "KEX Express", "เคอรี่"),
            "https://th.kerryexpress.com/th/track/?track={tracking}"),
    Carrier("flash", "Flash Express", ("flash", "Flash Express", "แฟลช"),
            "https://www.flashexpress.co.th/fle/tracking?se={tracking}"),
    Carrier("jt", "J&T Express", ("jt", "J&T", "J&T Express", "JNT", "เจแอนด์ที"),
            "https://www.jtexpress.co.th/service/track?billcode={tracking}"),
    Carrier("thaipost", "Thailand Post",
            ("thaipost", "Thailand Post", "Thai Post", "ไปรษณีย์ไทย", "ไปรษณีย์", "EMS"),
            "https://track.thailandpost.co.th/?trackNumber={tracking}"),
    Carrier("spx", "SPX Express", ("spx", "SPX Express", "Shopee Express", "Shopee Xpress"),
            "https://spx.co.th/track?tracking_number={tracking}"),
    Carrier("ninjavan", "Ninja Van", ("ninjavan", "Ninja Van", "Ninja Van Thailand", "นินจาแวน"),
            "https://www.ninjavan.co/th-th/tracking?id={tracking}"),
    Carrier("dhl", "DHL", ("dhl", "DHL Express", "DHL eCommerce"),
            "https://www.dhl.com/th-en/home/tracking.html?tracking-id={tracking}"),
    Carrier("best", "BEST Express", ("best", "BEST Express", "Best Inc"),
            "https://www.best-inc.co.th/track?bills={tracking}"),
)

_SEPARATORS = re.compile(r"[\s\-_.,&/()]+")


def fold(text: str) -> str:
    """Compare-form of a name: NFC, case-folded, spaces and punctuation removed ("J&T" -> "jt")."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFC", text).casefold())


_BY_ALIAS: dict[str, Carrier] = {
    fold(alias): carrier
    for carrier in KNOWN_CARRIERS
    for alias in (carrier.code, carrier.name, *carrier.aliases)
}


def resolve_carrier(text: str) -> Carrier:
    """A known carrier by any of its names, else a free-text carrier keeping the text as given."""
    name = " ".join(text.split())
    if not name:
        raise ValueError("a carrier needs a name")
    known = _BY_ALIAS.get(fold(name))
    if known is not None:
        return known
    return Carrier(code=fold(name), name=name, known=False)


def normalize_tracking(text: str) -> str:
    """Tracking numbers as couriers print them: no spaces, upper case (statements and orders agree)."""
    return "".join(text.split()).upper()


def tracking_url(carrier: Carrier, tracking: str) -> str | None:
    """The carrier's public tracking page for this parcel, when it has one."""
    number = normalize_tracking(tracking)
    if carrier.url_template is None or not number:
        return None
    return carrier.url_template.format(tracking=quote(number, safe=""))
