"""Negotiations and auctions on listed products (issue 7): the rows behind negotiated and auctioned prices."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from yaosu.db.base import Base, created_column, id_column


class Negotiation(Base):
    """A Dataspace Protocol contract negotiation between a buyer (consumer) and a product's lister (provider)."""

    __tablename__ = "market_negotiation"

    id: Mapped[str] = id_column()
    product_id: Mapped[str] = mapped_column(ForeignKey("product.id"), index=True)
    consumer_party_id: Mapped[str] = mapped_column(ForeignKey("party.id"), index=True)
    consumer_user_id: Mapped[str | None] = mapped_column(String(26))  # who requested: the order is theirs
    provider_party_id: Mapped[str] = mapped_column(ForeignKey("party.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    price: Mapped[int | None] = mapped_column(BigInteger)  # the price on the table (fen), fixed once AGREED
    usage: Mapped[dict[str, Any]]
    purpose: Mapped[str] = mapped_column(String(500))  # the buyer's purpose of use, into the order's contract
    note: Mapped[str] = mapped_column(String(500), default="")
    agreed_at: Mapped[datetime | None]
    order_id: Mapped[str | None] = mapped_column(String(26))
    created_at: Mapped[datetime] = created_column()
    updated_at: Mapped[datetime] = created_column()


class Auction(Base):
    """An auction of a listed product opened by its lister; closed after the deadline by anyone."""

    __tablename__ = "market_auction"

    id: Mapped[str] = id_column()
    product_id: Mapped[str] = mapped_column(ForeignKey("product.id"), index=True)
    lister_party_id: Mapped[str] = mapped_column(ForeignKey("party.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # first_price | second_price | ascending
    reserve: Mapped[int] = mapped_column(BigInteger)
    increment: Mapped[int] = mapped_column(BigInteger, default=1)  # ascending only
    deadline: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)  # open | sold | unsold
    winner_party_id: Mapped[str | None] = mapped_column(String(26))
    price: Mapped[int | None] = mapped_column(BigInteger)  # the clearing price (fen)
    reason: Mapped[str] = mapped_column(String(200), default="")
    order_id: Mapped[str | None] = mapped_column(String(26))
    closed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_column()


class Bid(Base):
    """A bid whose amount is held in the bidder's escrow from bidding until it loses, is outbid or wins."""

    __tablename__ = "market_bid"

    id: Mapped[str] = id_column()
    auction_id: Mapped[str] = mapped_column(ForeignKey("market_auction.id"), index=True)
    bidder_party_id: Mapped[str] = mapped_column(ForeignKey("party.id"), index=True)
    bidder_user_id: Mapped[str | None] = mapped_column(String(26))
    amount: Mapped[int] = mapped_column(BigInteger)
    purpose: Mapped[str] = mapped_column(String(500))  # the bidder's purpose of use, into the contract if it wins
    status: Mapped[str] = mapped_column(String(16), default="held")  # held | released | won
    placed_at: Mapped[datetime] = created_column()
