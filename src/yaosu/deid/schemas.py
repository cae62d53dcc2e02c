"""Pydantic shapes at the API edge for derived datasets, lineage, privacy budgets and DP releases."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from yaosu.privacy.anonymize.config import AnonymizeConfig
from yaosu.privacy.dp.release import ReleaseSpec

MAX_QI = 32


class MaskRequest(BaseModel):
    """Mask a vault dataset: the derived dataset's name, a policy (default: from a scan) and the product key."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    policy: dict[str, Any] | None = None
    key_label: str = Field(default="default", min_length=1, max_length=40)
    resource_id: str | None = Field(default=None, max_length=26)


class AnonymizeRequest(BaseModel):
    """k-anonymize a vault dataset (the `yaosu node anonymize` options)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    qi: list[str] = Field(min_length=1, max_length=MAX_QI)
    k: int = Field(default=10, ge=1, le=1_000_000)
    sensitive: str | None = None
    l_diversity: int | None = Field(default=None, ge=1)
    max_suppression: float = Field(default=0.05, ge=0, le=1)
    hierarchies: dict[str, Literal["flat", "address"] | dict[str, list[str]]] = Field(default_factory=dict,
                                                                                      max_length=MAX_QI)
    bands: dict[str, int] = Field(default_factory=dict, max_length=MAX_QI)
    resource_id: str | None = Field(default=None, max_length=26)

    def config(self) -> AnonymizeConfig:
        """The validated request as the engine's config."""
        return AnonymizeConfig(qi=tuple(self.qi), k=self.k, sensitive=self.sensitive, l_diversity=self.l_diversity,
                               max_suppression=self.max_suppression, hierarchies=self.hierarchies, bands=self.bands)


class LineageRead(BaseModel):
    """How a derived dataset was made: source and its hash, operation, parameters and hash, reports, key id."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    dataset_id: str
    source_dataset_id: str
    source_content_hash: str
    operation: str
    parameters_hash: str
    parameters: dict[str, Any]
    report: dict[str, Any]
    key_id: str | None
    resource_id: str | None
    resource_version: int | None
    actor_party_id: str
    created_at: datetime


class LineageView(BaseModel):
    """A dataset's own lineage (null for an ingested dataset) and the datasets derived from it."""

    dataset_id: str
    lineage: LineageRead | None
    derived: list[LineageRead]


class ReleaseRequest(BaseModel):
    """A DP aggregate to release (the `yaosu release aggregate` options)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["count", "sum", "mean", "histogram"]
    epsilon: float
    column: str | None = Field(default=None, max_length=200)
    bounds: tuple[float, float] | None = None
    categories: list[str] = Field(default_factory=list, max_length=1000)
    contributions: int = 1
    alpha: float = 0.05

    def spec(self) -> ReleaseSpec:
        """The request as a release spec (checked by the service)."""
        return ReleaseSpec(self.kind, self.epsilon, column=self.column, bounds=self.bounds,
                           categories=tuple(self.categories), contributions=self.contributions, alpha=self.alpha)


class ReleaseRead(BaseModel):
    """A recorded release: spec, privacy spent, noise scale, stated accuracy and the noisy (public) value."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    dataset_id: str
    kind: str
    column: str | None
    spec: dict[str, Any]
    epsilon: float
    delta: float
    scale: float
    accuracy: float
    alpha: float
    mechanism: str
    value: dict[str, Any]
    actor_party_id: str
    created_at: datetime


class BudgetSet(BaseModel):
    """A new total epsilon for a dataset."""

    model_config = ConfigDict(extra="forbid")

    epsilon: float


class BudgetRead(BaseModel):
    """A dataset's privacy budget and its releases (newest first)."""

    model_config = ConfigDict(from_attributes=True)

    dataset_id: str
    epsilon: float
    spent_epsilon: float
    remaining_epsilon: float
    explicit: bool
    releases: list[ReleaseRead]
