"""The default Thai chart of accounts and the payment account each payment method posts to."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class AccountType(StrEnum):
    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    REVENUE = "revenue"
    EXPENSE = "expense"


@dataclass(frozen=True, slots=True)
class Account:
    code: str
    name_th: str
    name_en: str
    type: AccountType


CASH = "111101"
BANK = "111201"
PAYMENT_CLEARING = "111301"
ACCOUNTS_RECEIVABLE = "113101"
COD_RECEIVABLE = "113201"
INVENTORY = "114101"
INPUT_VAT = "115101"
VAT_REFUNDABLE = "115201"
ACCOUNTS_PAYABLE = "212101"
OUTPUT_VAT = "213101"
OUTPUT_VAT_NOT_DUE = "213102"
REFUNDS_PAYABLE = "213201"
VAT_PAYABLE = "213301"
CAPITAL = "311101"
RETAINED_EARNINGS = "321101"
SALES = "411101"
SHIPPING_INCOME = "411201"
SALES_RETURNS = "412101"
COST_OF_GOODS_SOLD = "511101"
COD_FEES = "521101"
PAYMENT_FEES = "521201"
STOCK_COUNT_DIFFERENCES = "531101"

_A, _L, _E, _R, _X = (AccountType.ASSET, AccountType.LIABILITY, AccountType.EQUITY,
                      AccountType.REVENUE, AccountType.EXPENSE)

DEFAULT_CHART: tuple[Account, ...] = (
    Account(CASH, "เงินสด", "Cash", _A),
    Account(BANK, "เงินฝากธนาคาร", "Bank", _A),
    Account(PAYMENT_CLEARING, "เงินรอรับจากช่องทางชำระเงิน", "Payment clearing (cards, marketplaces)", _A),
    Account(ACCOUNTS_RECEIVABLE, "ลูกหนี้การค้า", "Accounts receivable", _A),
    Account(COD_RECEIVABLE, "ลูกหนี้เก็บเงินปลายทาง", "COD receivable (couriers)", _A),
    Account(INVENTORY, "สินค้าคงเหลือ", "Inventory", _A),
    Account(INPUT_VAT, "ภาษีซื้อ", "Input VAT", _A),
    Account(VAT_REFUNDABLE, "ภาษีมูลค่าเพิ่มรอขอคืน", "VAT refundable", _A),
    Account(ACCOUNTS_PAYABLE, "เจ้าหนี้การค้า", "Accounts payable", _L),
    Account(OUTPUT_VAT, "ภาษีขาย", "Output VAT", _L),
    Account(OUTPUT_VAT_NOT_DUE, "ภาษีขายยังไม่ถึงกำหนด", "Output VAT not yet due", _L),
    Account(REFUNDS_PAYABLE, "เงินคืนลูกค้าค้างจ่าย", "Refunds payable", _L),
    Account(VAT_PAYABLE, "ภาษีมูลค่าเพิ่มค้างจ่าย", "VAT payable to the Revenue Department", _L),
    Account(CAPITAL, "ทุน", "Capital", _E),
    Account(RETAINED_EARNINGS, "กำไรสะสม", "Retained earnings", _E),
    Account(SALES, "รายได้จากการขายสินค้า", "Sales", _R),
    Account(SHIPPING_INCOME, "รายได้ค่าจัดส่ง", "Shipping income", _R),
    Account(SALES_RETURNS, "รับคืนสินค้าและส่วนลด", "Sales returns and allowances", _R),
    Account(COST_OF_GOODS_SOLD, "ต้นทุนขาย", "Cost of goods sold", _X),
    Account(COD_FEES, "ค่าธรรมเนียมเก็บเงินปลายทาง", "COD fees", _X),
    Account(PAYMENT_FEES, "ค่าธรรมเนียมช่องทางชำระเงิน", "Payment and marketplace fees", _X),
    Account(STOCK_COUNT_DIFFERENCES, "ผลต่างจากการตรวจนับสินค้า", "Stock count differences", _X),
)

DEFAULT_PAYMENT_ACCOUNTS: dict[str, str] = {
    "bank_transfer": BANK,
    "promptpay": BANK,
    "cash": CASH,
    "card": PAYMENT_CLEARING,
    "marketplace": PAYMENT_CLEARING,
    "cod": COD_RECEIVABLE,
    "other": BANK,
}


def payment_account(method: str, overrides: dict[str, str] | None = None) -> str:
    """Where the buyer's money lands for a payment method (a setting; these are defaults)."""
    if overrides and method in overrides:
        return overrides[method]
    return DEFAULT_PAYMENT_ACCOUNTS.get(method, BANK)


def refund_account(method: str, overrides: dict[str, str] | None = None) -> str:
    """Where a refund is paid from. Couriers never pay buyers back: COD refunds leave the bank."""
    if method == "cod":
        return BANK
    return payment_account(method, overrides)
