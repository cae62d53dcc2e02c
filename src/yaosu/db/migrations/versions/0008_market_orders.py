"""market: orders with the price and split rule fixed when placed

Revision ID: 0008
Revises: 0007
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import yaosu.db.base

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('market_order',
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('product_id', sa.String(length=26), nullable=False),
    sa.Column('product_version', sa.Integer(), nullable=False),
    sa.Column('buyer_party_id', sa.String(length=26), nullable=False),
    sa.Column('client_key', sa.String(length=128), nullable=False),
    sa.Column('usage', sa.JSON(), nullable=False),
    sa.Column('price', sa.BigInteger(), nullable=False),
    sa.Column('split_rule', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('delivery_note', sa.String(length=500), nullable=False),
    sa.Column('created_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['buyer_party_id'], ['party.id'], name=op.f('fk_market_order_buyer_party_id_party')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_market_order_product_id_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_market_order')),
    sa.UniqueConstraint('buyer_party_id', 'client_key', name=op.f('uq_market_order_buyer_party_id'))
    )
    with op.batch_alter_table('market_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_market_order_buyer_party_id'), ['buyer_party_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_market_order_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_market_order_status'), ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('market_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_market_order_status'))
        batch_op.drop_index(batch_op.f('ix_market_order_product_id'))
        batch_op.drop_index(batch_op.f('ix_market_order_buyer_party_id'))

    op.drop_table('market_order')
