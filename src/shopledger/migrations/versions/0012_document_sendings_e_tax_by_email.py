"""document_sendings: each e-mail of a document's e-Tax PDF/A-3 to its buyer (sent or failed)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 11:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
import shopledger.adapters.db.types


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('document_sendings',
    sa.Column('id', _Id, nullable=False),
    sa.Column('document_number', sa.String(length=30), nullable=False),
    sa.Column('attempted_at', shopledger.adapters.db.types.UtcDateTime(), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('cc_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('message_id', sa.String(length=300), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=True),
    sa.Column('sent_by', sa.String(length=254), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_sendings'))
    )
    op.create_index(op.f('ix_document_sendings_document_number'), 'document_sendings', ['document_number'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_document_sendings_document_number'), table_name='document_sendings')
    op.drop_table('document_sendings')
