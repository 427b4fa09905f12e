"""balances kept per account and day (backfilled from the journal); the VAT settlement accounts
213301 and 115201; the company's logo and signature for documents

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 12:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
import shopledger.adapters.db.types


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

NEW_ACCOUNTS = (
    ('115201', 'ภาษีมูลค่าเพิ่มรอขอคืน', 'VAT refundable', 'asset'),
    ('213301', 'ภาษีมูลค่าเพิ่มค้างจ่าย', 'VAT payable to the Revenue Department', 'liability'),
)


def upgrade() -> None:
    op.create_table('account_day_balances',
    sa.Column('account', sa.String(length=10), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('debit', sa.BigInteger(), nullable=False),
    sa.Column('credit', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('account', 'day', name=op.f('pk_account_day_balances'))
    )
    op.create_table('document_images',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('media_type', sa.String(length=40), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('updated_at', shopledger.adapters.db.types.UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('kind', name=op.f('pk_document_images'))
    )
    op.create_index('ix_documents_date', 'documents', ['date', 'kind'])
    op.create_index('ix_journal_entries_document_number', 'journal_entries', ['document_number'])
    conn = op.get_bind()
    # The books' existing lines, summed once; from here on LedgerBatch.write keeps them.
    conn.execute(sa.text(
        "INSERT INTO account_day_balances (account, day, debit, credit) "
        "SELECT l.account, e.date, SUM(l.debit), SUM(l.credit) FROM journal_lines l "
        "JOIN journal_entries e ON e.id = l.entry_id GROUP BY l.account, e.date"))
    # Only into a chart that is there: a new database is seeded by `init` (settings_repo.seed).
    if conn.execute(sa.text("SELECT COUNT(*) FROM accounts")).scalar_one():
        for code, name_th, name_en, kind in NEW_ACCOUNTS:
            conn.execute(sa.text(
                "INSERT INTO accounts (code, name_th, name_en, type) SELECT :code, :th, :en, :type "
                "WHERE NOT EXISTS (SELECT 1 FROM accounts WHERE code = :same)"),  # one use per parameter (PostgreSQL)
                {"code": code, "same": code, "th": name_th, "en": name_en, "type": kind})


def downgrade() -> None:
    op.drop_index('ix_journal_entries_document_number', table_name='journal_entries')
    op.drop_index('ix_documents_date', table_name='documents')
    op.drop_table('document_images')
    op.drop_table('account_day_balances')
