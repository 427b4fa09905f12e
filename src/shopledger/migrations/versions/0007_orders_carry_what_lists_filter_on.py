"""orders carry what the lists filter on: display status, stuck-rule waits; slim key indexes;
products remember since when they are oversold or low

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 10:00:00.000000

The new columns start empty: `shopledger init` works them out for the orders and products
already there (services/order_state.fill_in_missing, stock_repo.fill_in_alert_times).
"""
from alembic import op
import sqlalchemy as sa
import shopledger.adapters.db.types


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

_WAITING = "payment_wait IS NOT NULL OR fulfilment_wait IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state_changed_at', shopledger.adapters.db.types.UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column('display_status', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('payment_wait', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('payment_wait_since', shopledger.adapters.db.types.UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column('fulfilment_wait', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('fulfilment_wait_since', shopledger.adapters.db.types.UtcDateTime(), nullable=True))

    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('oversold_since', shopledger.adapters.db.types.UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column('low_since', shopledger.adapters.db.types.UtcDateTime(), nullable=True))

    op.create_index('ix_orders_display_status', 'orders', ['display_status', 'id', 'payment_wait', 'payment_wait_since',
                                                          'fulfilment_wait', 'fulfilment_wait_since'])
    op.create_index('ix_orders_waiting', 'orders',
                    ['id', 'display_status', 'payment_wait', 'payment_wait_since', 'fulfilment_wait',
                     'fulfilment_wait_since'],
                    sqlite_where=sa.text(_WAITING), postgresql_where=sa.text(_WAITING))
    op.create_index('ix_orders_payment_wait', 'orders',
                    ['payment_wait', 'payment_wait_since', 'id', 'fulfilment_wait', 'fulfilment_wait_since'],
                    sqlite_where=sa.text('payment_wait IS NOT NULL'),
                    postgresql_where=sa.text('payment_wait IS NOT NULL'))
    op.create_index('ix_orders_fulfilment_wait', 'orders', ['fulfilment_wait', 'fulfilment_wait_since', 'id'],
                    sqlite_where=sa.text('fulfilment_wait IS NOT NULL'),
                    postgresql_where=sa.text('fulfilment_wait IS NOT NULL'))
    if op.get_bind().dialect.name == 'sqlite':
        op.create_index('ix_orders_id', 'orders', ['id'])
        op.create_index('ix_documents_id', 'documents', ['id'])


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.drop_index('ix_documents_id', table_name='documents')
        op.drop_index('ix_orders_id', table_name='orders')
    for name in ('ix_orders_fulfilment_wait', 'ix_orders_payment_wait', 'ix_orders_waiting',
                 'ix_orders_display_status'):
        op.drop_index(name, table_name='orders')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('low_since')
        batch_op.drop_column('oversold_since')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        for column in ('fulfilment_wait_since', 'fulfilment_wait', 'payment_wait_since', 'payment_wait',
                       'display_status', 'state_changed_at'):
            batch_op.drop_column(column)
