"""Datasets held in the node's vault: metadata only; the rows live encrypted in the vault file."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from yaosu.db.base import Base, created_column, id_column


class Dataset(Base):
    """数据集: one table ingested into the vault, owned by a party; its hash, schema and size."""

    __tablename__ = "node_dataset"

    id: Mapped[str] = id_column()
    owner_party_id: Mapped[str] = mapped_column(ForeignKey("party.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(500))  # where it came from, without credentials
    content_hash: Mapped[str] = mapped_column(String(64), index=True)  # scheme `hash_scheme`, see node/content.py
    hash_scheme: Mapped[str] = mapped_column(String(32))
    schema_fields: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    row_count: Mapped[int] = mapped_column(BigInteger)
    byte_size: Mapped[int] = mapped_column(BigInteger)  # of the encrypted file
    master_key_id: Mapped[str] = mapped_column(String(32))
    created_by_user_id: Mapped[str | None] = mapped_column(String(26))
    created_at: Mapped[datetime] = created_column()
