"""Products built from resource versions, and every listing decision made about them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yaosu.db.base import Base, created_column, id_column


class Product(Base):
    """A data product offered by its lister: kind, pricing model, split rule, review status."""

    __tablename__ = "product"

    id: Mapped[str] = id_column()
    lister_party_id: Mapped[str] = mapped_column(ForeignKey("party.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16))  # dataset | api | sandbox | verification | model | report
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    pricing: Mapped[dict[str, Any]]
    split_rule: Mapped[list[dict[str, Any]]]
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    consent_basis: Mapped[str | None] = mapped_column(String(500))
    security_assessment: Mapped[str | None] = mapped_column(String(200))
    declaration_signed_by: Mapped[str | None] = mapped_column(String(26))  # the lister's user who signed
    declaration_hash: Mapped[str | None] = mapped_column(String(64))  # SHA-256 of the declaration text signed
    created_at: Mapped[datetime] = created_column()
    updated_at: Mapped[datetime] = created_column()


class ProductSource(Base):
    """Lineage: product version `version` is built from version `resource_version` of `resource_id`."""

    __tablename__ = "product_source"

    product_id: Mapped[str] = mapped_column(ForeignKey("product.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    resource_id: Mapped[str] = mapped_column(ForeignKey("resource.id"), primary_key=True, index=True)
    resource_version: Mapped[int] = mapped_column(Integer)


class ListingDecision(Base):
    """One decision on a product version: an automatic rule's finding or pass, or a reviewer's verdict."""

    __tablename__ = "listing_decision"

    id: Mapped[str] = id_column()
    product_id: Mapped[str] = mapped_column(ForeignKey("product.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(8))  # auto | manual
    outcome: Mapped[str] = mapped_column(String(16))  # refused | passed | approved | rejected
    rule: Mapped[str | None] = mapped_column(String(80))
    rules_version: Mapped[str | None] = mapped_column(String(80))
    resource_id: Mapped[str | None] = mapped_column(String(26))
    reviewer_user_id: Mapped[str | None] = mapped_column(String(26))
    reason: Mapped[str] = mapped_column(String(500))
    fix: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = created_column()


class Order(Base):
    """A buyer's order of a listed product at a quoted price, with its money held in escrow until accepted."""

    __tablename__ = "market_order"
    __table_args__ = (UniqueConstraint("buyer_party_id", "client_key"),)

    id: Mapped[str] = id_column()
    product_id: Mapped[str] = mapped_column(ForeignKey("product.id"), index=True)
    product_version: Mapped[int] = mapped_column(Integer)
    buyer_party_id: Mapped[str] = mapped_column(ForeignKey("party.id"), index=True)
    client_key: Mapped[str] = mapped_column(String(128))  # the buyer's idempotency key for placing it
    usage: Mapped[dict[str, Any]]
    price: Mapped[int] = mapped_column(BigInteger)  # fen
    split_rule: Mapped[list[dict[str, Any]]]  # fixed when the order is placed
    # escrowed | delivered | disputed | settled | cancelled | refunded
    status: Mapped[str] = mapped_column(String(16), index=True)
    delivery_note: Mapped[str] = mapped_column(String(500), default="")
    dispute_reason: Mapped[str | None] = mapped_column(String(500))
    dispute_resolution: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = created_column()
    updated_at: Mapped[datetime] = created_column()


class Demand(Base):
    """A buyer's posted need (供需撮合): what data, for what purpose, within what budget, by when."""

    __tablename__ = "market_demand"

    id: Mapped[str] = id_column()
    buyer_party_id: Mapped[str] = mapped_column(ForeignKey("party.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    domain: Mapped[str] = mapped_column(String(32), index=True)
    fields_wanted: Mapped[list[str]]
    purpose: Mapped[str] = mapped_column(String(500))
    budget: Mapped[int] = mapped_column(BigInteger)  # fen
    deadline: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)  # open | closed
    created_at: Mapped[datetime] = created_column()


class Offer(Base):
    """A lister's answer to a demand with one of its listed products at a price."""

    __tablename__ = "market_offer"
    __table_args__ = (UniqueConstraint("demand_id", "product_id"),)

    id: Mapped[str] = id_column()
    demand_id: Mapped[str] = mapped_column(ForeignKey("market_demand.id"), index=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("product.id"))
    provider_party_id: Mapped[str] = mapped_column(ForeignKey("party.id"), index=True)
    price: Mapped[int] = mapped_column(BigInteger)
    message: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | accepted | declined
    created_at: Mapped[datetime] = created_column()


class Contract(Base):
    """An order's contract: the document both parties sign (text + ODRL policy + terms), and their signatures."""

    __tablename__ = "market_contract"

    id: Mapped[str] = id_column()
    order_id: Mapped[str] = mapped_column(ForeignKey("market_order.id"), unique=True)
    document: Mapped[dict[str, Any]]
    hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the canonical document
    status: Mapped[str] = mapped_column(String(16), default="drafted")  # drafted | signed
    buyer_key_id: Mapped[str | None] = mapped_column(String(16))
    buyer_signature: Mapped[str | None] = mapped_column(String(100))  # base64 Ed25519
    provider_key_id: Mapped[str | None] = mapped_column(String(16))
    provider_signature: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = created_column()
    signed_at: Mapped[datetime | None]
