"""market: products with their source lineage, and listing decisions

Revision ID: 0007
Revises: 0006
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import yaosu.db.base

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('product',
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('lister_party_id', sa.String(length=26), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('pricing', sa.JSON(), nullable=False),
    sa.Column('split_rule', sa.JSON(), nullable=False),
    sa.Column('current_version', sa.Integer(), nullable=False),
    sa.Column('consent_basis', sa.String(length=500), nullable=True),
    sa.Column('security_assessment', sa.String(length=200), nullable=True),
    sa.Column('declaration_signed_by', sa.String(length=26), nullable=True),
    sa.Column('declaration_hash', sa.String(length=64), nullable=True),
    sa.Column('created_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['lister_party_id'], ['party.id'], name=op.f('fk_product_lister_party_id_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product'))
    )
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_lister_party_id'), ['lister_party_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_status'), ['status'], unique=False)

    op.create_table('listing_decision',
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('product_id', sa.String(length=26), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=8), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('rule', sa.String(length=80), nullable=True),
    sa.Column('rules_version', sa.String(length=80), nullable=True),
    sa.Column('resource_id', sa.String(length=26), nullable=True),
    sa.Column('reviewer_user_id', sa.String(length=26), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('fix', sa.String(length=300), nullable=False),
    sa.Column('created_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_listing_decision_product_id_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_decision'))
    )
    with op.batch_alter_table('listing_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listing_decision_product_id'), ['product_id'], unique=False)

    op.create_table('product_source',
    sa.Column('product_id', sa.String(length=26), nullable=False),
    sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('resource_id', sa.String(length=26), nullable=False),
    sa.Column('resource_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_product_source_product_id_product')),
    sa.ForeignKeyConstraint(['resource_id'], ['resource.id'], name=op.f('fk_product_source_resource_id_resource')),
    sa.PrimaryKeyConstraint('product_id', 'version', 'resource_id', name=op.f('pk_product_source'))
    )
    with op.batch_alter_table('product_source', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_source_resource_id'), ['resource_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('product_source', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_source_resource_id'))

    op.drop_table('product_source')
    with op.batch_alter_table('listing_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listing_decision_product_id'))

    op.drop_table('listing_decision')
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_status'))
        batch_op.drop_index(batch_op.f('ix_product_lister_party_id'))

    op.drop_table('product')
