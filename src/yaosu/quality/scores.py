"""Scores 0-100: per sub-indicator (pooled A/B of its measures), per dimension and overall (weighted means).

A sub-indicator with nothing checked has no score and is left out of its dimension's mean; a
dimension with no scored sub-indicator is left out of the overall mean (weights renormalised).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from yaosu.quality.indicators import INDICATORS, Dimension, Indicator
from yaosu.quality.measures import Measure


@dataclass(frozen=True)
class IndicatorScore:
    """A sub-indicator's pooled A and B and its score (None when B is 0)."""

    indicator: Indicator
    a: int
    b: int
    score: float | None


@dataclass(frozen=True)
class Scores:
    """Per-indicator, per-dimension and overall scores."""

    indicators: tuple[IndicatorScore, ...]
    dimensions: Mapping[Dimension, float | None]
    overall: float | None


def _score(ind: Indicator, a: int, b: int) -> float | None:
    if b == 0:
        return None
    ratio = a / b
    return round(100.0 * (1.0 - ratio if ind.lower_is_better else ratio), 2)


def _weighted(pairs: Sequence[tuple[float | None, float]]) -> float | None:
    scored = [(s, w) for s, w in pairs if s is not None and w > 0]
    total = sum(w for _, w in scored)
    return round(sum(s * w for s, w in scored) / total, 2) if total else None


def score(measures: Sequence[Measure], *, dimension_weights: Mapping[Dimension, float] | None = None,
          indicator_weights: Mapping[str, float] | None = None) -> Scores:
    """Pool measures per sub-indicator, then weight indicators into dimensions and dimensions into the overall."""
    dw, iw = dimension_weights or {}, indicator_weights or {}
    per = []
    for ind in INDICATORS:
        mine = [m for m in measures if m.indicator == ind.code]
        a, b = sum(m.a for m in mine), sum(m.b for m in mine)
        per.append(IndicatorScore(ind, a, b, _score(ind, a, b)))
    dims = {d: _weighted([(s.score, iw.get(s.indicator.code, 1.0)) for s in per if s.indicator.dimension == d])
            for d in Dimension}
    overall = _weighted([(dims[d], dw.get(d, 1.0)) for d in Dimension])
    return Scores(tuple(per), dims, overall)
