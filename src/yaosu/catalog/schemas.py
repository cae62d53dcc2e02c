"""Pydantic shapes at the edges for the catalog: the search query and a page of results."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from yaosu.resources.enums import DOMAINS, Classification, Grade, OpenCondition

MAX_QUERY_CHARS = 100
MAX_QUERY_TERMS = 30
MAX_PAGE = 10_000


class CatalogQuery(BaseModel):
    """Keywords (any mix of Chinese and Latin, no spaces needed) and filters; all conditions must hold."""

    q: str = Field(default="", max_length=MAX_QUERY_CHARS, description="keywords; empty: filters only")
    domain: str | None = Field(default=None, description="industry domain code, e.g. transport")
    classification: Classification | None = None
    grade: Grade | None = None
    open_condition: OpenCondition | None = None
    holder_party_id: str | None = Field(default=None, max_length=26)
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    page_size: int = Field(default=20, ge=1, le=100)

    @field_validator("q")
    @classmethod
    def _strip(cls, v: str) -> str:
        return v.strip()

    @field_validator("domain")
    @classmethod
    def _domain(cls, v: str | None) -> str | None:
        if v is not None and v not in DOMAINS:
            raise ValueError(f"unknown domain; one of: {', '.join(DOMAINS)}")
        return v


class CatalogItem(BaseModel):
    """One catalog entry: the resource's public metadata and its holder's name."""

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
    quality_overall: float | None = None  # the latest signed GB/T 36344 overall score, if any


class CatalogPage(BaseModel):
    """One page of results and the total number of matches (a lower bound when `total_exact` is false)."""

    items: list[CatalogItem]
    total: int
    page: int
    page_size: int
    total_exact: bool = Field(default=True, description="false: at least `total` matches (very common words)")
