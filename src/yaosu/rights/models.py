"""A right record: one of the three rights, held by a party, with scope, term and a parent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from yaosu.db.base import Base, created_column, id_column


class Right(Base):
    """A holding, processing or operation right over a resource (or, later, a product).

    Scope lists use "*" for "any"; regions are codes like "CN", "CN-44", "CN-4403" where a
    shorter code covers the longer ones beginning with it. A child right is never broader
    than its parent in scope, term or share.
    """

    __tablename__ = "data_right"

    id: Mapped[str] = id_column()
    kind: Mapped[str] = mapped_column(String(16), index=True)
    subject_type: Mapped[str] = mapped_column(String(16), default="resource")
    subject_id: Mapped[str] = mapped_column(String(26), index=True)
    holder_party_id: Mapped[str] = mapped_column(ForeignKey("party.id"), index=True)
    purposes: Mapped[list[str]]
    actions: Mapped[list[str]]
    regions: Mapped[list[str]]
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime | None]  # None: no end date
    exclusive: Mapped[bool] = mapped_column(default=False)
    share_bp: Mapped[int] = mapped_column(Integer, default=10000)  # co-holding share, basis points
    origin: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("data_right.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    status_reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = created_column()
    ended_at: Mapped[datetime | None]
