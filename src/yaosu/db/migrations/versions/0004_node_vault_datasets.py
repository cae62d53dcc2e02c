"""node vault: datasets ingested into the encrypted vault (metadata; rows stay in the encrypted file)

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import yaosu.db.base

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('node_dataset',
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('owner_party_id', sa.String(length=26), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('hash_scheme', sa.String(length=32), nullable=False),
    sa.Column('schema_fields', sa.JSON(), nullable=False),
    sa.Column('row_count', sa.BigInteger(), nullable=False),
    sa.Column('byte_size', sa.BigInteger(), nullable=False),
    sa.Column('master_key_id', sa.String(length=32), nullable=False),
    sa.Column('created_by_user_id', sa.String(length=26), nullable=True),
    sa.Column('created_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_party_id'], ['party.id'], name=op.f('fk_node_dataset_owner_party_id_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_node_dataset'))
    )
    with op.batch_alter_table('node_dataset', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_node_dataset_content_hash'), ['content_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_node_dataset_owner_party_id'), ['owner_party_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('node_dataset', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_node_dataset_owner_party_id'))
        batch_op.drop_index(batch_op.f('ix_node_dataset_content_hash'))

    op.drop_table('node_dataset')
