"""Analysis rules a sandbox product carries: what a buyer's SQL may compute, as validated models (pure).

Three kinds, after AWS Clean Rooms' analysis rules and SecretFlow SCQL's column controls:

- aggregation: named aggregate functions per column, GROUP BY only on dimension columns, join
  columns usable in ON but never output, every output row backed by at least `threshold`
  distinct subjects (default 10), every aggregate perturbed by sticky noise (see rewrite.py);
- list: rows of the overlap of a join with the buyer's table, only the listed columns output, and
  only when the overlap holds at least `threshold` distinct subjects;
- dp: like aggregation, but each aggregate is released through OpenDP's Laplace mechanism at
  `epsilon_per_aggregate`, spent from an epsilon budget per contract (GB/T 37964, DOMAIN.md §3).

Function names form an allow-list: anything not named in `AGGREGATES` can never be allowed.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

AGGREGATES = ("count", "count_distinct", "sum", "avg")
BUYER_TABLE = "buyer"
NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")  # no leading "_": the sandbox's own columns start "__"
Name = Annotated[str, Field(pattern=NAME.pattern)]
Aggregate = Literal["count", "count_distinct", "sum", "avg"]


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    table: Name = "data"  # the product table's name inside the sandbox
    subject: Name  # the column naming the person or entity a row is about
    columns: tuple[Name, ...] = Field(min_length=1, max_length=500)  # the documented schema
    join_columns: tuple[Name, ...] = ()  # usable in ON with the buyer's table, never output
    max_rows: int = Field(default=1000, ge=1, le=100_000)
    rows_per_subject: int = Field(default=1, ge=1, le=100)  # checked when the table is loaded
    threshold: int = Field(default=10, ge=2, le=100_000)  # distinct subjects behind every output row

    @model_validator(mode="after")
    def _known_columns(self) -> _Rule:
        known = set(self.columns)
        if self.subject not in known:
            raise ValueError(f"subject column {self.subject!r} is not in columns")
        for name in self._named_columns():
            if name not in known:
                raise ValueError(f"column {name!r} is not in columns")
        if self.table == BUYER_TABLE:
            raise ValueError(f"the product table cannot be named {BUYER_TABLE!r}")
        return self

    def _named_columns(self) -> list[str]:
        return list(self.join_columns)


class AggregationRule(_Rule):
    """Aggregates only: per-column functions, dimension columns, a minimum of distinct subjects per row."""

    kind: Literal["aggregation"] = "aggregation"
    dimensions: tuple[Name, ...] = ()
    aggregates: dict[Name, tuple[Aggregate, ...]] = Field(default_factory=dict)
    bounds: dict[Name, tuple[float, float]] = Field(default_factory=dict)  # clamp range of summed columns
    noise: float = Field(default=1.0, ge=0.0, le=100.0)  # noise scale, in units of one subject's contribution

    def _named_columns(self) -> list[str]:
        return [*self.join_columns, *self.dimensions, *self.aggregates, *self.bounds]

    @model_validator(mode="after")
    def _shape(self) -> AggregationRule:
        exposed = set(self.dimensions)
        hidden = {self.subject, *self.join_columns}
        if exposed & hidden:
            raise ValueError(f"columns {sorted(exposed & hidden)} are identifiers and cannot be dimensions")
        for column, functions in self.aggregates.items():
            numeric = {"sum", "avg"}.intersection(functions)
            if numeric and column not in self.bounds:
                raise ValueError(f"column {column!r} needs bounds for {sorted(numeric)}")
            if numeric and column in hidden:
                raise ValueError(f"identifier column {column!r} cannot be summed or averaged")
        for column, (low, high) in self.bounds.items():
            if not low < high:
                raise ValueError(f"bounds of {column!r} must have lower < upper")
        return self


class ListRule(_Rule):
    """The overlap of a join with the buyer's table: only `list_columns` are output, never join columns."""

    kind: Literal["list"] = "list"
    list_columns: tuple[Name, ...] = Field(min_length=1)
    filter_columns: tuple[Name, ...] = ()

    def _named_columns(self) -> list[str]:
        return [*self.join_columns, *self.list_columns, *self.filter_columns]

    @model_validator(mode="after")
    def _shape(self) -> ListRule:
        if not self.join_columns:
            raise ValueError("a list rule needs at least one join column")
        leaking = set(self.list_columns) & {self.subject, *self.join_columns}
        if leaking:
            raise ValueError(f"columns {sorted(leaking)} are identifiers and cannot be listed")
        return self


class DPRule(AggregationRule):
    """Aggregates released with OpenDP noise, each costing `epsilon_per_aggregate` of the contract's budget."""

    kind: Literal["dp"] = "dp"  # type: ignore[assignment]
    epsilon_budget: float = Field(default=1.0, gt=0, le=10.0)  # per contract
    epsilon_per_aggregate: float = Field(default=0.1, gt=0, le=1.0)


AnalysisRule = Annotated[AggregationRule | ListRule | DPRule, Field(discriminator="kind")]


class RuleEnvelope(BaseModel):
    """Parses any rule from JSON by its `kind`."""

    rule: AnalysisRule


def parse_rule(data: dict[str, object]) -> AggregationRule | ListRule | DPRule:
    """The validated rule in `data` (pydantic ValidationError if it is not one)."""
    return RuleEnvelope.model_validate({"rule": data}).rule
