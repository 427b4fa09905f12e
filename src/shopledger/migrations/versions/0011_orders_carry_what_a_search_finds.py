"""orders carry what a search finds them by: number, customer name, phone digits, tracking
number, folded (domain/orders/search.py), in an index of their own

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-01 10:00:00.000000

The orders already there get theirs here, a batch at a time; from then on intake writes it
with the order's row (services/order_state.planned_state).
"""
from alembic import op
import sqlalchemy as sa

from shopledger.domain.orders.search import search_text


revision = '0011'
down_revision = '0009'
branch_labels = None
depends_on = None

BATCH = 2000

_orders = sa.table('orders', sa.column('id', sa.Integer), sa.column('external_id', sa.String),
                   sa.column('customer_name', sa.String), sa.column('data', sa.JSON),
                   sa.column('search_text', sa.String))
_shipments = sa.table('shipments', sa.column('order_id', sa.Integer), sa.column('tracking_number', sa.String))


def upgrade() -> None:
    op.add_column('orders', sa.Column('search_text', sa.String(length=600), nullable=True))
    _fill_in(op.get_bind())
    op.create_index('ix_orders_search', 'orders', ['search_text', 'display_status', 'payment_wait',
                                                   'payment_wait_since', 'fulfilment_wait', 'fulfilment_wait_since',
                                                   'id'])


def _fill_in(conn) -> None:
    o, s = _orders, _shipments
    query = (sa.select(o.c.id, o.c.external_id, o.c.customer_name, o.c.data, s.c.tracking_number)
             .select_from(o.outerjoin(s, s.c.order_id == o.c.id)).order_by(o.c.id).limit(BATCH))
    write = sa.update(o).where(o.c.id == sa.bindparam('oid')).values(search_text=sa.bindparam('text'))
    after = 0
    while True:
        rows = list(conn.execute(query.where(o.c.id > after)))
        if not rows:
            return
        conn.execute(write, [{'oid': r.id, 'text': search_text(r.external_id, r.customer_name, _phone(r.data),
                                                               r.tracking_number or '')} for r in rows])
        after = rows[-1].id


def _phone(data) -> str:
    customer = data.get('customer') if isinstance(data, dict) else None
    return str(customer.get('phone') or '') if isinstance(customer, dict) else ''


def downgrade() -> None:
    op.drop_index('ix_orders_search', table_name='orders')
    op.drop_column('orders', 'search_text')  # SQLite drops a column in place since 3.35: no table copy
