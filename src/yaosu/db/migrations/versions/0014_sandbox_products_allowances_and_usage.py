"""sandbox: sandbox and verification products' rules, each order's allowance spent, the usage log

Revision ID: 0014
Revises: 0013 (the brief said 0011; 0012 and 0013 were on main when this was merged with it)
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import yaosu.db.base


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sandbox_product',
    sa.Column('product_id', sa.String(length=26), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('dataset_id', sa.String(length=26), nullable=False),
    sa.Column('rule', sa.JSON(), nullable=False),
    sa.Column('rule_hash', sa.String(length=64), nullable=False),
    sa.Column('key_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dataset_id'], ['node_dataset.id'], name=op.f('fk_sandbox_product_dataset_id_node_dataset')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_sandbox_product_product_id_product')),
    sa.PrimaryKeyConstraint('product_id', name=op.f('pk_sandbox_product'))
    )
    with op.batch_alter_table('sandbox_product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sandbox_product_dataset_id'), ['dataset_id'], unique=False)

    op.create_table('sandbox_allowance',
    sa.Column('order_id', sa.String(length=26), nullable=False),
    sa.Column('used_count', sa.BigInteger(), nullable=False),
    sa.Column('used_epsilon', sa.Float(), nullable=False),
    sa.Column('updated_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['market_order.id'], name=op.f('fk_sandbox_allowance_order_id_market_order')),
    sa.PrimaryKeyConstraint('order_id', name=op.f('pk_sandbox_allowance'))
    )
    op.create_table('sandbox_usage',
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('order_id', sa.String(length=26), nullable=False),
    sa.Column('product_id', sa.String(length=26), nullable=False),
    sa.Column('buyer_party_id', sa.String(length=26), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('text_hash', sa.String(length=64), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=True),
    sa.Column('rows', sa.BigInteger(), nullable=False),
    sa.Column('units', sa.BigInteger(), nullable=False),
    sa.Column('epsilon', sa.Float(), nullable=False),
    sa.Column('created_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['buyer_party_id'], ['party.id'], name=op.f('fk_sandbox_usage_buyer_party_id_party')),
    sa.ForeignKeyConstraint(['order_id'], ['market_order.id'], name=op.f('fk_sandbox_usage_order_id_market_order')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_sandbox_usage_product_id_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sandbox_usage'))
    )
    with op.batch_alter_table('sandbox_usage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sandbox_usage_buyer_party_id'), ['buyer_party_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sandbox_usage_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sandbox_usage_product_id'), ['product_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('sandbox_usage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sandbox_usage_product_id'))
        batch_op.drop_index(batch_op.f('ix_sandbox_usage_order_id'))
        batch_op.drop_index(batch_op.f('ix_sandbox_usage_buyer_party_id'))

    op.drop_table('sandbox_usage')
    op.drop_table('sandbox_allowance')
    with op.batch_alter_table('sandbox_product', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sandbox_product_dataset_id'))

    op.drop_table('sandbox_product')
