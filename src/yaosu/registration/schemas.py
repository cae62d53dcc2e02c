# stand-in until the registration branch is merged
"""Pydantic shapes of registration requests, and the result shapes of the operator's work."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field

from yaosu.registration.enums import RegistrationKind
from yaosu.registration.models import Certificate, Objection, Registration


class RegistrationCreate(BaseModel):
    kind: RegistrationKind
    resource_id: str
    right_id: str | None = None
    certificate_id: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)


class EvidenceItem(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    note: str = Field(default="", max_length=500)


class ObjectionCreate(BaseModel):
    reasons: str = Field(min_length=2, max_length=5000)
    evidence: list[EvidenceItem] = Field(default_factory=list)


@dataclass(frozen=True)
class OperatorQueue:
    submitted: list[Registration] = field(default_factory=list)
    in_notice: list[Registration] = field(default_factory=list)
    open_objections: list[Objection] = field(default_factory=list)


@dataclass(frozen=True)
class FinalizeReport:
    certified: list[Certificate] = field(default_factory=list)
    rejected: list[Registration] = field(default_factory=list)
    waiting: list[Registration] = field(default_factory=list)
