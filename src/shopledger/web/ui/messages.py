"""Sentences the pages build from facts: alerts (reason and action), an order's history, what a
journal entry was for, and the notices and errors of a page, each in the page's language.

Services hand alerts over with a message key and its params (`alert["message"]`) beside the
English `reason`/`action` the CLI and REST API keep; the sentence is made here. A param is shown
as its kind asks (a length of time, money, a count, a status's words); anything else is the
person's own data and is marked so (`<bdi data-user>`), never translated.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from babel.lists import format_list
from markupsafe import Markup, escape

from shopledger.web.i18n import N_, N_n, Translator
from shopledger.web.ui import formats
from shopledger.web.ui.formats import BABEL_LOCALES
from shopledger.web.ui.words import carrier_name, word


def data(value: object) -> Markup:
    """The person's own words (a name, an address, a SKU, a number of theirs): shown as they are,
    marked as data so no translation check or screen reader mistakes them for ours."""
    if value is None or value == "":
        return Markup("")
    # escape() and one Markup, not Markup's % (its escaping helper per argument): a list page
    # shows three of these a row
    return Markup(f"<bdi data-user>{escape(value)}</bdi>")


def command(text: str) -> Markup:
    """A command to type, as it must be typed."""
    return Markup('<code lang="en" translate="no">%s</code>') % text


# -- how each param is shown --------------------------------------------------------------

_DURATIONS = {"ago", "after"}
_NUMBERS = {"count", "by", "on_hand", "reserved", "available", "level", "line", "quantity", "counted", "run"}
_MONEY = {"expected", "got", "total", "old_total", "receipt_total"}


def _param(tr: Translator, name: str, value: object) -> object:
    lang = tr.lang
    if name in _DURATIONS:
        return formats.duration(value, lang)
    if name in _NUMBERS:
        return formats.number(value, lang)
    if name in _MONEY:
        return formats.money(value, lang)
    if name == "status":
        return word(tr, "payment_status", value)
    if name == "method":
        return word(tr, "payment_method", value)
    if name == "courier":
        return carrier_name(tr, value)
    if name == "missing":
        return format_list([word(tr, "company_field", f) for f in value], locale=BABEL_LOCALES[lang])
    if name == "command":
        return command(value)
    if name == "month":
        return formats.month(value, lang)
    if name == "year":
        return str(int(value) + formats.BUDDHIST_ERA) if lang == "th" else str(value)
    if name == "product":
        sku, product_name = value
        return data(f"{sku} ({product_name})" if product_name and product_name != sku else sku)
    if name == "documents":
        return Markup(", ").join(data(number) for number in value)
    return data(value)


def sentence(tr: Translator, message: str | tuple[str, str], params: Mapping[str, object] | None = None,
             count: int | None = None) -> Markup:
    """A catalogue sentence with its params shown by kind and escaped; `message` a msgid, or the
    (singular, plural) of `N_n` chosen by `count`."""
    shown = {name: _param(tr, name, value) for name, value in (params or {}).items()}
    if isinstance(message, tuple):
        n = int(count if count is not None else (params or {}).get("count", 1))
        shown.setdefault("num", formats.number(n, tr.lang))
        template = tr.template_plural(message, n)
    else:
        template = tr.template(message)
    return escape(template) % shown if shown else escape(template)


# -- alerts ---------------------------------------------------------------------------------

ALERT_REASONS: dict[str, str | tuple[str, str]] = {
    "company_not_set_up": N_n("The company's %(missing)s is missing, so the documents issued now go out "
                              "without it.",
                              "The company's %(missing)s are missing, so the documents issued now go out "
                              "without them."),
    "company_not_set_up.tax_id": N_n("The company's %(missing)s is missing, so the documents issued now go "
                                     "out without it (a tax invoice must show the seller's tax ID).",
                                     "The company's %(missing)s are missing, so the documents issued now go "
                                     "out without them (a tax invoice must show the seller's tax ID)."),
    "stuck.unpaid": N_("Placed %(ago)s ago, not paid"),
    "stuck.payment_check": N_("Payment waiting %(ago)s to be checked"),
    "stuck.unshipped": N_("Paid %(ago)s ago, not shipped"),
    "stuck.unshipped_cod": N_("COD order placed %(ago)s ago, not shipped"),
    "stuck.undelivered": N_("Shipped %(ago)s ago, not delivered"),
    "stuck.unremitted": N_("COD delivered %(ago)s ago, not remitted"),
    "stuck.unrestocked": N_("Returned %(ago)s ago, not back in stock"),
    "group.unpaid": N_n("%(count)s order not paid after %(after)s", "%(count)s orders not paid after %(after)s"),
    "group.payment_check": N_n("%(count)s payment not checked after %(after)s",
                               "%(count)s payments not checked after %(after)s"),
    "group.unshipped": N_n("%(count)s order not shipped after %(after)s",
                           "%(count)s orders not shipped after %(after)s"),
    "group.undelivered": N_n("%(count)s order shipped, not delivered after %(after)s",
                             "%(count)s orders shipped, not delivered after %(after)s"),
    "group.unremitted": N_n("%(count)s COD order delivered, not remitted after %(after)s",
                            "%(count)s COD orders delivered, not remitted after %(after)s"),
    "group.unrestocked": N_n("%(count)s order returned, not back in stock after %(after)s",
                             "%(count)s orders returned, not back in stock after %(after)s"),
    "group.count": N_n("%(count)s alert", "%(count)s alerts"),
    "sync_failed.order": N_("The last import of this order failed: %(why)s"),
    "sync_failed.source": N_("The last import from %(source)s failed: %(error)s"),
    "oversell": N_("%(product)s is oversold by %(by)s: %(on_hand)s on hand, %(reserved)s reserved"),
    "low_stock": N_("%(product)s has %(available)s available, at or below the low-stock level of %(level)s"),
    "unknown_sku": N_("Order %(order)s sold %(sku)s, which was not a product; it was created with no stock "
                      "and no cost"),
    "cod_mismatch.unknown_tracking": N_("%(courier)s statement %(statement)s, line %(line)s: tracking number "
                                        "%(tracking)s matches no parcel"),
    "cod_mismatch.already_remitted": N_("%(courier)s statement %(statement)s, line %(line)s: %(tracking)s was "
                                        "already remitted"),
    "cod_mismatch.amount_differs": N_("%(courier)s statement %(statement)s, line %(line)s: the amount differs "
                                      "(expected %(expected)s, the statement says %(got)s)"),
    "cod_mismatch.duplicate_row": N_("%(courier)s statement %(statement)s, line %(line)s: %(tracking)s is in "
                                     "the statement twice"),
    "cod_mismatch.not_collected": N_("%(courier)s statement %(statement)s, line %(line)s: %(tracking)s is not "
                                     "collected yet; mark it delivered, then import the statement again"),
    "cod_mismatch.unreadable_row": N_("%(courier)s statement %(statement)s, line %(line)s could not be read: "
                                      "%(why)s"),
    "cod_mismatch": N_("A row of a courier's COD statement was not matched: %(why)s"),
    "books_conflict.receipted_order_unpaid": N_("The order is %(status)s, but receipt %(receipt)s was issued"),
    "books_conflict.receipted_amount_changed": N_("The order's amounts changed (total now %(total)s) since "
                                                  "receipt %(receipt)s (%(receipt_total)s) was issued"),
    "books_conflict.paid_after_cancellation": N_("The order is paid, but its documents were cancelled"),
    "books_conflict.refund_without_receipt": N_("The shop lists a refund, but the order was never receipted"),
    "books_conflict": N_("The books and the order disagree: %(why)s"),
}
ALERT_ACTIONS: dict[str, str] = {
    "company_not_set_up": N_("Fill them in with %(command)s"),
    "stuck.unpaid": N_("Remind the buyer, or cancel the order"),
    "stuck.payment_check": N_("Check the payment and mark it paid, or ask the buyer"),
    "stuck.unshipped": N_("Ship it or cancel it"),
    "stuck.unshipped_cod": N_("Ship it or cancel it"),
    "stuck.undelivered": N_("Check the tracking with the carrier"),
    "stuck.unremitted": N_("Ask the courier for the payout, or import its COD statement"),
    "stuck.unrestocked": N_("Check the parcel came back and put the goods back in stock"),
    "group.unpaid": N_("Remind the buyers, or cancel the orders"),
    "group.payment_check": N_("Check the payments and mark them paid, or ask the buyers"),
    "group.unshipped": N_("Ship them or cancel them"),
    "group.undelivered": N_("Check the tracking with the carriers"),
    "group.unremitted": N_("Ask the couriers for the payout, or import their COD statements"),
    "group.unrestocked": N_("Check the parcels came back and put the goods back in stock"),
    "sync_failed.order": N_("Fix the order at its source, then import again"),
    "sync_failed.source": N_("Check the source's address and token, then import again"),
    "oversell": N_("Receive more stock, or tell the buyers waiting for it"),
    "low_stock": N_("Order more from the supplier"),
    "unknown_sku": N_("Set its name, price and cost, then receive or count its stock"),
    "cod_mismatch": N_("Check this row with the courier; it was not booked"),
    "books_conflict.receipted_order_unpaid": N_("Check the payment in the shop; the books are unchanged"),
    "books_conflict.receipted_amount_changed": N_("Issue a credit note by hand, or correct the order in the shop"),
    "books_conflict.paid_after_cancellation": N_("Refund the buyer, or enter the order again"),
    "books_conflict.refund_without_receipt": N_("Check the order's payment in the shop"),
    "books_conflict": N_("Look at the order and its documents"),
}


def _lookup(table: Mapping[str, object], key: str) -> object | None:
    """The key, else its family (`cod_mismatch.amount_differs` -> `cod_mismatch`)."""
    while key:
        if key in table:
            return table[key]
        key = key.rpartition(".")[0]
    return None


def alert_reason(tr: Translator, alert: Mapping) -> Markup:
    message = alert.get("message") or {}
    found = _lookup(ALERT_REASONS, message.get("reason", ""))
    if found is None:  # an alert without a message of ours yet: its kind's words, never its code
        return escape(word(tr, "alert_kind", alert.get("kind")))
    return sentence(tr, found, message.get("params"))


def alert_action(tr: Translator, alert: Mapping) -> Markup:
    message = alert.get("message") or {}
    found = _lookup(ALERT_ACTIONS, message.get("action", ""))
    return sentence(tr, found, message.get("params")) if found else Markup("")


# -- an order's history ---------------------------------------------------------------------

_PAID_TO = {"paid": N_("Paid by %(method)s"), "verifying": N_("Payment sent, to be checked"),
            "refunded": N_("Refunded"), "unpaid": N_("Marked not paid")}
_FULFILLED_TO = {"shipped": N_("Shipped"), "delivered": N_("Delivered"), "returned": N_("Came back to the shop"),
                 "unfulfilled": N_("Marked not shipped")}
SHIPPED_WITH = N_("Shipped with %(carrier)s, %(tracking)s")
CANCELLED = N_("Order cancelled")
UNCANCELLED = N_("Cancellation withdrawn")
TOTAL_CHANGED = N_("Total changed from %(old_total)s to %(total)s")
ISSUED = N_("Issued %(documents)s")
VOIDED = N_("Voided %(documents)s")
RECEIVED = N_("Order received: %(payment)s, %(fulfilment)s")
UPDATED = N_("Updated")


def event_lines(tr: Translator, event: Mapping, order: Mapping | None = None) -> list[Markup]:
    """What one event of the order said, sentence by sentence: 'Order cancelled', 'Issued CN-…'."""
    order = order or {}
    detail = event.get("detail") or {}
    lines: list[Markup] = []
    if event.get("kind") == "created":
        lines.append(escape(tr(RECEIVED, payment=word(tr, "payment_status", detail.get("payment_status")),
                               fulfilment=word(tr, "fulfillment_status", detail.get("fulfillment_status")))))
    for name, (old, new) in (detail.get("changed") or {}).items():
        if name == "payment_status":
            lines.append(sentence(tr, _PAID_TO.get(new, UPDATED), {"method": order.get("payment_method")}))
        elif name == "fulfillment_status":
            shipment = order.get("shipment") or {}
            if new == "shipped" and shipment.get("tracking_number"):
                lines.append(_shipped(tr, shipment))
            else:
                lines.append(sentence(tr, _FULFILLED_TO.get(new, UPDATED)))
        elif name == "cancelled":
            lines.append(sentence(tr, CANCELLED if new else UNCANCELLED))
        elif name == "total":
            lines.append(sentence(tr, TOTAL_CHANGED, {"old_total": old, "total": new}))
    if detail.get("documents"):
        lines.append(sentence(tr, ISSUED, {"documents": detail["documents"]}))
    if detail.get("voided"):
        lines.append(sentence(tr, VOIDED, {"documents": detail["voided"]}))
    return lines or [sentence(tr, UPDATED)]


def _shipped(tr: Translator, shipment: Mapping) -> Markup:
    carrier = carrier_name(tr, shipment.get("carrier"), shipment.get("carrier_name"))
    return escape(tr.template(SHIPPED_WITH)) % {"carrier": carrier, "tracking": data(shipment["tracking_number"])}


_ACTORS = (
    (re.compile(r"^import (?P<file>.+)$", re.S), N_("File import %(file)s")),
    (re.compile(r"^sync run (?P<run>\d+)$"), N_("Import Data, run %(run)s")),
    (re.compile(r"^push run (?P<run>\d+)$"), N_("Sent by the shop, run %(run)s")),
    (re.compile(r"^api (?P<name>.+)$", re.S), N_("API token %(name)s")),
    (re.compile(r"^cli:(?P<user>.+)$", re.S), N_("Command line, %(user)s")),
    (re.compile(r"^cli$"), N_("Command line")),
    (re.compile(r"^demo$"), N_("Demo data")),
)


def actor_words(tr: Translator, actor: str) -> Markup:
    """Who or what made a change: a door in our words and its name as data; a person as data."""
    for pattern, message in _ACTORS:
        found = pattern.match(actor or "")
        if found:
            return sentence(tr, message, found.groupdict())
    return data(actor)


# -- what a journal entry was for -------------------------------------------------------------

_VOID_REASONS = {
    "order cancelled": N_("order cancelled"),
    "the order's amounts changed": N_("the order's amounts changed"),
    "paid amount differs from the invoice": N_("the amount paid differs from the invoice"),
    "the VAT on the payment day differs from the invoice": N_("the VAT on the payment day differs from the invoice"),
}
_ORDER_MEMO = re.compile(r"^(?:invoice|payment|sale|credit note|refund paid|stock) (?P<order>\S+)$", re.S)
_MEMOS = (
    (re.compile(r"^COD remittance (?P<courier>.+) (?P<statement>\S+) \((?P<count>\d+) parcels\)$", re.S),
     N_n("COD remittance from %(courier)s, statement %(statement)s (%(count)s parcel)",
         "COD remittance from %(courier)s, statement %(statement)s (%(count)s parcels)")),
    (re.compile(r"^goods received (?P<sku>.+) x(?P<quantity>\d+) \((?P<ref>.*)\)$", re.S),
     N_("Goods in: %(sku)s × %(quantity)s (%(ref)s)")),
    (re.compile(r"^goods received (?P<sku>.+) x(?P<quantity>\d+)$", re.S), N_("Goods in: %(sku)s × %(quantity)s")),
    (re.compile(r"^stock count (?P<sku>.+): (?P<counted>-?\d+) \((?P<ref>.*)\)$", re.S),
     N_("Stock count: %(sku)s counted %(counted)s (%(ref)s)")),
    (re.compile(r"^stock count (?P<sku>.+): (?P<counted>-?\d+)$", re.S), N_("Stock count: %(sku)s counted %(counted)s")),
    (re.compile(r"^VAT settled for (?P<month>\d{4}-\d{2})\b.*$", re.S), N_("VAT settled for %(month)s (PP 30)")),
    (re.compile(r"^VAT paid for (?P<month>\d{4}-\d{2})\b.*$", re.S), N_("VAT paid for %(month)s (PP 30)")),
    (re.compile(r"^Year (?P<year>\d{4}) closed to retained earnings$"), N_("Year %(year)s closed to retained earnings")),
)
ENTRY_FOR_ORDER = N_("%(what)s, order %(order)s")
VOIDED_BECAUSE = N_("%(document)s voided: %(why)s")


def entry_words(tr: Translator, entry: Mapping) -> Markup:
    """What an entry was for, from its event and the memo our own code wrote for it."""
    memo, event = entry.get("memo") or "", entry.get("event") or ""
    what = word(tr, "entry_event", event)
    found = _ORDER_MEMO.match(memo)
    if found:
        return escape(tr.template(ENTRY_FOR_ORDER)) % {"what": what, "order": data(found["order"])}
    found = re.match(r"^void (?P<document>\S+): (?P<why>.*)$", memo, re.S)
    if found:
        why = _VOID_REASONS.get(found["why"])
        return escape(tr.template(VOIDED_BECAUSE)) % {"document": data(found["document"]),
                                                         "why": tr(why) if why else data(found["why"])}
    for pattern, message in _MEMOS:
        found = pattern.match(memo)
        if found:
            return sentence(tr, message, found.groupdict())
    return Markup("%s · %s") % (what, data(memo)) if memo else escape(what)


# -- a page's notices and what was not found --------------------------------------------------

NOTICES = {
    "invalid_status": N_("%(value)s is not a status we know; every order is shown."),
    "invalid_rule": N_("%(value)s is not a stuck-order rule we know; every stuck order is shown."),
    "invalid_date": N_("%(value)s is not a date; every entry is shown."),
}
NOT_FOUND = {
    "document": N_("There is no document %(id)s."),
    "order": N_("There is no order %(id)s."),
    "alert": N_("There is no alert %(id)s."),
    "source": N_("There is no source %(id)s."),
    "page": N_("There is no page at %(id)s."),
}


def notice(tr: Translator, code: str, value: object) -> Markup:
    return sentence(tr, NOTICES[code], {"value": value})


def not_found(tr: Translator, what: str, ident: object) -> Markup:
    return sentence(tr, NOT_FOUND.get(what, NOT_FOUND["page"]), {"id": ident})


def joined(parts: Iterable[Markup]) -> Markup:
    return Markup("; ").join(parts)
