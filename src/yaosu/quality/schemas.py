"""Signed assessment shapes at the edges: what `quality.record_assessment` takes and what the API returns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class AssessmentSubmit(BaseModel):
    """A signed assessment document, the base64 signature and the assessor's PEM public key."""

    model_config = ConfigDict(extra="forbid")

    document: dict[str, Any]
    signature: str = Field(min_length=80, max_length=128)
    public_key_pem: str = Field(min_length=40, max_length=400)


class AssessmentRead(BaseModel):
    """A recorded signed assessment."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    resource_id: str
    version_number: int
    assessor_party_id: str
    rows: int
    overall: float | None
    document: dict[str, Any]
    signature: str
    public_key_pem: str
    key_id: str
    created_at: datetime
