"""Sandbox and verification products' configuration, each order's allowance spent, and the usage log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from yaosu.db.base import Base, created_column, id_column


class SandboxProduct(Base):
    """What a sandbox or verification product runs on: the node dataset, the analysis or verification rule."""

    __tablename__ = "sandbox_product"

    product_id: Mapped[str] = mapped_column(ForeignKey("product.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # sandbox | verification
    dataset_id: Mapped[str] = mapped_column(ForeignKey("node_dataset.id"), index=True)
    rule: Mapped[dict[str, Any]]
    rule_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the rule's canonical JSON
    key_id: Mapped[str] = mapped_column(String(64))  # which node key salts / keys it (label:fingerprint)
    created_at: Mapped[datetime] = created_column()


class Allowance(Base):
    """What an order has spent of its contract: calls (queries or records checked) and epsilon.

    Spending is one conditional UPDATE (`used + n <= limit`), so two concurrent queries cannot overspend.
    """

    __tablename__ = "sandbox_allowance"

    order_id: Mapped[str] = mapped_column(ForeignKey("market_order.id"), primary_key=True)
    used_count: Mapped[int] = mapped_column(BigInteger, default=0)
    used_epsilon: Mapped[float] = mapped_column(Float, default=0.0)
    updated_at: Mapped[datetime] = created_column()


class Usage(Base):
    """One query or batch of checks against an order: its text hash, the rule's decision, rows, what it cost."""

    __tablename__ = "sandbox_usage"

    id: Mapped[str] = id_column()
    order_id: Mapped[str] = mapped_column(ForeignKey("market_order.id"), index=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("product.id"), index=True)
    buyer_party_id: Mapped[str] = mapped_column(ForeignKey("party.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # query | check
    text_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the query text or of the batch
    decision: Mapped[str] = mapped_column(String(16))  # answered | refused
    code: Mapped[str | None] = mapped_column(String(64))  # the refusal's code
    rows: Mapped[int] = mapped_column(BigInteger, default=0)
    units: Mapped[int] = mapped_column(BigInteger, default=0)  # calls consumed (0 when refused)
    epsilon: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = created_column()
