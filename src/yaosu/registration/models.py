"""Registrations, objections against them, certificates, and yearly number sequences."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yaosu.db.base import Base, created_column, id_column


class Registration(Base):
    """An application to register something about a resource, through notice to a decision."""

    __tablename__ = "registration"

    id: Mapped[str] = id_column()
    kind: Mapped[str] = mapped_column(String(16))
    resource_id: Mapped[str] = mapped_column(ForeignKey("resource.id"), index=True)
    applicant_party_id: Mapped[str] = mapped_column(ForeignKey("party.id"), index=True)
    right_id: Mapped[str | None] = mapped_column(ForeignKey("data_right.id"))  # licence / transfer
    certificate_id: Mapped[str | None] = mapped_column(String(26))  # change / cancellation / objection target
    details: Mapped[dict[str, Any]]  # kind-specific: changed fields, statement, evidence hashes
    status: Mapped[str] = mapped_column(String(16), default="submitted", index=True)
    submitted_at: Mapped[datetime] = created_column()
    notice_starts_at: Mapped[datetime | None]
    notice_ends_at: Mapped[datetime | None] = mapped_column(index=True)
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(String(1000), default="")


class Objection(Base):
    """异议: any party may object during notice (or against a certificate), with reasons and evidence."""

    __tablename__ = "objection"

    id: Mapped[str] = id_column()
    registration_id: Mapped[str] = mapped_column(ForeignKey("registration.id"), index=True)
    party_id: Mapped[str] = mapped_column(ForeignKey("party.id"), index=True)
    reasons: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list[dict[str, Any]]]  # [{"name":..., "sha256":..., "note":...}]
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    decision_note: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = created_column()
    decided_at: Mapped[datetime | None]


class Certificate(Base):
    """登记证书: the signed document (RFC 8785 JSON) and its Ed25519 signature."""

    __tablename__ = "certificate"

    id: Mapped[str] = id_column()
    number: Mapped[str] = mapped_column(String(32), unique=True)
    registration_id: Mapped[str] = mapped_column(ForeignKey("registration.id"), index=True)
    resource_id: Mapped[str] = mapped_column(ForeignKey("resource.id"), index=True)
    holder_party_id: Mapped[str] = mapped_column(ForeignKey("party.id"), index=True)
    document: Mapped[str] = mapped_column(Text)  # canonical JSON that the signature covers
    signature: Mapped[str] = mapped_column(String(128))  # base64 Ed25519
    key_id: Mapped[str] = mapped_column(String(16))
    issued_at: Mapped[datetime]
    valid_until: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="valid", index=True)
    revoked_at: Mapped[datetime | None]
    revocation_reason: Mapped[str] = mapped_column(String(500), default="")


class NumberSequence(Base):
    """Per-prefix, per-year counters for human registration numbers (YS-DR-2026-000123)."""

    __tablename__ = "number_sequence"
    __table_args__ = (UniqueConstraint("prefix", "year"),)

    id: Mapped[str] = id_column()
    prefix: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[int] = mapped_column(Integer, default=0)
