"""The search index: one row per (term, resource), maintained by the resource services."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yaosu.db.base import Base
from yaosu.resources.models import Resource


class CatalogTerm(Base):
    """Resource `resource_id` contains index term `term` in its title, description or tags."""

    __tablename__ = "catalog_term"

    term: Mapped[str] = mapped_column(String(32), primary_key=True)
    resource_id: Mapped[str] = mapped_column(ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True,
                                             index=True)


class CatalogText(Base):
    """The lower-cased searchable text of a resource, for the substring confirmation step."""

    __tablename__ = "catalog_text"

    resource_id: Mapped[str] = mapped_column(ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True)
    text: Mapped[str] = mapped_column(Text)


# The catalog lists resources newest first: a search for a common word walks this index and stops
# after one page (catalog/search.py), so it belongs to the catalog although it indexes `resource`.
CATALOG_RECENCY = Index("ix_resource_updated_at_id", Resource.updated_at, Resource.id)
