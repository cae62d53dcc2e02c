"""Pydantic shapes at the edges for parties, users and tokens."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from yaosu.auth.roles import PartyKind, Role


class PartyCreate(BaseModel):
    kind: PartyKind
    name: str = Field(min_length=1, max_length=200)
    uscc: str | None = Field(default=None, description="unified social credit code (organizations)")
    region: str = Field(default="CN", pattern=r"^CN(-[0-9A-Z]{2,6})*$")
    roles: list[Role] = Field(min_length=1)


class PartyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    kind: str
    name: str
    uscc: str | None
    region: str
    status: str
    roles: list[str] = Field(validation_alias="role_list")
    created_at: datetime


class UserCreate(BaseModel):
    party_id: str
    username: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    display_name: str = Field(min_length=1, max_length=100)
    password: str | None = Field(default=None, min_length=10, max_length=256)


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    party_id: str
    username: str
    display_name: str
    is_active: bool
    created_at: datetime


class TokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    days: int | None = Field(default=90, ge=1, le=3650)


class TokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenRead):
    token: str = Field(description="shown once; only its hash is kept")


class KeyCreate(BaseModel):
    """An Ed25519 public key (raw 32 bytes as 64 hex digits) the party's people sign contracts with."""

    model_config = ConfigDict(extra="forbid")
    public_key: str = Field(min_length=64, max_length=64)
    label: str = Field(default="", max_length=100)


class KeyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    party_id: str
    public_key: str
    label: str
    created_at: datetime
    revoked_at: datetime | None
