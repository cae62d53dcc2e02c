"""Scores: pooled A/B per sub-indicator, weighted means per dimension and overall, unassessed left out."""

from __future__ import annotations

import pytest

from yaosu.quality.indicators import INDICATORS, Dimension
from yaosu.quality.measures import Measure
from yaosu.quality.scores import score


def by_code(measures: list[Measure]) -> dict[str, float | None]:
    return {s.indicator.code: s.score for s in score(measures).indicators}


def test_twenty_indicators_over_six_dimensions() -> None:
    assert len(INDICATORS) == 20
    assert {i.dimension for i in INDICATORS} == set(Dimension)


def test_pooled_ratio_and_lower_is_better() -> None:
    got = by_code([Measure("element_completeness", "x", "a", 9, 10), Measure("element_completeness", "x", "b", 1, 10),
                   Measure("duplicate_rate", "d", None, 1, 4)])
    assert got["element_completeness"] == 50.0
    assert got["duplicate_rate"] == 75.0
    assert got["record_completeness"] is None


def test_dimension_and_overall_weights() -> None:
    measures = [Measure("element_completeness", "x", None, 1, 2), Measure("record_completeness", "x", None, 1, 1),
                Measure("accessibility", "r", None, 0, 1)]
    plain = score(measures)
    assert plain.dimensions[Dimension.COMPLETENESS] == 75.0
    assert plain.dimensions[Dimension.TIMELINESS] is None
    assert plain.overall == 37.5  # (75 + 0) / 2: unassessed dimensions are left out
    weighted = score(measures, dimension_weights={Dimension.COMPLETENESS: 3.0},
                     indicator_weights={"element_completeness": 3.0})
    assert weighted.dimensions[Dimension.COMPLETENESS] == 62.5
    assert weighted.overall == pytest.approx(62.5 * 3 / 4, abs=0.01)


def test_nothing_assessed_has_no_overall() -> None:
    assert score([]).overall is None


def test_measure_rejects_a_above_b() -> None:
    with pytest.raises(ValueError, match="must lie in"):
        Measure("uniqueness", "k", None, 3, 2)
