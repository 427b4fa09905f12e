from datetime import datetime, timezone
from decimal import Decimal

import pytest

from shopledger.domain.orders.model import (
    Channel,
    Customer,
    FulfillmentStatus,
    Order,
    OrderLine,
    PaymentMethod,
    PaymentStatus,
)
from shopledger.domain.orders.status import DisplayStatus, display_status

pytestmark = pytest.mark.unit

T0 = datetime(2026, 11, 20, 3, 15, tzinfo=timezone.utc)
P, F, S = PaymentStatus, FulfillmentStatus, DisplayStatus
COD, BANK = PaymentMethod.COD, PaymentMethod.BANK_TRANSFER


def make_order(payment, fulfillment, method=BANK, cancelled=False) -> Order:
    return Order(source="import", external_id="BW-1", channel=Channel.WEBSITE, placed_at=T0,
                 updated_at=T0, payment_status=payment, fulfillment_status=fulfillment,
                 payment_method=method, customer=Customer("Somchai"),
                 lines=(OrderLine("HONEY", "honey", 1, Decimal("350.00")),), total=Decimal("350.00"),
                 cancelled_at=T0 if cancelled else None)


@pytest.mark.parametrize("payment, fulfillment, method, cancelled, expected", [
    (P.UNPAID, F.UNFULFILLED, BANK, False, S.AWAITING_PAYMENT),
    (P.VERIFYING, F.UNFULFILLED, BANK, False, S.CHECKING_PAYMENT),
    (P.PAID, F.UNFULFILLED, BANK, False, S.TO_SHIP),
    (P.UNPAID, F.UNFULFILLED, COD, False, S.TO_SHIP),
    (P.PAID, F.SHIPPED, BANK, False, S.SHIPPED),
    (P.UNPAID, F.SHIPPED, COD, False, S.SHIPPED),
    (P.UNPAID, F.DELIVERED, BANK, False, S.DELIVERED),
    (P.PAID, F.DELIVERED, BANK, False, S.COMPLETED),
    (P.PAID, F.DELIVERED, COD, False, S.COD_AWAITING_REMITTANCE),
    (P.UNPAID, F.DELIVERED, COD, False, S.COD_AWAITING_REMITTANCE),
    (P.UNPAID, F.UNFULFILLED, BANK, True, S.CANCELLED),
    (P.PAID, F.SHIPPED, BANK, True, S.CANCELLED),
    (P.REFUNDED, F.UNFULFILLED, BANK, True, S.REFUNDED),
    (P.REFUNDED, F.DELIVERED, BANK, False, S.REFUNDED),
    (P.UNPAID, F.RETURNED, COD, False, S.RETURNED),
    (P.REFUNDED, F.RETURNED, BANK, True, S.RETURNED),
])
def test_display_status_from_the_two_axes(payment, fulfillment, method, cancelled, expected):
    assert display_status(make_order(payment, fulfillment, method, cancelled)) is expected


def test_a_remitted_cod_order_is_completed_and_the_flag_means_nothing_for_others():
    delivered_cod = make_order(P.PAID, F.DELIVERED, COD)
    assert display_status(delivered_cod, cod_remitted=True) is S.COMPLETED
    assert display_status(make_order(P.UNPAID, F.SHIPPED, COD), cod_remitted=True) is S.SHIPPED
    assert display_status(make_order(P.UNPAID, F.DELIVERED, BANK), cod_remitted=True) is S.DELIVERED


def test_every_status_has_an_english_and_a_thai_label():
    for status in DisplayStatus:
        assert status.label and status.label_th
        assert status.label != status.value
    assert S.COD_AWAITING_REMITTANCE.label == "COD awaiting remittance"
    assert S.TO_SHIP.label_th == "รอจัดส่ง"
