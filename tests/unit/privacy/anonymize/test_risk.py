"""Re-identification risk (ARX's prosecutor, journalist and marketer models) on hand-worked tables."""

from __future__ import annotations

import pyarrow as pa
import pytest

from yaosu.errors import Invalid
from yaosu.privacy.anonymize import risk

# Classes of 3 and 2 rows.
SAMPLE = pa.table({"age": [30, 30, 30, 40, 40], "sex": ["M", "M", "M", "F", "F"]})
# The population holds 6 of the first combination, 4 of the second, and others.
POPULATION = pa.table({"age": [30] * 6 + [40] * 4 + [50] * 7, "sex": ["M"] * 6 + ["F"] * 4 + ["M"] * 7})


def test_sample_only() -> None:
    got = risk(SAMPLE, ["age", "sex"], threshold=0.4)
    assert (got.prosecutor_max, got.prosecutor_avg, got.marketer) == pytest.approx((0.5, 0.4, 0.4))
    assert got.journalist_max == pytest.approx(0.5)
    assert got.records_at_risk == pytest.approx(0.4)  # the two rows of the class of 2 (risk 0.5 > 0.4)
    assert got.population == "sample"


def test_with_population() -> None:
    got = risk(SAMPLE, ["age", "sex"], threshold=0.4, population=POPULATION)
    assert got.journalist_max == pytest.approx(0.25)
    assert got.marketer == pytest.approx((3 / 6 + 2 / 4) / 5)
    assert got.prosecutor_max == pytest.approx(0.5)
    assert got.population == "population"


def test_population_never_thinner_than_the_sample() -> None:
    got = risk(SAMPLE, ["age", "sex"], threshold=0.4, population=SAMPLE.slice(0, 1))
    assert got.journalist_max == pytest.approx(0.5)


@pytest.mark.parametrize(("threshold", "at_risk"), [(0.0, 1.0), (0.34, 0.4), (0.5, 0.0), (1.0, 0.0)])
def test_records_at_risk_counts_those_strictly_above(threshold: float, at_risk: float) -> None:
    assert risk(SAMPLE, ["age", "sex"], threshold=threshold).records_at_risk == pytest.approx(at_risk)


def test_bad_threshold_and_population_are_refused() -> None:
    with pytest.raises(Invalid):
        risk(SAMPLE, ["age"], threshold=1.5)
    with pytest.raises(Invalid) as caught:
        risk(SAMPLE, ["age", "sex"], threshold=0.1, population=pa.table({"age": ["x"], "sex": ["M"]}))
    assert caught.value.field == "population"
