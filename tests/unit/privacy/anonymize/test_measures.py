"""Privacy-model measures on small tables whose answers were worked out by hand."""

from __future__ import annotations

import math

import pyarrow as pa
import pytest

from yaosu.errors import Invalid
from yaosu.privacy.anonymize import measure

# (30,M): flu, cold, flu  |  (40,F): flu, flu.  Table: flu 4/5, cold 1/5.
CLINIC = pa.table({"age": [30, 30, 30, 40, 40], "sex": ["M", "M", "M", "F", "F"],
                   "diag": ["flu", "cold", "flu", "flu", "flu"]})
# Class x holds salaries {3, 4}, class y {5}: ordered EMD x = (1/6 + 1/3 + 0) / 2 = 1/4, y = (1/3 + 2/3) / 2 = 1/2.
SALARY = pa.table({"g": ["x", "x", "y"], "salary": [3, 4, 5]})
# Two classes of two, each holding two different values: entropy l = exp(ln 2) = 2.
EVEN = pa.table({"g": ["a", "a", "b", "b"], "s": ["p", "q", "p", "q"]})

CASES = [
    pytest.param(CLINIC, ["age", "sex"], "diag",
                 {"k": 2, "classes": 2, "unique_share": 0.0, "l_distinct": 1, "l_entropy": 1.0, "t_closeness": 0.2},
                 id="clinic-equal-distance"),
    pytest.param(CLINIC, ["age"], None, {"k": 2, "classes": 2, "unique_share": 0.0}, id="clinic-k-only"),
    pytest.param(CLINIC.slice(0, 4), ["age", "sex"], None, {"k": 1, "unique_share": 0.25}, id="one-unique"),
    pytest.param(SALARY, ["g"], "salary", {"k": 1, "unique_share": 1 / 3, "l_distinct": 1, "t_closeness": 0.5},
                 id="ordered-distance"),
    pytest.param(SALARY.slice(0, 2), ["g"], "salary", {"k": 2, "l_distinct": 2, "t_closeness": 0.0},
                 id="one-class-is-the-table"),
    pytest.param(EVEN, ["g"], "s", {"k": 2, "l_distinct": 2, "l_entropy": 2.0, "t_closeness": 0.0}, id="entropy-2"),
]


@pytest.mark.parametrize(("table", "qi", "sensitive", "expected"), CASES)
def test_measures_match_hand_computed(table: pa.Table, qi: list[str], sensitive: str | None,
                                      expected: dict[str, float]) -> None:
    got = measure(table, qi, sensitive)
    for name, value in expected.items():
        assert getattr(got, name) == pytest.approx(value), name


def test_entropy_l_of_a_skewed_class() -> None:
    table = pa.table({"g": ["a"] * 4, "s": ["p", "p", "p", "q"]})
    entropy = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25))
    assert measure(table, ["g"], "s").l_entropy == pytest.approx(math.exp(entropy))


def test_missing_values_form_their_own_class() -> None:
    table = pa.table({"g": ["a", None, None, "a"]})
    assert measure(table, ["g"]).k == 2


@pytest.mark.parametrize(("qi", "sensitive", "field"), [
    (["nope"], None, "nope"), ([], None, "qi"), (["age"], "age", "sensitive"),
], ids=["unknown-column", "no-qi", "sensitive-is-qi"])
def test_bad_requests_name_the_field(qi: list[str], sensitive: str | None, field: str) -> None:
    with pytest.raises(Invalid) as caught:
        measure(CLINIC, qi, sensitive)
    assert caught.value.field == field
