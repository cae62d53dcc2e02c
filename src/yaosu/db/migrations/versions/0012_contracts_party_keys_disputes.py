"""market: parties' signing keys, order contracts, disputes

Revision ID: 0012
Revises: 0011
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import yaosu.db.base


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('party_key',
    sa.Column('id', sa.String(length=16), nullable=False),
    sa.Column('party_id', sa.String(length=26), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('added_by', sa.String(length=26), nullable=True),
    sa.Column('created_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['party_id'], ['party.id'], name=op.f('fk_party_key_party_id_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party_key')),
    sa.UniqueConstraint('public_key', name=op.f('uq_party_key_public_key'))
    )
    with op.batch_alter_table('party_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_key_party_id'), ['party_id'], unique=False)

    op.create_table('market_contract',
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('order_id', sa.String(length=26), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('buyer_key_id', sa.String(length=16), nullable=True),
    sa.Column('buyer_signature', sa.String(length=100), nullable=True),
    sa.Column('provider_key_id', sa.String(length=16), nullable=True),
    sa.Column('provider_signature', sa.String(length=100), nullable=True),
    sa.Column('created_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('signed_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['market_order.id'], name=op.f('fk_market_contract_order_id_market_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_market_contract')),
    sa.UniqueConstraint('order_id', name=op.f('uq_market_contract_order_id'))
    )
    with op.batch_alter_table('market_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dispute_reason', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('dispute_resolution', sa.String(length=500), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('market_order', schema=None) as batch_op:
        batch_op.drop_column('dispute_resolution')
        batch_op.drop_column('dispute_reason')

    op.drop_table('market_contract')
    with op.batch_alter_table('party_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_key_party_id'))

    op.drop_table('party_key')
