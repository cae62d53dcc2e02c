"""Negotiation, auction, bid and price-history requests and responses (API and CLI edges)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class NegotiationRequest(BaseModel):
    """A buyer asks to negotiate a listed product priced `negotiated`, optionally proposing a price."""

    model_config = ConfigDict(extra="forbid")
    product_id: str = Field(min_length=1, max_length=26)
    price: int | None = Field(default=None, gt=0, le=10**12)
    usage: dict[str, int] = Field(default_factory=dict, max_length=4)
    purpose: str = Field(min_length=1, max_length=500)  # 使用目的: goes into the order's contract
    note: str = Field(default="", max_length=500)


class NegotiationMessage(BaseModel):
    """A Dataspace Protocol message: request (counter-offer), offer, accept, agree, verify, finalize, terminate."""

    model_config = ConfigDict(extra="forbid")
    message: Literal["request", "offer", "accept", "agree", "verify", "finalize", "terminate"]
    price: int | None = Field(default=None, gt=0, le=10**12)
    note: str = Field(default="", max_length=500)


class NegotiationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    product_id: str
    consumer_party_id: str
    provider_party_id: str
    state: str
    price: int | None
    usage: dict[str, Any]
    purpose: str
    note: str
    agreed_at: datetime | None
    order_id: str | None
    updated_at: datetime


class AuctionCreate(BaseModel):
    """The lister opens an auction of its listed product."""

    model_config = ConfigDict(extra="forbid")
    product_id: str = Field(min_length=1, max_length=26)
    kind: Literal["first_price", "second_price", "ascending"]
    reserve: int = Field(ge=0, le=10**12)
    increment: int = Field(default=1, gt=0, le=10**12)
    deadline: datetime


class AuctionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    product_id: str
    lister_party_id: str
    kind: str
    reserve: int
    increment: int
    deadline: datetime
    status: str
    winner_party_id: str | None
    price: int | None
    reason: str
    order_id: str | None
    closed_at: datetime | None


class BidCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    amount: int = Field(gt=0, le=10**12)
    purpose: str = Field(min_length=1, max_length=500)  # 使用目的: goes into the contract if the bid wins


class BidRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    auction_id: str
    bidder_party_id: str
    amount: int
    status: str
    placed_at: datetime


class PricePointRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    source: str
    price: int
    reference: str
