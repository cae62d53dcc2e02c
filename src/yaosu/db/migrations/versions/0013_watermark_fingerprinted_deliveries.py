"""watermark: fingerprinted deliveries

Revision ID: 0013
Revises: 0012
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import yaosu.db.base

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('watermark_delivery',
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('product_id', sa.String(length=26), nullable=False),
    sa.Column('order_id', sa.String(length=26), nullable=True),
    sa.Column('recipient_party_id', sa.String(length=26), nullable=False),
    sa.Column('dataset_id', sa.String(length=26), nullable=True),
    sa.Column('spec', sa.JSON(), nullable=False),
    sa.Column('key_id', sa.String(length=32), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('file_hash', sa.String(length=64), nullable=False),
    sa.Column('rows', sa.BigInteger(), nullable=False),
    sa.Column('created_by_user_id', sa.String(length=26), nullable=True),
    sa.Column('created_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['market_order.id'], name=op.f('fk_watermark_delivery_order_id_market_order')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_watermark_delivery_product_id_product')),
    sa.ForeignKeyConstraint(['recipient_party_id'], ['party.id'], name=op.f('fk_watermark_delivery_recipient_party_id_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watermark_delivery'))
    )
    with op.batch_alter_table('watermark_delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_watermark_delivery_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_watermark_delivery_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_watermark_delivery_recipient_party_id'), ['recipient_party_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('watermark_delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_watermark_delivery_recipient_party_id'))
        batch_op.drop_index(batch_op.f('ix_watermark_delivery_product_id'))
        batch_op.drop_index(batch_op.f('ix_watermark_delivery_order_id'))

    op.drop_table('watermark_delivery')
