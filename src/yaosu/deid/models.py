"""Lineage of derived vault datasets, and the differential-privacy budget and releases of a dataset."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Double, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from yaosu.db.base import Base, created_column, id_column
from yaosu.node import models as _node_models  # noqa: F401 (the foreign keys below name these tables)
from yaosu.resources import models as _resource_models  # noqa: F401


class DatasetLineage(Base):
    """派生数据集的血缘: how a derived dataset was made from its source (operation, parameters, reports)."""

    __tablename__ = "node_dataset_lineage"

    id: Mapped[str] = id_column()
    dataset_id: Mapped[str] = mapped_column(ForeignKey("node_dataset.id"), unique=True)  # the derived one
    source_dataset_id: Mapped[str] = mapped_column(ForeignKey("node_dataset.id"), index=True)
    source_content_hash: Mapped[str] = mapped_column(String(64))
    operation: Mapped[str] = mapped_column(String(16))  # mask | anonymize
    parameters_hash: Mapped[str] = mapped_column(String(64))  # policy hash (mask) or config hash (anonymize)
    parameters: Mapped[dict[str, Any]]  # the policy or the anonymization config itself
    report: Mapped[dict[str, Any]]  # risk before/after (anonymize) or the scan summary before/after (mask)
    key_id: Mapped[str | None] = mapped_column(String(64))  # product key label and fingerprint, never the key
    resource_id: Mapped[str | None] = mapped_column(ForeignKey("resource.id"))  # registered as a version of it
    resource_version: Mapped[int | None] = mapped_column(Integer)
    actor_party_id: Mapped[str] = mapped_column(ForeignKey("party.id"))
    actor_user_id: Mapped[str | None] = mapped_column(String(26))
    created_at: Mapped[datetime] = created_column()


class PrivacyBudget(Base):
    """A dataset's total epsilon for differentially private releases and how much is spent."""

    __tablename__ = "node_dp_budget"

    dataset_id: Mapped[str] = mapped_column(ForeignKey("node_dataset.id"), primary_key=True)
    epsilon: Mapped[float] = mapped_column(Double)
    spent_epsilon: Mapped[float] = mapped_column(Double, default=0.0)
    set_by_party_id: Mapped[str] = mapped_column(ForeignKey("party.id"))
    updated_at: Mapped[datetime] = created_column()


class DpRelease(Base):
    """One differentially private release: the spec, the epsilon it spent, scale, accuracy and the noisy value."""

    __tablename__ = "node_dp_release"

    id: Mapped[str] = id_column()
    dataset_id: Mapped[str] = mapped_column(ForeignKey("node_dataset.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    column: Mapped[str | None] = mapped_column(String(200))
    spec: Mapped[dict[str, Any]]
    epsilon: Mapped[float] = mapped_column(Double)
    delta: Mapped[float] = mapped_column(Double)
    scale: Mapped[float] = mapped_column(Double)
    accuracy: Mapped[float] = mapped_column(Double)
    alpha: Mapped[float] = mapped_column(Double)
    mechanism: Mapped[str] = mapped_column(String(32))
    value: Mapped[dict[str, Any]]  # {"value": the noisy result} (the public output)
    actor_party_id: Mapped[str] = mapped_column(ForeignKey("party.id"))
    actor_user_id: Mapped[str | None] = mapped_column(String(26))
    created_at: Mapped[datetime] = created_column()
