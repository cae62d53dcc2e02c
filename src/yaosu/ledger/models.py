"""The ledger's tables: events (the Merkle leaves), complete-subtree hashes, the tree head and checkpoints."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yaosu.db.base import Base


class LedgerEvent(Base):
    """One recorded event, leaf `seq - 1` of the log; `leaf_hash` = RFC 9162 leaf hash of `document()`."""

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
    leaf_hash: Mapped[str] = mapped_column(String(64))

    @property
    def index(self) -> int:
        """The leaf index (0-based) of this event in the Merkle log."""
        return self.seq - 1

    def document(self) -> dict[str, Any]:
        """The fields the leaf hash covers, as a JSON-ready dict."""
        return event_document({c.key: getattr(self, c.key) for c in self.__table__.columns})


def event_document(row: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of an event row (column name -> value) that its leaf hash covers, as a JSON-ready dict."""
    return {
        "seq": row["seq"], "id": row["id"], "type": row["type"],
        "actor": {"party": row["actor_party_id"], "user": row["actor_user_id"]},
        "subject": {"type": row["subject_type"], "id": row["subject_id"]},
        "payload_sha256": hashlib.sha256(row["payload"].encode()).hexdigest(),
        "time": row["created_at"].isoformat(),
    }


class LedgerNode(Base):
    """The hash of a complete subtree above the leaves: level >= 1, leaves [idx * 2**level, (idx+1) * 2**level)."""

    __tablename__ = "ledger_node"

    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    idx: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(String(64))


class LedgerHead(Base):
    """A single row locked by every append: tree size, root and frontier (hex subtree roots, largest first)."""

    __tablename__ = "ledger_head"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    size: Mapped[int] = mapped_column(BigInteger)
    root_hash: Mapped[str] = mapped_column(String(64))
    frontier: Mapped[str] = mapped_column(Text)


class LedgerCheckpoint(Base):
    """A signed tree head: the C2SP signed note over (origin, size, root)."""

    __tablename__ = "ledger_checkpoint"

    size: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    root_hash: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class LedgerCosignature(Base):
    """A witness's cosignature/v1 over a stored checkpoint (c2sp.org/tlog-cosignature): one signature line."""

    __tablename__ = "ledger_cosignature"

    size: Mapped[int] = mapped_column(ForeignKey("ledger_checkpoint.size"), primary_key=True, autoincrement=False)
    witness: Mapped[str] = mapped_column(String(200), primary_key=True)
    timestamp: Mapped[int] = mapped_column(BigInteger)  # POSIX seconds, as signed by the witness
    line: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
