"""sync_runs.expected_orders: how many orders the source said a run would bring (its time left)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 03:20:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sync_runs') as batch_op:
        batch_op.add_column(sa.Column('expected_orders', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sync_runs') as batch_op:
        batch_op.drop_column('expected_orders')
