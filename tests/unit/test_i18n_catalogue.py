"""The message catalogue (docs/i18n.md): every word the code and templates use, extracted with
Babel as `make messages` does, has its Thai in th/messages.po with the same placeholders; every
code the pages can meet has words; and the words agree with the domain's own Thai and English
(display statuses, the chart of accounts, document titles, carriers)."""
from __future__ import annotations

import re

import pytest

from shopledger.domain.accounting.chart import DEFAULT_CHART
from shopledger.domain.accounting.documents import DocumentKind, DocumentStatus
from shopledger.domain.accounting.particulars import TITLES
from shopledger.domain.orders.model import Channel, FulfillmentStatus, PaymentMethod, PaymentStatus
from shopledger.domain.orders.status import DisplayStatus
from shopledger.domain.orders.stuck import AXIS_OF, SETTING_OF
from shopledger.domain.shipping.carriers import KNOWN_CARRIERS
from shopledger.domain.stock.alerts import StockAlertKind
from shopledger.domain.stock.movements import MovementKind
from shopledger.services import alerts
from shopledger.web import catalogue
from shopledger.web.i18n import Translator
from shopledger.web.ui import messages, words

pytestmark = pytest.mark.unit
PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")


@pytest.fixture(scope="module")
def extracted():
    return catalogue.extract()


@pytest.fixture(scope="module")
def thai():
    return catalogue.read("th")


def _ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def test_every_word_in_the_code_and_templates_has_its_thai(extracted, thai):
    missing = []
    for message in extracted:
        if not message.id:
            continue
        held = thai.get(message.id, message.context)
        if held is None or held.fuzzy or not all(_strings(held)):
            missing.append(_ids(message)[0])
    assert not missing, f"no Thai in th/messages.po for (run `make messages`, then translate): {missing}"


def test_each_translation_keeps_the_placeholders_of_its_word(thai):
    """A msgstr names the same %(params)s as its msgid (a plural: as its plural form)."""
    wrong = []
    for message in thai:
        if message.id:
            wanted = sorted(PLACEHOLDER.findall(_ids(message)[-1]))
            wrong += [(_ids(message)[0], text) for text in _strings(message)
                      if sorted(PLACEHOLDER.findall(text)) != wanted]
    assert not wrong


def test_the_catalogue_on_disk_holds_nothing_the_code_no_longer_uses(extracted, thai):
    used = {(_ids(m)[0], m.context) for m in extracted if m.id}
    stale = [_ids(m)[0] for m in thai if m.id and (_ids(m)[0], m.context) not in used]
    assert not stale, f"run `make messages`: {stale}"


@pytest.mark.parametrize("group, codes", [
    ("display_status", list(DisplayStatus)), ("payment_status", list(PaymentStatus)),
    ("fulfillment_status", list(FulfillmentStatus)), ("channel", list(Channel)),
    ("payment_method", list(PaymentMethod)), ("document_kind", list(DocumentKind)),
    ("document_status", list(DocumentStatus)), ("movement_kind", list(MovementKind)),
    ("carrier", [c.code for c in KNOWN_CARRIERS]), ("alert_kind", list(alerts._ORDER)),
    ("stuck_rule", list(SETTING_OF)), ("account", [a.code for a in DEFAULT_CHART]),
])
def test_every_code_has_words(group, codes):
    assert not [str(c) for c in codes if str(c) not in words.VOCABULARY[group]]


def test_every_role_has_words():
    roles = pytest.importorskip("shopledger.domain.people.roles")
    assert set(roles.ROLES) <= set(words.ROLE)


def test_every_alert_the_services_raise_has_its_sentences():
    keys = ([f"stuck.{code}" for code in AXIS_OF] + ["stuck.unshipped_cod"] + [f"group.{code}" for code in AXIS_OF]
            + [str(kind) for kind in StockAlertKind] + ["sync_failed.order", "sync_failed.source",
                                                        "company_not_set_up", "company_not_set_up.tax_id"]
            + [f"cod_mismatch.{code}" for code in ("unknown_tracking", "already_remitted", "amount_differs",
                                                   "duplicate_row", "unreadable_row", "not_collected")]
            + [f"books_conflict.{code}" for code in ("receipted_order_unpaid", "receipted_amount_changed",
                                                     "paid_after_cancellation", "refund_without_receipt")])
    assert not [k for k in keys if k not in messages.ALERT_REASONS]
    assert not [k for k in keys if k.partition(".")[0] not in ("group", "stuck") and
                messages._lookup(messages.ALERT_ACTIONS, k) is None]


def test_the_words_agree_with_the_domains_own_thai_and_english():
    th, en = Translator("th"), Translator("en")
    for status in DisplayStatus:
        assert (en(words.DISPLAY_STATUS[status]), th(words.DISPLAY_STATUS[status])) == (status.label, status.label_th)
    for account in DEFAULT_CHART:
        assert (en(words.ACCOUNT[account.code]), th(words.ACCOUNT[account.code])) == (account.name_en, account.name_th)
    for kind, (title_th, title_en) in TITLES.items():
        assert (en(words.DOCUMENT_KIND[kind]), th(words.DOCUMENT_KIND[kind])) == (title_en, title_th)
    for carrier in KNOWN_CARRIERS:
        assert en(words.CARRIER[carrier.code]) == carrier.name


def test_english_is_its_msgids_and_thai_is_thai():
    en, th = Translator("en"), Translator("th")
    assert en("Orders") == "Orders" and th("Orders") == "คำสั่งซื้อ"
    assert th.plural(("%(num)s day", "%(num)s days"), 3) == "3 วัน" and en.plural(("%(num)s day", "%(num)s days"), 1) == "1 day"
    assert Translator("fr").lang == "th"  # a language we do not have: Thai
