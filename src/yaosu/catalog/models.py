"""The search index: one row per (term, resource), maintained by the resource services."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yaosu.db.base import Base


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
