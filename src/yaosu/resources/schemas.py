"""Pydantic shapes at the edges for resources."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from yaosu.resources.enums import DOMAINS, Classification, Grade, OpenCondition, UpdateFrequency

_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class SchemaField(BaseModel):
    name: str = Field(min_length=1, max_length=128)
    type: str = Field(min_length=1, max_length=64)
    description: str = Field(default="", max_length=500)


class VersionCreate(BaseModel):
    content_hash: str = Field(description="SHA-256 of the content, lower-case hex")
    schema_fields: list[SchemaField] = Field(default_factory=list, max_length=2000)
    row_count: int = Field(ge=0)

    @field_validator("content_hash")
    @classmethod
    def _hex(cls, v: str) -> str:
        v = v.lower()
        if not _HEX64.match(v):
            raise ValueError("must be 64 lower-case hex characters (SHA-256)")
        return v


class ResourceMeta(BaseModel):
    """Descriptive metadata shared by create and change."""

    title: str = Field(min_length=2, max_length=200)
    description: str = Field(default="", max_length=5000)
    domain: str = Field(description="industry domain code, e.g. transport, finance")
    source_system: str = Field(default="", max_length=200)
    update_frequency: UpdateFrequency = UpdateFrequency.ONCE
    time_span_start: date | None = None
    time_span_end: date | None = None
    tags: list[str] = Field(default_factory=list, max_length=30)

    @field_validator("domain")
    @classmethod
    def _domain(cls, v: str) -> str:
        if v not in DOMAINS:
            raise ValueError(f"unknown domain; one of: {', '.join(DOMAINS)}")
        return v

    @field_validator("tags")
    @classmethod
    def _tags(cls, v: list[str]) -> list[str]:
        cleaned = [t.strip() for t in v if t.strip()]
        if any(len(t) > 40 for t in cleaned):
            raise ValueError("a tag is at most 40 characters")
        return list(dict.fromkeys(cleaned))

    @model_validator(mode="after")
    def _span(self) -> ResourceMeta:
        if self.time_span_start and self.time_span_end and self.time_span_end < self.time_span_start:
            raise ValueError("time_span_end is before time_span_start")
        return self


class ResourceDraft(ResourceMeta):
    """A new resource's metadata and declared classification, without its content."""

    classification: Classification
    grade: Grade
    level: int | None = Field(default=None, ge=1, le=4, description="general data level 1-4")
    open_condition: OpenCondition | None = None
    data_item_code: str | None = Field(default=None, max_length=64, pattern=r"^[0-9A-Za-z_.\-]+$")

    @model_validator(mode="after")
    def _grade_rules(self) -> ResourceDraft:
        if self.grade == Grade.GENERAL and self.level is None:
            raise ValueError("general data needs a level 1-4 (GB/T 43697 Annex H)")
        if self.grade != Grade.GENERAL and self.level is not None:
            raise ValueError("only general data has a level")
        if self.classification == Classification.PUBLIC:
            if self.open_condition is None:
                raise ValueError("public data needs an open_condition")
        elif self.open_condition is not None or self.data_item_code is not None:
            raise ValueError("open_condition and data_item_code apply to public data only")
        return self


class ResourceCreate(ResourceDraft):
    """A new resource with the hash, rows and schema of its first version."""

    version: VersionCreate


class DatasetRegistration(BaseModel):
    """Register a vault dataset: the node supplies the version's hash, rows and schema, and its scan."""

    dataset_id: str = Field(min_length=1, max_length=64)
    resource: ResourceDraft


class VersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    content_hash: str
    schema_fields: list[dict[str, Any]]
    row_count: int
    created_at: datetime


class ResourceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    holder_party_id: str
    title: str
    description: str
    domain: str
    source_system: str
    update_frequency: str
    time_span_start: date | None
    time_span_end: date | None
    tags: list[str]
    classification: str
    grade: str
    level: int | None
    open_condition: str | None
    data_item_code: str | None
    status: str
    current_version: int
    created_at: datetime
    updated_at: datetime
    versions: list[VersionRead]


class SourceConflictRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    item_code: str
    authoritative_resource_id: str
    claimant_resource_id: str
    status: str
    resolution_note: str
    created_at: datetime
