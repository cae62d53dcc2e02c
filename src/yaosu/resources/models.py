"""Data resources, their content versions, and the public-data "one data, one source" claims."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from yaosu.db.base import Base, created_column, id_column


class Resource(Base):
    """数据资源: registry metadata. Raw rows never live here, only hashes and schema."""

    __tablename__ = "resource"

    id: Mapped[str] = id_column()
    holder_party_id: Mapped[str] = mapped_column(ForeignKey("party.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    domain: Mapped[str] = mapped_column(String(32), index=True)
    source_system: Mapped[str] = mapped_column(String(200), default="")
    update_frequency: Mapped[str] = mapped_column(String(16))
    time_span_start: Mapped[date | None]
    time_span_end: Mapped[date | None]
    tags: Mapped[list[str]]
    classification: Mapped[str] = mapped_column(String(16), index=True)
    grade: Mapped[str] = mapped_column(String(16), index=True)
    level: Mapped[int | None] = mapped_column(Integer)  # 1-4 for general data (GB/T 43697 Annex H)
    open_condition: Mapped[str | None] = mapped_column(String(16), index=True)  # public data only
    data_item_code: Mapped[str | None] = mapped_column(String(64), index=True)  # public data item
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    current_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = created_column()
    updated_at: Mapped[datetime] = created_column()

    versions: Mapped[list[ResourceVersion]] = relationship(
        back_populates="resource", order_by="ResourceVersion.number", lazy="selectin")

    def latest_version(self) -> ResourceVersion | None:
        return self.versions[-1] if self.versions else None


class ResourceVersion(Base):
    """One content state of a resource: SHA-256 of the content, schema and row count."""

    __tablename__ = "resource_version"
    __table_args__ = (UniqueConstraint("resource_id", "number"),)

    id: Mapped[str] = id_column()
    resource_id: Mapped[str] = mapped_column(ForeignKey("resource.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    schema_fields: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    row_count: Mapped[int]
    created_at: Mapped[datetime] = created_column()
    resource: Mapped[Resource] = relationship(back_populates="versions")


class PublicDataSource(Base):
    """"一数一源": the one authoritative resource for a public data item."""

    __tablename__ = "public_data_source"

    item_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    resource_id: Mapped[str] = mapped_column(ForeignKey("resource.id"))
    party_id: Mapped[str] = mapped_column(ForeignKey("party.id"))
    created_at: Mapped[datetime] = created_column()


class SourceConflict(Base):
    """A second resource claiming a public data item that already has an authoritative source."""

    __tablename__ = "source_conflict"

    id: Mapped[str] = id_column()
    item_code: Mapped[str] = mapped_column(String(64), index=True)
    authoritative_resource_id: Mapped[str] = mapped_column(ForeignKey("resource.id"))
    claimant_resource_id: Mapped[str] = mapped_column(ForeignKey("resource.id"))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | kept | reassigned
    resolution_note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = created_column()
    resolved_at: Mapped[datetime | None]


class ResourceScan(Base):
    """A scan report recorded on a resource version: per-column entities and grading, never a value."""

    __tablename__ = "resource_scan"

    id: Mapped[str] = id_column()
    resource_id: Mapped[str] = mapped_column(ForeignKey("resource.id"), index=True)
    version_number: Mapped[int] = mapped_column(Integer)
    recorded_by_party_id: Mapped[str] = mapped_column(ForeignKey("party.id"))
    dataset: Mapped[str] = mapped_column(String(200))
    rows: Mapped[int]
    classification: Mapped[str] = mapped_column(String(16))
    grade: Mapped[str] = mapped_column(String(16))
    rules_version: Mapped[str] = mapped_column(String(200))
    report: Mapped[dict[str, Any]]  # exactly the `yaosu scan --json` shape
    reasons: Mapped[dict[str, Any]]  # rule ids behind each decision
    created_at: Mapped[datetime] = created_column()
