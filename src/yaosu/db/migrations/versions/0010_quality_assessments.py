"""quality assessments: signed GB/T 36344 scores recorded on a resource version

Parented on 0005 on the quality branch; the lead re-parents it at merge (0006 is another branch's).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 13:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import yaosu.db.base

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('quality_assessment',
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('resource_id', sa.String(length=26), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('assessor_party_id', sa.String(length=26), nullable=False),
    sa.Column('rows', sa.BigInteger(), nullable=False),
    sa.Column('overall', sa.Float(), nullable=True),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('signature', sa.String(length=128), nullable=False),
    sa.Column('public_key_pem', sa.Text(), nullable=False),
    sa.Column('key_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessor_party_id'], ['party.id'], name=op.f('fk_quality_assessment_assessor_party_id_party')),
    sa.ForeignKeyConstraint(['resource_id'], ['resource.id'], name=op.f('fk_quality_assessment_resource_id_resource')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_assessment'))
    )
    with op.batch_alter_table('quality_assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quality_assessment_assessor_party_id'), ['assessor_party_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quality_assessment_resource_id'), ['resource_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('quality_assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quality_assessment_resource_id'))
        batch_op.drop_index(batch_op.f('ix_quality_assessment_assessor_party_id'))

    op.drop_table('quality_assessment')
