"""A dataset's declared quality expectations, as YAML: schema, code lists, keys, time rules, custom rules, weights.

Everything here is optional: without a spec the assessment uses what it can infer (detected
entities, column types). A spec is untrusted input, so its size is bounded and every field is
validated; custom rule expressions are checked separately by `yaosu.quality.sql`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from yaosu.errors import Invalid
from yaosu.quality.indicators import BY_CODE, Dimension

MAX_SPEC_BYTES = 1 << 20  # configuration, not data
RULE_ID = r"^[a-z][a-z0-9_.-]{0,63}$"
ColumnType = Literal["string", "integer", "float", "boolean", "date", "timestamp"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnSpec(_Strict):
    """What a column must be: type, required, entity, allowed values, numeric range, uniqueness."""

    type: ColumnType | None = None
    required: bool = False
    entity: str | None = Field(default=None, pattern=r"^[A-Z][A-Z0-9_]{1,39}$")
    values: tuple[str, ...] | None = Field(default=None, max_length=10_000)
    min: float | None = None
    max: float | None = None
    unique: bool = False
    description: str = Field(default="", max_length=1000)


class ForeignKey(_Strict):
    """`column` values must appear in `ref_column` of `table` (a file beside the spec) or of this table."""

    column: str
    ref_column: str
    table: str | None = None


class TimeSpec(_Strict):
    """Timeliness: the time column, the declared update frequency, the valid period and ordered pairs."""

    column: str | None = None
    update_frequency_days: float | None = Field(default=None, gt=0)
    period_start: date | None = None
    period_end: date | None = None
    order: tuple[tuple[str, str], ...] = ()


class CustomRule(_Strict):
    """A predicate in SQL over the table's columns; each row where it is true passes."""

    id: str = Field(pattern=RULE_ID)
    expr: str = Field(min_length=1, max_length=4000)
    indicator: str = "business_rules"
    description: str = Field(default="", max_length=1000)

    @model_validator(mode="after")
    def _known_indicator(self) -> CustomRule:
        if self.indicator not in BY_CODE or BY_CODE[self.indicator].lower_is_better:
            raise ValueError(f"indicator must be a higher-is-better sub-indicator, not {self.indicator!r}")
        return self


class Weights(_Strict):
    """Relative weights (default 1) of dimensions in the overall score and of indicators in their dimension."""

    dimensions: dict[Dimension, float] = Field(default_factory=dict)
    indicators: dict[str, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _valid(self) -> Weights:
        unknown = sorted(set(self.indicators) - set(BY_CODE))
        if unknown:
            raise ValueError(f"unknown indicators: {', '.join(unknown)}")
        if any(w < 0 for w in [*self.dimensions.values(), *self.indicators.values()]):
            raise ValueError("weights must not be negative")
        return self


class QualitySpec(_Strict):
    """The whole declared expectation set of one dataset."""

    name: str = "default"
    version: str = "1"
    columns: dict[str, ColumnSpec] = Field(default_factory=dict)
    keys: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    time: TimeSpec = TimeSpec()
    rules: tuple[CustomRule, ...] = Field(default=(), max_length=500)
    weights: Weights = Weights()
    detect: bool = True  # detect entities in undeclared text columns (False: only the declared entities are checked)

    @model_validator(mode="after")
    def _unique_rule_ids(self) -> QualitySpec:
        ids = [r.id for r in self.rules]
        if len(ids) != len(set(ids)):
            raise ValueError("rule ids must be unique")
        return self


def parse_spec(data: Any, *, source: str = "rules") -> QualitySpec:
    """Validate a parsed YAML/JSON document as a QualitySpec; Invalid with the first problem otherwise."""
    if not isinstance(data, dict):
        raise Invalid(f"{source}: 质量规则须为映射 / a quality spec must be a mapping", field="rules")
    try:
        return QualitySpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise Invalid(f"{source}: {where}: {first['msg']}", field="rules", code="bad_rules") from None


def load_spec(path: Path) -> QualitySpec:
    """Read and validate a YAML spec file (at most 1 MiB)."""
    try:
        if path.stat().st_size > MAX_SPEC_BYTES:
            raise Invalid(f"{path.name}: 规则文件超过 1 MiB / rules file larger than 1 MiB", field="rules")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise Invalid(f"无法读取规则 / cannot read rules {path}: {exc}", field="rules") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise Invalid(f"{path.name}: YAML 无效 / invalid YAML: {exc}", field="rules", code="bad_rules") from None
    return parse_spec(data if data is not None else {}, source=path.name)
