"""ledger cosignatures: witness cosignature/v1 lines over checkpoints, append-only; the tree head row always exists

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import yaosu.db.base

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

TABLE = 'ledger_cosignature'


def upgrade() -> None:
    # appends lock the head row; with no row yet, the first two writers would both try to insert it
    # (the root of the empty tree is SHA-256 of nothing)
    op.execute("INSERT INTO ledger_head (id, size, root_hash, frontier) SELECT 1, 0, "
               "'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', '' "
               "WHERE NOT EXISTS (SELECT 1 FROM ledger_head WHERE id = 1)")
    op.create_table(TABLE,
    sa.Column('size', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('witness', sa.String(length=200), nullable=False),
    sa.Column('timestamp', sa.BigInteger(), nullable=False),
    sa.Column('line', sa.Text(), nullable=False),
    sa.Column('created_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['size'], ['ledger_checkpoint.size'], name=op.f('fk_ledger_cosignature_size_ledger_checkpoint')),
    sa.PrimaryKeyConstraint('size', 'witness', name=op.f('pk_ledger_cosignature'))
    )
    if op.get_bind().dialect.name == 'postgresql':  # ledger_append_only() comes from revision 0002
        op.execute(f'CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} '
                   'FOR EACH ROW EXECUTE FUNCTION ledger_append_only()')
        op.execute(f'CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} '
                   'FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only()')
    else:
        for verb in ('UPDATE', 'DELETE'):
            op.execute(f'CREATE TRIGGER {TABLE}_no_{verb.lower()} BEFORE {verb} ON {TABLE} '
                       f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f'DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}')
        op.execute(f'DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}')
    op.drop_table(TABLE)
