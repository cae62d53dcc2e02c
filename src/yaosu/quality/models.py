"""A signed quality assessment recorded on a resource version: scores and A/B counts, never a value."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yaosu.db.base import Base, created_column, id_column


class QualityAssessment(Base):
    """An assessor's Ed25519-signed GB/T 36344 assessment of one resource version."""

    __tablename__ = "quality_assessment"

    id: Mapped[str] = id_column()
    resource_id: Mapped[str] = mapped_column(ForeignKey("resource.id"), index=True)
    version_number: Mapped[int] = mapped_column(Integer)
    assessor_party_id: Mapped[str] = mapped_column(ForeignKey("party.id"), index=True)
    rows: Mapped[int]
    overall: Mapped[float | None] = mapped_column(Float)
    document: Mapped[dict[str, Any]]  # exactly what was signed (canonical JSON of it)
    signature: Mapped[str] = mapped_column(String(128))  # base64 Ed25519 signature
    public_key_pem: Mapped[str] = mapped_column(Text)
    key_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = created_column()
