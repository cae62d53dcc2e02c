"""resource scan reports: per-column entities and grading recorded on a resource version

Follows the vault's 0004.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 12:01:08.001275
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import yaosu.db.base

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('resource_scan',
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('resource_id', sa.String(length=26), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('recorded_by_party_id', sa.String(length=26), nullable=False),
    sa.Column('dataset', sa.String(length=200), nullable=False),
    sa.Column('rows', sa.BigInteger(), nullable=False),
    sa.Column('classification', sa.String(length=16), nullable=False),
    sa.Column('grade', sa.String(length=16), nullable=False),
    sa.Column('rules_version', sa.String(length=200), nullable=False),
    sa.Column('report', sa.JSON(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('created_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_party_id'], ['party.id'], name=op.f('fk_resource_scan_recorded_by_party_id_party')),
    sa.ForeignKeyConstraint(['resource_id'], ['resource.id'], name=op.f('fk_resource_scan_resource_id_resource')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_scan'))
    )
    with op.batch_alter_table('resource_scan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_scan_resource_id'), ['resource_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('resource_scan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_scan_resource_id'))

    op.drop_table('resource_scan')
