"""Differentially private aggregates (count, sum, mean, histogram) as OpenDP measurements (pure).

Every release is one OpenDP chain (transformation >> Laplace mechanism) whose noise scale OpenDP's
binary search picks so the chain's privacy map meets the requested epsilon for one person's records
(`contributions`, default 1). The exact aggregate never leaves this module; the result carries the
epsilon spent, the scale and OpenDP's stated accuracy: with probability 1 - alpha the noisy value
lies within `accuracy` of the true one (GB/T 37964 differential privacy, DOMAIN.md §3).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

import pyarrow as pa
import pyarrow.compute as pc

from yaosu.errors import Invalid

Kind = Literal["count", "sum", "mean", "histogram"]
KINDS: tuple[str, ...] = ("count", "sum", "mean", "histogram")
MAX_CATEGORIES = 1000
MAX_EPSILON = 10.0


@dataclass(frozen=True)
class ReleaseSpec:
    """What to release: an aggregate of `column` (none for a count of rows) under `epsilon`."""

    kind: Kind
    epsilon: float
    column: str | None = None
    bounds: tuple[float, float] | None = None  # sum and mean: values are clamped into [lower, upper]
    categories: tuple[str, ...] = ()  # histogram: the public categories (others are counted together)
    contributions: int = 1  # how many records one person may have
    alpha: float = 0.05

    def check(self) -> None:
        """Raise Invalid naming the field if the spec cannot be released."""
        if self.kind not in KINDS:
            raise Invalid(f"kind must be one of {', '.join(KINDS)}", field="kind")
        if not (0 < self.epsilon <= MAX_EPSILON) or math.isnan(self.epsilon):
            raise Invalid(f"epsilon must be in (0, {MAX_EPSILON}]", field="epsilon")
        if not 1 <= self.contributions <= 1000:
            raise Invalid("contributions must be between 1 and 1000", field="contributions")
        if not 0 < self.alpha < 1:
            raise Invalid("alpha must be in (0, 1)", field="alpha")
        if self.kind != "count" and not self.column:
            raise Invalid(f"a {self.kind} needs a column", field="column")
        bounded = self.bounds is not None and all(map(math.isfinite, self.bounds)) and self.bounds[0] < self.bounds[1]
        if self.kind in ("sum", "mean") and not bounded:
            raise Invalid("sum and mean need finite bounds lower < upper", field="bounds")
        if self.kind == "histogram" and not 1 <= len(self.categories) <= MAX_CATEGORIES:
            raise Invalid(f"a histogram needs 1 to {MAX_CATEGORIES} public categories", field="categories")


@dataclass(frozen=True)
class Release:
    """A noisy aggregate with the privacy it cost and the accuracy OpenDP states for it."""

    kind: str
    column: str | None
    value: float | int | dict[str, int]
    epsilon: float
    delta: float
    scale: float
    accuracy: float
    alpha: float
    mechanism: str
    details: dict[str, Any] = field(default_factory=dict)


def _dp() -> Any:
    import opendp.prelude as dp

    dp.enable_features("contrib")
    return dp


def _floats(values: pa.Array) -> list[float]:
    """Non-null values as floats; text that is not a number is refused."""
    try:
        numbers = pc.cast(pc.drop_null(values), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise Invalid(f"the column is not numeric: {exc}", field="column") from None
    return [v for v in numbers.to_pylist() if not math.isnan(v)]


def _transformation(spec: ReleaseSpec, rows: int) -> tuple[Any, bool]:
    """The OpenDP transformation for `spec` and whether its output is an integer (discrete noise)."""
    dp = _dp()
    if spec.kind == "count":
        return dp.t.make_count(dp.vector_domain(dp.atom_domain(T=bool)), dp.symmetric_distance()), True
    if spec.kind == "histogram":
        return dp.t.make_count_by_categories(dp.vector_domain(dp.atom_domain(T=str)), dp.symmetric_distance(),
                                             categories=list(spec.categories)), True
    lower, upper = (float(b) for b in spec.bounds or (0.0, 0.0))
    size = rows if spec.kind == "mean" else None  # a mean's row count is public (it is registered metadata)
    domain = dp.vector_domain(dp.atom_domain(T=float, nan=False), size=size)
    clamp = dp.t.make_clamp(domain, dp.symmetric_distance(), bounds=(lower, upper))
    return clamp >> (dp.t.then_mean() if spec.kind == "mean" else dp.t.then_sum()), False


@dataclass(frozen=True)
class _Plan:
    measurement: Any
    d_in: int
    scale: float
    accuracy: float
    discrete: bool


@lru_cache(maxsize=256)
def _plan(spec: ReleaseSpec, rows: int) -> _Plan:
    """The measurement for `spec`: OpenDP's binary search picks the smallest Laplace scale meeting epsilon."""
    dp = _dp()
    transformation, discrete = _transformation(spec, rows)
    d_in = spec.contributions * (2 if spec.kind == "mean" else 1)  # a sized domain: changing a record = 2
    scale = dp.binary_search_param(lambda s: transformation >> dp.m.then_laplace(s), d_in=d_in, d_out=spec.epsilon)
    accuracy = (dp.discrete_laplacian_scale_to_accuracy(scale, spec.alpha) if discrete
                else dp.laplacian_scale_to_accuracy(scale, spec.alpha))
    return _Plan(transformation >> dp.m.then_laplace(scale), d_in, float(scale), float(accuracy), discrete)


def release(column: pa.Array | None, rows: int, spec: ReleaseSpec) -> Release:
    """Release `spec`'s aggregate over `column` (all `rows` rows for a count) with OpenDP's Laplace mechanism."""
    spec.check()
    plan = _plan(spec, rows)
    noisy = plan.measurement(_data(column, rows, spec))
    value: float | int | dict[str, int]
    if spec.kind == "histogram":
        value = dict(zip([*spec.categories, "__other__"], (int(v) for v in noisy), strict=True))
    else:
        value = noisy
    return Release(kind=spec.kind, column=spec.column, value=value, epsilon=float(plan.measurement.map(plan.d_in)),
                   delta=0.0, scale=plan.scale, accuracy=plan.accuracy, alpha=spec.alpha,
                   mechanism="discrete Laplace" if plan.discrete else "Laplace",
                   details={"bounds": list(spec.bounds) if spec.bounds else None, "rows": rows})


def _data(column: pa.Array | None, rows: int, spec: ReleaseSpec) -> list[Any]:
    if spec.kind == "count":
        return [True] * rows if column is None else [True] * (len(column) - column.null_count)
    assert column is not None
    if spec.kind == "histogram":
        return [str(v) for v in pc.drop_null(pc.cast(column, pa.string())).to_pylist()]
    values = _floats(column)
    if spec.kind == "mean" and len(values) != rows:
        raise Invalid("a mean needs a value in every row (the row count is its public size)", field="column")
    return values
