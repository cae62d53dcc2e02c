"""Pydantic shapes at the edges for registrations, objections and certificates."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from yaosu.canonical import canonical_json
from yaosu.registration.enums import RegistrationKind
from yaosu.registration.models import Certificate, Objection, Registration
from yaosu.resources.enums import UpdateFrequency

MAX_DETAIL_KEYS = 50
MAX_DETAIL_BYTES = 20 * 1024
MAX_EVIDENCE = 20
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def _bounded_details(value: dict[str, Any]) -> dict[str, Any]:
    """At most 50 keys and 20 KB of canonical JSON; only plain JSON values."""
    if len(value) > MAX_DETAIL_KEYS:
        raise ValueError(f"details may hold at most {MAX_DETAIL_KEYS} keys")
    try:
        size = len(canonical_json(value))
    except (ValueError, TypeError, RecursionError) as exc:
        raise ValueError(f"details must be plain JSON: {exc}") from None
    if size > MAX_DETAIL_BYTES:
        raise ValueError(f"details may be at most {MAX_DETAIL_BYTES} bytes as JSON, got {size}")
    return value


class RegistrationCreate(BaseModel):
    """An application: the kind, the resource, and the right or certificate it concerns."""

    model_config = ConfigDict(extra="forbid")

    kind: RegistrationKind
    resource_id: str = Field(min_length=1, max_length=26)
    right_id: str | None = Field(default=None, min_length=1, max_length=26,
                                 description="the right a licence or transfer registration records")
    certificate_id: str | None = Field(default=None, min_length=1, max_length=26,
                                       description="the certificate an objection registration targets")
    details: dict[str, Any] = Field(default_factory=dict,
                                    description="kind-specific: changed fields (change), reasons (objection)")

    @field_validator("details")
    @classmethod
    def _details(cls, v: dict[str, Any]) -> dict[str, Any]:
        return _bounded_details(v)


class ResourceChange(BaseModel):
    """The metadata a change registration may alter (same rules as when the resource was described)."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, min_length=2, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    tags: list[str] | None = Field(default=None, max_length=30)
    source_system: str | None = Field(default=None, max_length=200)
    update_frequency: UpdateFrequency | None = None

    @field_validator("tags")
    @classmethod
    def _tags(cls, v: list[str] | None) -> list[str] | None:
        if v is None:
            return None
        cleaned = [t.strip() for t in v if t.strip()]
        if any(len(t) > 40 for t in cleaned):
            raise ValueError("a tag is at most 40 characters")
        return list(dict.fromkeys(cleaned))


class EvidenceItem(BaseModel):
    """A piece of evidence named by the SHA-256 of its file (the file itself stays with the objector)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    sha256: str = Field(description="SHA-256 of the evidence file, 64 hex characters")
    note: str = Field(default="", max_length=500)

    @field_validator("sha256")
    @classmethod
    def _hex(cls, v: str) -> str:
        v = v.strip().lower()
        if not _HEX64.match(v):
            raise ValueError("must be 64 hex characters (SHA-256)")
        return v


class ObjectionCreate(BaseModel):
    """异议: reasons (1..5000 characters) and up to 20 evidence items."""

    model_config = ConfigDict(extra="forbid")

    reasons: str = Field(min_length=1, max_length=5000)
    evidence: list[EvidenceItem] = Field(default_factory=list, max_length=MAX_EVIDENCE)

    @field_validator("reasons")
    @classmethod
    def _reasons(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("reasons must not be blank")
        return v.strip()


class NoticeStart(BaseModel):
    """Body of POST /registrations/{id}/notice."""

    notice_days: int | None = Field(default=None, ge=0, le=365)


class RegistrationRejection(BaseModel):
    """Body of POST /registrations/{id}/reject."""

    note: str = Field(min_length=1, max_length=1000)


class ObjectionDecision(BaseModel):
    """Body of POST /objections/{id}/decision."""

    uphold: bool
    note: str = Field(min_length=1, max_length=1000)


class CertificateRevocation(BaseModel):
    """Body of POST /certificates/{id}/revoke."""

    reason: str = Field(min_length=1, max_length=500)


class RegistrationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    kind: str
    resource_id: str
    applicant_party_id: str
    right_id: str | None
    certificate_id: str | None
    details: dict[str, Any]
    status: str
    submitted_at: datetime
    notice_starts_at: datetime | None
    notice_ends_at: datetime | None
    decided_at: datetime | None
    decision_note: str


class ObjectionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    registration_id: str
    party_id: str
    reasons: str
    evidence: list[dict[str, Any]]
    status: str
    decision_note: str
    created_at: datetime
    decided_at: datetime | None


class CertificateRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    number: str
    registration_id: str
    resource_id: str
    holder_party_id: str
    key_id: str
    issued_at: datetime
    valid_until: datetime
    status: str
    revoked_at: datetime | None
    revocation_reason: str
    document: dict[str, Any] = Field(description="the signed document")
    signature: str = Field(description="base64 Ed25519 signature over the RFC 8785 form of `document`")

    @field_validator("document", mode="before")
    @classmethod
    def _parse(cls, v: Any) -> Any:
        return json.loads(v) if isinstance(v, str) else v


class FinalizeReport(BaseModel):
    """What one `finalize_due` run did (ORM rows; see FinalizeReportRead for the API)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    certified: list[Certificate] = Field(default_factory=list)
    rejected: list[Registration] = Field(default_factory=list)
    waiting: list[Registration] = Field(default_factory=list)
    concluded: list[Registration] = Field(
        default_factory=list,
        description="certified without a certificate: cancellations and upheld objection registrations")


class OperatorQueue(BaseModel):
    """The operator's work list (ORM rows; see OperatorQueueRead for the API)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    submitted: list[Registration] = Field(default_factory=list)
    in_notice: list[Registration] = Field(default_factory=list)
    open_objections: list[Objection] = Field(default_factory=list)


class FinalizeReportRead(BaseModel):
    certified: list[CertificateRead]
    rejected: list[RegistrationRead]
    waiting: list[RegistrationRead]
    concluded: list[RegistrationRead]

    @classmethod
    def of(cls, report: FinalizeReport) -> FinalizeReportRead:
        """Serialize a report of ORM rows."""
        return cls(certified=[CertificateRead.model_validate(c) for c in report.certified],
                   rejected=[RegistrationRead.model_validate(r) for r in report.rejected],
                   waiting=[RegistrationRead.model_validate(r) for r in report.waiting],
                   concluded=[RegistrationRead.model_validate(r) for r in report.concluded])


class OperatorQueueRead(BaseModel):
    submitted: list[RegistrationRead]
    in_notice: list[RegistrationRead]
    open_objections: list[ObjectionRead]

    @classmethod
    def of(cls, queue: OperatorQueue) -> OperatorQueueRead:
        """Serialize a queue of ORM rows."""
        return cls(submitted=[RegistrationRead.model_validate(r) for r in queue.submitted],
                   in_notice=[RegistrationRead.model_validate(r) for r in queue.in_notice],
                   open_objections=[ObjectionRead.model_validate(o) for o in queue.open_objections])
