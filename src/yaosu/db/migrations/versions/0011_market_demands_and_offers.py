"""market: buyers' demands and the offers that answer them

Revision ID: 0011
Revises: 0010
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import yaosu.db.base

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('market_demand',
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('buyer_party_id', sa.String(length=26), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('domain', sa.String(length=32), nullable=False),
    sa.Column('fields_wanted', sa.JSON(), nullable=False),
    sa.Column('purpose', sa.String(length=500), nullable=False),
    sa.Column('budget', sa.BigInteger(), nullable=False),
    sa.Column('deadline', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['buyer_party_id'], ['party.id'], name=op.f('fk_market_demand_buyer_party_id_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_market_demand'))
    )
    with op.batch_alter_table('market_demand', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_market_demand_buyer_party_id'), ['buyer_party_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_market_demand_domain'), ['domain'], unique=False)
        batch_op.create_index(batch_op.f('ix_market_demand_status'), ['status'], unique=False)

    op.create_table('market_offer',
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('demand_id', sa.String(length=26), nullable=False),
    sa.Column('product_id', sa.String(length=26), nullable=False),
    sa.Column('provider_party_id', sa.String(length=26), nullable=False),
    sa.Column('price', sa.BigInteger(), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['demand_id'], ['market_demand.id'], name=op.f('fk_market_offer_demand_id_market_demand')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_market_offer_product_id_product')),
    sa.ForeignKeyConstraint(['provider_party_id'], ['party.id'], name=op.f('fk_market_offer_provider_party_id_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_market_offer')),
    sa.UniqueConstraint('demand_id', 'product_id', name=op.f('uq_market_offer_demand_id'))
    )
    with op.batch_alter_table('market_offer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_market_offer_demand_id'), ['demand_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_market_offer_provider_party_id'), ['provider_party_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('market_offer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_market_offer_provider_party_id'))
        batch_op.drop_index(batch_op.f('ix_market_offer_demand_id'))

    op.drop_table('market_offer')
    with op.batch_alter_table('market_demand', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_market_demand_status'))
        batch_op.drop_index(batch_op.f('ix_market_demand_domain'))
        batch_op.drop_index(batch_op.f('ix_market_demand_buyer_party_id'))

    op.drop_table('market_demand')
