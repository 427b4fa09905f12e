import pytest

from shopledger.domain.shipping.carriers import (
    KNOWN_CARRIERS,
    normalize_tracking,
    resolve_carrier,
    tracking_url,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("text, code", [
    ("kerry", "kerry"), ("Kerry Express", "kerry"), ("KEX", "kerry"), ("  kerry   express ", "kerry"),
    ("flash", "flash"), ("Flash Express", "flash"),
    ("jt", "jt"), ("J&T", "jt"), ("J&T Express", "jt"), ("j & t express", "jt"),
    ("thaipost", "thaipost"), ("Thailand Post", "thaipost"), ("ไปรษณีย์ไทย", "thaipost"), ("EMS", "thaipost"),
    ("spx", "spx"), ("Shopee Express", "spx"), ("SPX Express", "spx"),
    ("ninjavan", "ninjavan"), ("Ninja Van", "ninjavan"), ("ninja-van", "ninjavan"),
    ("dhl", "dhl"), ("DHL", "dhl"),
    ("best", "best"), ("BEST Express", "best"),
])
def test_known_carriers_resolve_by_any_spelling(text, code):
    carrier = resolve_carrier(text)
    assert carrier.code == code
    assert carrier.known


def test_every_known_carrier_has_a_public_tracking_link_with_the_number_in_it():
    for carrier in KNOWN_CARRIERS:
        url = tracking_url(carrier, "TH123456789")
        assert url is not None and url.startswith("https://")
        assert "TH123456789" in url


def test_kerry_and_flash_and_thailand_post_links():
    assert tracking_url(resolve_carrier("Kerry"), "KEX0001234567") == \
        "https://th.kerryexpress.com/th/track/?track=KEX0001234567"
    assert tracking_url(resolve_carrier("Flash"), "th123") == \
        "https://www.flashexpress.co.th/fle/tracking?se=TH123"
    assert tracking_url(resolve_carrier("ไปรษณีย์ไทย"), "EF 5822 0416 5TH") == \
        "https://track.thailandpost.co.th/?trackNumber=EF58220416" + "5TH"


def test_an_unknown_carrier_is_kept_as_free_text_without_a_link():
    carrier = resolve_carrier("  Lalamove   Bike ")
    assert (carrier.name, carrier.code, carrier.known) == ("Lalamove Bike", "lalamovebike", False)
    assert tracking_url(carrier, "LM123") is None


def test_tracking_numbers_are_escaped_in_links_and_blank_means_no_link():
    assert tracking_url(resolve_carrier("dhl"), "A/B?C").endswith("tracking-id=A%2FB%3FC")
    assert tracking_url(resolve_carrier("dhl"), "   ") is None


def test_an_empty_carrier_name_is_refused():
    with pytest.raises(ValueError):
        resolve_carrier("   ")


def test_normalize_tracking_removes_spaces_and_upper_cases():
    assert normalize_tracking(" kex 0001 234567\n") == "KEX0001234567"
