"""market negotiations, auctions and bids

Revision ID: 0015
Revises: 0014
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import yaosu.db.base

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('market_auction',
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('product_id', sa.String(length=26), nullable=False),
    sa.Column('lister_party_id', sa.String(length=26), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('reserve', sa.BigInteger(), nullable=False),
    sa.Column('increment', sa.BigInteger(), nullable=False),
    sa.Column('deadline', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('winner_party_id', sa.String(length=26), nullable=True),
    sa.Column('price', sa.BigInteger(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('order_id', sa.String(length=26), nullable=True),
    sa.Column('closed_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['lister_party_id'], ['party.id'], name=op.f('fk_market_auction_lister_party_id_party')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_market_auction_product_id_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_market_auction'))
    )
    with op.batch_alter_table('market_auction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_market_auction_lister_party_id'), ['lister_party_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_market_auction_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_market_auction_status'), ['status'], unique=False)

    op.create_table('market_negotiation',
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('product_id', sa.String(length=26), nullable=False),
    sa.Column('consumer_party_id', sa.String(length=26), nullable=False),
    sa.Column('consumer_user_id', sa.String(length=26), nullable=True),
    sa.Column('provider_party_id', sa.String(length=26), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('price', sa.BigInteger(), nullable=True),
    sa.Column('usage', sa.JSON(), nullable=False),
    sa.Column('purpose', sa.String(length=500), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('agreed_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('order_id', sa.String(length=26), nullable=True),
    sa.Column('created_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consumer_party_id'], ['party.id'], name=op.f('fk_market_negotiation_consumer_party_id_party')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_market_negotiation_product_id_product')),
    sa.ForeignKeyConstraint(['provider_party_id'], ['party.id'], name=op.f('fk_market_negotiation_provider_party_id_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_market_negotiation'))
    )
    with op.batch_alter_table('market_negotiation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_market_negotiation_consumer_party_id'), ['consumer_party_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_market_negotiation_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_market_negotiation_provider_party_id'), ['provider_party_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_market_negotiation_state'), ['state'], unique=False)

    op.create_table('market_bid',
    sa.Column('id', sa.String(length=26), nullable=False),
    sa.Column('auction_id', sa.String(length=26), nullable=False),
    sa.Column('bidder_party_id', sa.String(length=26), nullable=False),
    sa.Column('bidder_user_id', sa.String(length=26), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('purpose', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('placed_at', yaosu.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['auction_id'], ['market_auction.id'], name=op.f('fk_market_bid_auction_id_market_auction')),
    sa.ForeignKeyConstraint(['bidder_party_id'], ['party.id'], name=op.f('fk_market_bid_bidder_party_id_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_market_bid'))
    )
    with op.batch_alter_table('market_bid', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_market_bid_auction_id'), ['auction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_market_bid_bidder_party_id'), ['bidder_party_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('market_bid', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_market_bid_bidder_party_id'))
        batch_op.drop_index(batch_op.f('ix_market_bid_auction_id'))

    op.drop_table('market_bid')
    with op.batch_alter_table('market_negotiation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_market_negotiation_state'))
        batch_op.drop_index(batch_op.f('ix_market_negotiation_provider_party_id'))
        batch_op.drop_index(batch_op.f('ix_market_negotiation_product_id'))
        batch_op.drop_index(batch_op.f('ix_market_negotiation_consumer_party_id'))

    op.drop_table('market_negotiation')
    with op.batch_alter_table('market_auction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_market_auction_status'))
        batch_op.drop_index(batch_op.f('ix_market_auction_product_id'))
        batch_op.drop_index(batch_op.f('ix_market_auction_lister_party_id'))

    op.drop_table('market_auction')
