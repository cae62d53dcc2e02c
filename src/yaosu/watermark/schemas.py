"""API shapes: a delivery request and record, a trace verdict."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class DeliveryRequest(BaseModel):
    """The lister's declaration for a product's first fingerprinted delivery (omit it afterwards)."""

    model_config = ConfigDict(extra="forbid")
    tolerances: dict[str, float] = Field(default_factory=dict, max_length=256)
    key: list[str] | None = Field(default=None, max_length=16)
    decimals: dict[str, int] | None = Field(default=None, max_length=256)
    format: str = Field(default="parquet", pattern="^(parquet|csv)$")


class DeliveryRead(BaseModel):
    """A recorded fingerprinted delivery (never the key, never a value)."""

    model_config = ConfigDict(from_attributes=True)
    id: str
    product_id: str
    order_id: str | None
    recipient_party_id: str
    dataset_id: str | None
    key_id: str
    file_name: str
    file_hash: str
    rows: int
    created_at: datetime


class CandidateRead(BaseModel):
    recipient: str
    p_value: float
    matches: int
    checked: int


class TraceRead(BaseModel):
    """The verdict (`accused`: p < 1e-10), every candidate most suspicious first, and what was read."""

    accused: list[str]
    candidates: list[CandidateRead]
    suspect_sha256: str
    rows: int
    cells: int
    orders: dict[str, list[str]]
