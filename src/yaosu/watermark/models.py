"""Fingerprinted deliveries: which recipient got which copy of which product, under which scheme and key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from yaosu.db.base import Base, created_column, id_column


class FingerprintedDelivery(Base):
    """带水印交付: one copy fingerprinted for one recipient; the spec says how to read its marks back."""

    __tablename__ = "watermark_delivery"

    id: Mapped[str] = id_column()
    product_id: Mapped[str] = mapped_column(ForeignKey("product.id"), index=True)
    order_id: Mapped[str | None] = mapped_column(ForeignKey("market_order.id"), index=True)  # None: operator's CLI
    recipient_party_id: Mapped[str] = mapped_column(ForeignKey("party.id"), index=True)
    dataset_id: Mapped[str | None] = mapped_column(String(26))  # the vault dataset it was made from, if any
    spec: Mapped[dict[str, Any]]  # FingerprintSpec.to_json()
    key_id: Mapped[str] = mapped_column(String(32))  # names the node's watermark key without revealing it
    file_name: Mapped[str] = mapped_column(String(200))
    file_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the delivered file's bytes
    rows: Mapped[int] = mapped_column(BigInteger)
    created_by_user_id: Mapped[str | None] = mapped_column(String(26))
    created_at: Mapped[datetime] = created_column()
