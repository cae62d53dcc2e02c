# stand-in until the catalog branch is merged
"""Pydantic shapes of a catalog search: the query, one item, one page."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class CatalogQuery(BaseModel):
    q: str = Field(default="", max_length=200)
    domain: str | None = None
    classification: str | None = None
    grade: str | None = None
    open_condition: str | None = None
    holder_party_id: str | None = None
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=20, ge=1, le=100)


class CatalogItem(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    title: str
    description: str
    domain: str
    classification: str
    grade: str
    level: int | None
    open_condition: str | None
    holder_party_id: str
    holder_name: str
    status: str
    tags: list[str]
    updated_at: datetime


class CatalogPage(BaseModel):
    items: list[CatalogItem]
    total: int
    page: int
    page_size: int
