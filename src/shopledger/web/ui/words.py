"""Every code the pages show, as the words a person reads (English msgids of the catalogue).

A code (`unpaid`, `receipt_tax_invoice`, `cod_mismatch`) never reaches a page: a template asks
`word("payment_status", o.payment_status)` and gets it in the page's language. A new enum value
needs a line here (tests/api/test_i18n_catalogue.py fails until it has one, and until its Thai
is in th/messages.po).
"""
from __future__ import annotations

from shopledger.domain.accounting.chart import DEFAULT_CHART
from shopledger.web.i18n import N_, Translator

DISPLAY_STATUS = {
    "awaiting_payment": N_("Awaiting payment"),
    "checking_payment": N_("Checking payment"),
    "to_ship": N_("To ship"),
    "shipped": N_("Shipped"),
    "delivered": N_("Delivered"),
    "cod_awaiting_remittance": N_("COD awaiting remittance"),
    "completed": N_("Completed"),
    "cancelled": N_("Cancelled"),
    "refunded": N_("Refunded"),
    "returned": N_("Returned"),
}
PAYMENT_STATUS = {
    "unpaid": N_("Not paid"),
    "verifying": N_("Payment to check"),
    "paid": N_("Paid"),
    "refunded": N_("Refunded"),
}
FULFILLMENT_STATUS = {
    "unfulfilled": N_("Not shipped"),
    "shipped": N_("Shipped"),
    "delivered": N_("Delivered"),
    "returned": N_("Returned"),
}
CHANNEL = {
    "website": N_("Website"),
    "facebook": N_("Facebook"),
    "line": N_("LINE"),
    "instagram": N_("Instagram"),
    "shopee": N_("Shopee"),
    "lazada": N_("Lazada"),
    "tiktok": N_("TikTok"),
    "pos": N_("Shop counter"),
    "other": N_("Other"),
}
PAYMENT_METHOD = {
    "bank_transfer": N_("Bank transfer"),
    "promptpay": N_("PromptPay"),
    "card": N_("Card"),
    "cod": N_("Cash on delivery"),
    "cash": N_("Cash"),
    "marketplace": N_("Paid through the marketplace"),
    "other": N_("Other"),
}
CARRIER = {
    "kerry": N_("Kerry Express"),
    "flash": N_("Flash Express"),
    "jt": N_("J&T Express"),
    "thaipost": N_("Thailand Post"),
    "spx": N_("SPX Express"),
    "ninjavan": N_("Ninja Van"),
    "dhl": N_("DHL"),
    "best": N_("BEST Express"),
}
DOCUMENT_KIND = {
    "invoice": N_("Invoice"),
    "receipt_tax_invoice": N_("Receipt / Tax invoice"),
    "receipt": N_("Receipt"),
    "credit_note": N_("Credit note"),
}
DOCUMENT_STATUS = {
    "issued": N_("Issued"),
    "void": N_("Void"),
}
CREDIT_REASON = {
    "cancelled_order": N_("Order cancelled"),
    "returned_goods": N_("Goods returned by the buyer"),
    "refund": N_("Refund"),
}
MOVEMENT_KIND = {
    "reserve": N_("Reserved"),
    "release": N_("Reservation released"),
    "ship": N_("Shipped out"),
    "return": N_("Came back"),
    "restock": N_("Back in stock"),
    "receive": N_("Goods in"),
    "count": N_("Stock count"),
    "revalue": N_("Cost adjusted"),
}
ALERT_KIND = {
    "company_not_set_up": N_("Company not set up"),
    "stuck_order": N_("Stuck order"),
    "sync_failed": N_("Import failed"),
    "oversell": N_("Oversold"),
    "low_stock": N_("Low stock"),
    "unknown_sku": N_("Unknown product code"),
    "cod_mismatch": N_("COD statement row not matched"),
    "books_conflict": N_("Books need a look"),
}
STUCK_RULE = {
    "unpaid": N_("Not paid"),
    "payment_check": N_("Payment not checked"),
    "unshipped": N_("Not shipped"),
    "undelivered": N_("Shipped, not delivered"),
    "unremitted": N_("COD delivered, not remitted"),
    "unrestocked": N_("Returned, not back in stock"),
    "sync_failed": N_("Last import failed"),
}
SYNC_STATUS = {
    "queued": N_("Queued"),
    "running": N_("Running"),
    "succeeded": N_("Succeeded"),
    "failed": N_("Failed"),
    "skipped": N_("Skipped"),
}
SYNC_TRIGGER = {
    "manual": N_("Started by hand"),
    "daily": N_("Daily run"),
    "push": N_("Sent by the shop"),
}
SOURCE_KIND = {
    "shop-api": N_("Online shop (API)"),
}
ROLE = {
    "admin": N_("Admin"),
    "accountant": N_("Accountant"),
    "clerk": N_("Clerk"),
    "reader": N_("Reader"),
}
COMPANY_FIELD = {
    "name": N_("name"),
    "address": N_("address"),
    "tax_id": N_("tax ID"),
}
ENTRY_EVENT = {
    "invoice": N_("Invoice"),
    "payment_on_invoice": N_("Payment of an invoice"),
    "receipt": N_("Sale"),
    "credit_note": N_("Credit note"),
    "refund_paid": N_("Refund paid"),
    "reversal": N_("Reversal"),
    "goods_shipped": N_("Cost of goods shipped"),
    "goods_returned": N_("Goods returned"),
    "goods_received": N_("Goods in"),
    "stock_count": N_("Stock count"),
    "stock_cost_adjustment": N_("Cost adjusted"),
    "cod_remitted": N_("COD remittance"),
    "vat_settlement": N_("VAT settled"),
    "vat_payment": N_("VAT paid"),
    "year_close": N_("Year closed"),
}
# The chart's accounts by code: the English name is the msgid, th/messages.po holds the chart's
# Thai name (a test keeps both in step with domain/accounting/chart.py).
ACCOUNT = {
    "111101": N_("Cash"),
    "111201": N_("Bank"),
    "111301": N_("Payment clearing (cards, marketplaces)"),
    "113101": N_("Accounts receivable"),
    "113201": N_("COD receivable (couriers)"),
    "114101": N_("Inventory"),
    "115101": N_("Input VAT"),
    "115201": N_("VAT refundable"),
    "212101": N_("Accounts payable"),
    "213101": N_("Output VAT"),
    "213102": N_("Output VAT not yet due"),
    "213201": N_("Refunds payable"),
    "213301": N_("VAT payable to the Revenue Department"),
    "311101": N_("Capital"),
    "321101": N_("Retained earnings"),
    "411101": N_("Sales"),
    "411201": N_("Shipping income"),
    "412101": N_("Sales returns and allowances"),
    "511101": N_("Cost of goods sold"),
    "521101": N_("COD fees"),
    "521201": N_("Payment and marketplace fees"),
    "531101": N_("Stock count differences"),
}

