"""Pydantic shapes at the edges for rights and succession."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from yaosu.rights.enums import ACTIONS, ANY, SuccessionEvent

_REGION = r"^(\*|CN(-[0-9A-Z]{2,6})*)$"


def _clean(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v.strip()))


class GrantCreate(BaseModel):
    """A licence of part of a right to another party."""

    to_party_id: str
    purposes: list[str] = Field(min_length=1, max_length=20)
    actions: list[str] = Field(min_length=1, max_length=len(ACTIONS) + 1)
    regions: list[str] = Field(default_factory=lambda: ["CN"], min_length=1, max_length=40)
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    exclusive: bool = False

    @field_validator("purposes")
    @classmethod
    def _purposes(cls, v: list[str]) -> list[str]:
        cleaned = _clean(v)
        if any(len(p) > 100 for p in cleaned):
            raise ValueError("a purpose is at most 100 characters")
        return cleaned

    @field_validator("actions")
    @classmethod
    def _actions(cls, v: list[str]) -> list[str]:
        cleaned = _clean(v)
        unknown = [a for a in cleaned if a not in ACTIONS and a != ANY]
        if unknown:
            raise ValueError(f"unknown actions {unknown}; known: {', '.join(ACTIONS)}")
        return cleaned

    @field_validator("regions")
    @classmethod
    def _regions(cls, v: list[str]) -> list[str]:
        import re

        cleaned = _clean(v)
        bad = [r for r in cleaned if not re.match(_REGION, r)]
        if bad:
            raise ValueError(f"regions must look like CN, CN-44, CN-44-03 or *: {bad}")
        return cleaned

    @model_validator(mode="after")
    def _term(self) -> GrantCreate:
        for name in ("valid_from", "valid_until"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValueError(f"{name} needs a timezone (e.g. 2027-01-01T00:00:00+08:00)")
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValueError("valid_until must be after valid_from")
        return self


class TransferCreate(BaseModel):
    to_party_id: str
    reason: str = Field(default="", max_length=500)


class RevokeRequest(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class SuccessorShare(BaseModel):
    party_id: str
    share_bp: int = Field(gt=0, le=10_000, description="share in basis points; all successors sum to 10000")


class SuccessionCreate(BaseModel):
    """A merger, split, dissolution or bankruptcy: rights and duties pass to the successors."""

    party_id: str
    event: SuccessionEvent
    successors: list[SuccessorShare] = Field(min_length=1, max_length=50)
    reason: str = Field(default="", max_length=500)

    @model_validator(mode="after")
    def _shape(self) -> SuccessionCreate:
        ids = [s.party_id for s in self.successors]
        if len(set(ids)) != len(ids):
            raise ValueError("a successor is listed twice")
        if self.party_id in ids:
            raise ValueError("a party cannot succeed itself")
        if sum(s.share_bp for s in self.successors) != 10_000:
            raise ValueError("successor shares must sum to 10000 basis points")
        if self.event == SuccessionEvent.MERGER and len(ids) != 1:
            raise ValueError("a merger has exactly one successor (the surviving or new company)")
        if self.event == SuccessionEvent.SPLIT and len(ids) < 2:
            raise ValueError("a split has at least two successors")
        return self


class RightRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    kind: str
    subject_type: str
    subject_id: str
    holder_party_id: str
    purposes: list[str]
    actions: list[str]
    regions: list[str]
    valid_from: datetime
    valid_until: datetime | None
    exclusive: bool
    share_bp: int
    origin: str
    parent_id: str | None
    status: str
    status_reason: str
    created_at: datetime
    ended_at: datetime | None


class SuccessionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    party_id: str
    event: str
    successors: list[str]
    reason: str
    created_at: datetime
