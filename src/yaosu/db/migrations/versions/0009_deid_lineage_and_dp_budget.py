"""de-identification in the vault: derived-dataset lineage, DP budgets and releases

Follows the scan reports' 0005.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 12:40:01.823378
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import yaosu.db.base

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('node_dataset_lineage',
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('dataset_id', sa.String(length=26), nullable=False),
    sa.Column('source_dataset_id', sa.String(length=26), nullable=False),
    sa.Column('source_content_hash', sa.String(length=64), nullable=False),
    sa.Column('operation', sa.String(length=16), nullable=False),
    sa.Column('parameters_hash', sa.String(length=64), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('report', sa.JSON(), nullable=False),
    sa.Column('key_id', sa.String(length=64), nullable=True),
    sa.Column('resource_id', sa.String(length=26), nullable=True),
    sa.Column('resource_version', sa.Integer(), nullable=True),
    sa.Column('actor_party_id', sa.String(length=26), nullable=False),
    sa.Column('actor_user_id', sa.String(length=26), nullable=True),
    sa.Column('created_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_party_id'], ['party.id'], name=op.f('fk_node_dataset_lineage_actor_party_id_party')),
    sa.ForeignKeyConstraint(['dataset_id'], ['node_dataset.id'], name=op.f('fk_node_dataset_lineage_dataset_id_node_dataset')),
    sa.ForeignKeyConstraint(['resource_id'], ['resource.id'], name=op.f('fk_node_dataset_lineage_resource_id_resource')),
    sa.ForeignKeyConstraint(['source_dataset_id'], ['node_dataset.id'], name=op.f('fk_node_dataset_lineage_source_dataset_id_node_dataset')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_node_dataset_lineage')),
    sa.UniqueConstraint('dataset_id', name=op.f('uq_node_dataset_lineage_dataset_id'))
    )
    with op.batch_alter_table('node_dataset_lineage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_node_dataset_lineage_source_dataset_id'), ['source_dataset_id'], unique=False)

    op.create_table('node_dp_budget',
    sa.Column('dataset_id', sa.String(length=26), nullable=False),
    sa.Column('epsilon', sa.Double(), nullable=False),
    sa.Column('spent_epsilon', sa.Double(), nullable=False),
    sa.Column('set_by_party_id', sa.String(length=26), nullable=False),
    sa.Column('updated_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dataset_id'], ['node_dataset.id'], name=op.f('fk_node_dp_budget_dataset_id_node_dataset')),
    sa.ForeignKeyConstraint(['set_by_party_id'], ['party.id'], name=op.f('fk_node_dp_budget_set_by_party_id_party')),
    sa.PrimaryKeyConstraint('dataset_id', name=op.f('pk_node_dp_budget'))
    )
    op.create_table('node_dp_release',
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('dataset_id', sa.String(length=26), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('column', sa.String(length=200), nullable=True),
    sa.Column('spec', sa.JSON(), nullable=False),
    sa.Column('epsilon', sa.Double(), nullable=False),
    sa.Column('delta', sa.Double(), nullable=False),
    sa.Column('scale', sa.Double(), nullable=False),
    sa.Column('accuracy', sa.Double(), nullable=False),
    sa.Column('alpha', sa.Double(), nullable=False),
    sa.Column('mechanism', sa.String(length=32), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('actor_party_id', sa.String(length=26), nullable=False),
    sa.Column('actor_user_id', sa.String(length=26), nullable=True),
    sa.Column('created_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_party_id'], ['party.id'], name=op.f('fk_node_dp_release_actor_party_id_party')),
    sa.ForeignKeyConstraint(['dataset_id'], ['node_dataset.id'], name=op.f('fk_node_dp_release_dataset_id_node_dataset')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_node_dp_release'))
    )
    with op.batch_alter_table('node_dp_release', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_node_dp_release_dataset_id'), ['dataset_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('node_dp_release', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_node_dp_release_dataset_id'))

    op.drop_table('node_dp_release')
    op.drop_table('node_dp_budget')
    with op.batch_alter_table('node_dataset_lineage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_node_dataset_lineage_source_dataset_id'))

    op.drop_table('node_dataset_lineage')
