"""Pydantic shapes at the edges for vault datasets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class DatasetRead(BaseModel):
    """A dataset as shown to its owner and the operator: metadata, never values."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    owner_party_id: str
    name: str
    source: str
    content_hash: str
    hash_scheme: str
    schema_fields: list[dict[str, Any]]
    row_count: int
    byte_size: int
    master_key_id: str
    created_at: datetime
