"""documents indexed by (kind, id) and (status, id): the Documents page filtered stays fast

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 03:45:00.000000
"""
from alembic import op


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_documents_kind_id', 'documents', ['kind', 'id'])
    op.create_index('ix_documents_status_id', 'documents', ['status', 'id'])


def downgrade() -> None:
    op.drop_index('ix_documents_status_id', table_name='documents')
    op.drop_index('ix_documents_kind_id', table_name='documents')
