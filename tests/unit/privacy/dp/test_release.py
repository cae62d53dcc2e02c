"""DP releases: OpenDP's stated accuracy holds empirically, epsilon spent is the one asked, bad specs are refused."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pytest

from yaosu.errors import BudgetExceeded, Invalid
from yaosu.privacy.dp.budget import Budget
from yaosu.privacy.dp.release import ReleaseSpec, release

AGES = pa.array([20.0 + (i % 50) for i in range(400)])
TRIALS = 1500


def _coverage(spec: ReleaseSpec, column: pa.Array | None, rows: int, truth: float) -> tuple[float, float]:
    """Share of releases within the stated accuracy of the truth, and that accuracy."""
    hits, accuracy = 0, 0.0
    for _ in range(TRIALS):
        out = release(column, rows, spec)
        assert isinstance(out.value, (int, float))
        hits += abs(out.value - truth) <= out.accuracy
        accuracy = out.accuracy
    return hits / TRIALS, accuracy


def _binomial_band(p: float) -> tuple[float, float]:
    sd = math.sqrt(p * (1 - p) / TRIALS)
    return p - 4.5 * sd, p + 4.5 * sd


@pytest.mark.parametrize(("kind", "truth"), [
    ("count", 400.0),
    ("sum", float(np.sum(AGES.to_numpy()))),
    ("mean", float(np.mean(AGES.to_numpy()))),
])
def test_stated_accuracy_holds_at_95_percent(kind: str, truth: float) -> None:
    bounds = (0.0, 100.0) if kind != "count" else None
    spec = ReleaseSpec(kind=kind, epsilon=1.0, column=None if kind == "count" else "age",
                       bounds=bounds)
    share, accuracy = _coverage(spec, None if kind == "count" else AGES, 400, truth)
    low, high = _binomial_band(0.95)
    assert accuracy > 0 and low <= share <= high + 0.01, (share, accuracy)


def test_noise_variance_matches_the_laplace_scale() -> None:
    spec = ReleaseSpec(kind="sum", epsilon=0.5, column="age", bounds=(0.0, 100.0))
    truth = float(np.sum(AGES.to_numpy()))
    outs = [release(AGES, 400, spec) for _ in range(TRIALS)]
    noise = np.array([o.value for o in outs], dtype=float) - truth
    scale = outs[0].scale
    assert scale == pytest.approx(100.0 / 0.5, rel=0.05)  # sensitivity / epsilon for one record
    assert np.var(noise) == pytest.approx(2 * scale**2, rel=0.15)  # Laplace(b) has variance 2 b^2
    assert abs(np.mean(noise)) < 4 * math.sqrt(2) * scale / math.sqrt(TRIALS)


def test_epsilon_spent_is_the_one_asked_and_scales_with_contributions() -> None:
    one = release(None, 100, ReleaseSpec(kind="count", epsilon=0.8))
    three = release(None, 100, ReleaseSpec(kind="count", epsilon=0.8, contributions=3))
    assert one.epsilon == pytest.approx(0.8, rel=1e-3) and three.epsilon == pytest.approx(0.8, rel=1e-3)
    assert three.scale == pytest.approx(3 * one.scale, rel=0.05)


def test_histogram_counts_every_public_category_and_the_rest() -> None:
    column = pa.array(["男"] * 300 + ["女"] * 200 + ["未知"] * 5 + [None])
    out = release(column, 506, ReleaseSpec(kind="histogram", epsilon=2.0, column="gender",
                                           categories=("男", "女")))
    assert isinstance(out.value, dict) and set(out.value) == {"男", "女", "__other__"}
    assert abs(out.value["男"] - 300) <= 10 * out.scale and abs(out.value["女"] - 200) <= 10 * out.scale


@pytest.mark.parametrize(("spec", "field"), [
    (ReleaseSpec(kind="count", epsilon=0.0), "epsilon"),
    (ReleaseSpec(kind="count", epsilon=float("nan")), "epsilon"),
    (ReleaseSpec(kind="count", epsilon=50.0), "epsilon"),
    (ReleaseSpec(kind="sum", epsilon=1.0, column="age"), "bounds"),
    (ReleaseSpec(kind="sum", epsilon=1.0, column="age", bounds=(5.0, 1.0)), "bounds"),
    (ReleaseSpec(kind="mean", epsilon=1.0, bounds=(0.0, 1.0)), "column"),
    (ReleaseSpec(kind="histogram", epsilon=1.0, column="g"), "categories"),
    (ReleaseSpec(kind="median", epsilon=1.0), "kind"),
], ids=["zero-eps", "nan-eps", "huge-eps", "no-bounds", "bad-bounds", "no-column", "no-categories", "kind"])
def test_bad_specs_are_refused(spec: ReleaseSpec, field: str) -> None:
    with pytest.raises(Invalid) as raised:
        release(AGES, 400, spec)
    assert raised.value.field == field


def test_text_is_not_summed() -> None:
    with pytest.raises(Invalid, match="not numeric"):
        release(pa.array(["a", "b"]), 2, ReleaseSpec(kind="sum", epsilon=1.0, column="x", bounds=(0.0, 1.0)))


def test_budget_refuses_what_does_not_fit() -> None:
    budget = Budget(epsilon=1.0).spend(0.4).spend(0.6)
    assert budget.remaining_epsilon == pytest.approx(0.0)
    with pytest.raises(BudgetExceeded, match="exhausted"):
        budget.spend(0.01)
    with pytest.raises(BudgetExceeded):
        Budget(epsilon=1.0, delta=0.0).spend(0.1, delta=1e-6)