VOCABULARY: dict[str, dict[str, str]] = {
    "display_status": DISPLAY_STATUS, "payment_status": PAYMENT_STATUS, "fulfillment_status": FULFILLMENT_STATUS,
    "channel": CHANNEL, "payment_method": PAYMENT_METHOD, "carrier": CARRIER, "document_kind": DOCUMENT_KIND,
    "document_status": DOCUMENT_STATUS, "credit_reason": CREDIT_REASON, "movement_kind": MOVEMENT_KIND,
    "alert_kind": ALERT_KIND, "stuck_rule": STUCK_RULE, "sync_status": SYNC_STATUS, "sync_trigger": SYNC_TRIGGER,
    "source_kind": SOURCE_KIND, "role": ROLE, "company_field": COMPANY_FIELD, "entry_event": ENTRY_EVENT, "account": ACCOUNT,
}
_CHART = {account.code: account for account in DEFAULT_CHART}
_CARRIER_NAMES = frozenset(CARRIER.values())


def word(tr: Translator, group: str, code: object) -> str:
    """The words for a code in its group; a code we have no words for yet is shown spaced out."""
    text = "" if code is None else str(code)
    msgid = VOCABULARY[group].get(text)
    return tr(msgid) if msgid else text.replace("_", " ")


def carrier_name(tr: Translator, code_or_name: object, name: object = None) -> object:
    """A carrier we know, in the page's language (by its code or its English name); any other as data."""
    from shopledger.web.ui.messages import data  # words the codes; messages marks the person's own

    for value in (code_or_name, name):
        if value in CARRIER:
            return tr(CARRIER[str(value)])
        if value in _CARRIER_NAMES:
            return tr(str(value))
    return data(name or code_or_name)


def account_name(tr: Translator, code: str, name_th: str = "", name_en: str = "", names: dict | None = None) -> object:
    """An account's name: the catalogue's for the chart's accounts, else the names it was stored
    with (a bank account the merchant added: "SCB 123-4…"; given, or found in `names`: code ->
    (th, en)), marked as their data."""
    from shopledger.web.ui.messages import data

    if code in ACCOUNT:
        return tr(ACCOUNT[code])
    if names and code in names and not (name_th or name_en):
        name_th, name_en = names[code]
    return data((name_th if tr.lang == "th" else name_en) or name_en or name_th or code)
