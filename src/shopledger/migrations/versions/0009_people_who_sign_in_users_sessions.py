"""people who sign in: users, sessions, failed sign-ins per e-mail

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 09:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
import shopledger.adapters.db.types


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('users',
    sa.Column('id', _Id, nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('disabled_at', shopledger.adapters.db.types.UtcDateTime(), nullable=True),
    sa.Column('created_at', shopledger.adapters.db.types.UtcDateTime(), nullable=False),
    sa.Column('last_sign_in_at', shopledger.adapters.db.types.UtcDateTime(), nullable=True),
    sa.Column('language', sa.String(length=5), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('sessions',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('user_id', _Id, nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', shopledger.adapters.db.types.UtcDateTime(), nullable=False),
    sa.Column('last_seen_at', shopledger.adapters.db.types.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sessions'))
    )
    op.create_index(op.f('ix_sessions_user_id'), 'sessions', ['user_id'], unique=False)
    op.create_table('sign_in_failures',
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failed_at', shopledger.adapters.db.types.UtcDateTime(), nullable=False),
    sa.Column('locked_until', shopledger.adapters.db.types.UtcDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('email', name=op.f('pk_sign_in_failures'))
    )
    op.create_index(op.f('ix_sign_in_failures_last_failed_at'), 'sign_in_failures', ['last_failed_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_sign_in_failures_last_failed_at'), table_name='sign_in_failures')
    op.drop_table('sign_in_failures')
    op.drop_index(op.f('ix_sessions_user_id'), table_name='sessions')
    op.drop_table('sessions')
    op.drop_table('users')
