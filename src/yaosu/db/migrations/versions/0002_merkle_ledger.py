"""merkle ledger: leaf hashes, complete-subtree hashes, checkpoints, append-only triggers

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import yaosu.db.base

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

APPEND_ONLY = ('ledger_event', 'ledger_node', 'ledger_checkpoint')

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$
"""


def _create_triggers() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        op.execute(PG_FUNCTION)
        for table in APPEND_ONLY:
            op.execute(f'CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} '
                       'FOR EACH ROW EXECUTE FUNCTION ledger_append_only()')
            op.execute(f'CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} '
                       'FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only()')
    elif bind.dialect.name == 'sqlite':
        for table in APPEND_ONLY:
            for verb in ('UPDATE', 'DELETE'):
                op.execute(f'CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} '
                           f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")


def _drop_triggers() -> None:
    bind = op.get_bind()
    for table in APPEND_ONLY:
        if bind.dialect.name == 'postgresql':
            op.execute(f'DROP TRIGGER IF EXISTS {table}_append_only ON {table}')
            op.execute(f'DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}')
        elif bind.dialect.name == 'sqlite':
            op.execute(f'DROP TRIGGER IF EXISTS {table}_no_update')
            op.execute(f'DROP TRIGGER IF EXISTS {table}_no_delete')
    if bind.dialect.name == 'postgresql':
        op.execute('DROP FUNCTION IF EXISTS ledger_append_only()')


def _backfill() -> None:
    """Turn the events a hash-chain ledger already holds into Merkle leaves."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from yaosu.ledger import tree
    from yaosu.ledger.audit import leaf_of
    from yaosu.ledger.models import LedgerEvent

    session = Session(bind=op.get_bind())
    for row in session.scalars(select(LedgerEvent).order_by(LedgerEvent.seq)).all():
        leaf = leaf_of(row)
        row.leaf_hash = leaf.hex()
        tree.add_leaf(session, leaf)
    session.flush()
    tree.write_pending(session)
    session.close()


def upgrade() -> None:
    with op.batch_alter_table('ledger_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('leaf_hash', sa.String(length=64), nullable=False, server_default=''))
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('entry_hash')
    op.execute('DELETE FROM ledger_head')
    with op.batch_alter_table('ledger_head', schema=None) as batch_op:
        batch_op.add_column(sa.Column('root_hash', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('frontier', sa.Text(), nullable=False, server_default=''))
        batch_op.drop_column('head_hash')
    op.create_table('ledger_node',
    sa.Column('level', sa.SmallInteger(), autoincrement=False, nullable=False),
    sa.Column('idx', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('level', 'idx', name=op.f('pk_ledger_node'))
    )
    op.create_table('ledger_checkpoint',
    sa.Column('size', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('root_hash', sa.String(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('size', name=op.f('pk_ledger_checkpoint'))
    )
    _backfill()
    _create_triggers()


def downgrade() -> None:
    _drop_triggers()
    op.drop_table('ledger_checkpoint')
    op.drop_table('ledger_node')
    op.execute('DELETE FROM ledger_head')
    with op.batch_alter_table('ledger_head', schema=None) as batch_op:
        batch_op.add_column(sa.Column('head_hash', sa.String(length=64), nullable=False, server_default=''))
        batch_op.drop_column('frontier')
        batch_op.drop_column('root_hash')
    with op.batch_alter_table('ledger_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('entry_hash', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=False, server_default=''))
        batch_op.drop_column('leaf_hash')
