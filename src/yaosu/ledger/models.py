"""Append-only event rows linked by a SHA-256 hash chain (the ledger issue makes it a Merkle log)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yaosu.db.base import Base


class LedgerEvent(Base):
    """One recorded event; `entry_hash` = SHA-256(prev_hash || canonical JSON of the entry)."""

    __tablename__ = "ledger_event"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(String(26), unique=True)
    type: Mapped[str] = mapped_column(String(64), index=True)
    actor_party_id: Mapped[str | None] = mapped_column(String(26), index=True)
    actor_user_id: Mapped[str | None] = mapped_column(String(26))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    payload: Mapped[str] = mapped_column(Text)  # RFC 8785 canonical JSON
    created_at: Mapped[datetime]
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))

    def document(self) -> dict[str, Any]:
        """The fields the hash covers, as a JSON-ready dict."""
        return {
            "seq": self.seq, "id": self.id, "type": self.type,
            "actor": {"party": self.actor_party_id, "user": self.actor_user_id},
            "subject": {"type": self.subject_type, "id": self.subject_id},
            "payload_sha256": _sha(self.payload.encode()),
            "time": self.created_at.isoformat(),
        }


class LedgerHead(Base):
    """A single row locked by every append so sequence numbers never race (PostgreSQL FOR UPDATE)."""

    __tablename__ = "ledger_head"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    size: Mapped[int] = mapped_column(BigInteger)
    head_hash: Mapped[str] = mapped_column(String(64))


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
