"""Parties (organizations and individuals), their roles, users and API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from yaosu.db.base import Base, created_column, id_column


class Party(Base):
    """主体: an organization (with its unified social credit code) or an individual."""

    __tablename__ = "party"

    id: Mapped[str] = id_column()
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200), index=True)
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    region: Mapped[str] = mapped_column(String(16), default="CN")
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime] = created_column()
    ended_at: Mapped[datetime | None]
    roles: Mapped[list[PartyRole]] = relationship(back_populates="party", cascade="all, delete-orphan",
                                                  lazy="selectin")

    def role_names(self) -> list[str]:
        return sorted(r.role for r in self.roles)

    @property
    def role_list(self) -> list[str]:
        return self.role_names()


class PartyRole(Base):
    __tablename__ = "party_role"

    party_id: Mapped[str] = mapped_column(ForeignKey("party.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    party: Mapped[Party] = relationship(back_populates="roles")


class PartySuccession(Base):
    """A merger, split, dissolution or bankruptcy, and to whom rights and duties passed."""

    __tablename__ = "party_succession"

    id: Mapped[str] = id_column()
    party_id: Mapped[str] = mapped_column(ForeignKey("party.id"), index=True)
    event: Mapped[str] = mapped_column(String(16))
    successors: Mapped[list[str]]  # "party_id:share_bp" entries
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = created_column()


class User(Base):
    """A person who logs in on behalf of a party."""

    __tablename__ = "app_user"

    id: Mapped[str] = id_column()
    party_id: Mapped[str] = mapped_column(ForeignKey("party.id"), index=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = created_column()


class ApiToken(Base):
    """An API token: only its SHA-256 is stored; the token itself is shown once."""

    __tablename__ = "api_token"
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: Mapped[str] = id_column()
    user_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = created_column()
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class PartyKey(Base):
    """A party's Ed25519 public key for signing contracts; the private key stays with the party."""

    __tablename__ = "party_key"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)  # first 16 hex of SHA-256 of the raw key
    party_id: Mapped[str] = mapped_column(ForeignKey("party.id"), index=True)
    public_key: Mapped[str] = mapped_column(String(64), unique=True)  # raw 32 bytes, hex
    label: Mapped[str] = mapped_column(String(100), default="")
    added_by: Mapped[str | None] = mapped_column(String(26))  # the user who registered it
    created_at: Mapped[datetime] = created_column()
    revoked_at: Mapped[datetime | None]
