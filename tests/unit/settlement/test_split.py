"""Revenue splits: exact sums, each part within a fen of its exact share, largest remainders first."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yaosu.errors import Invalid
from yaosu.settlement.split import BASIS, Share, split

RULE = [Share("source", 6000), Share("processor", 2500), Share("operator", 1000), Share("exchange", 500)]


@pytest.mark.parametrize(("amount", "expected"), [
    (0, [0, 0, 0, 0]),
    (1, [1, 0, 0, 0]),
    (3, [2, 1, 0, 0]),
    (10_000, [6000, 2500, 1000, 500]),
    (99_999, [59_999, 25_000, 10_000, 5_000]),
], ids=["zero", "one-fen", "three-fen", "round", "odd"])
def test_table(amount: int, expected: list[int]) -> None:
    assert [part for _, part in split(amount, RULE)] == expected


def test_ties_go_to_the_earlier_share() -> None:
    thirds = [Share("a", 3334), Share("b", 3333), Share("c", 3333)]
    assert [p for _, p in split(2, thirds)] == [1, 1, 0]


@st.composite
def rules(draw: st.DrawFn) -> list[Share]:
    n = draw(st.integers(1, 8))
    cuts = sorted(draw(st.lists(st.integers(1, BASIS - 1), min_size=n - 1, max_size=n - 1, unique=True)))
    bounds = [0, *cuts, BASIS]
    return [Share(f"p{i}", bounds[i + 1] - bounds[i]) for i in range(n)]


@given(st.integers(0, 10**12), rules())
def test_parts_sum_exactly_and_stay_within_a_fen_of_the_exact_share(amount: int, rule: list[Share]) -> None:
    parts = split(amount, rule)
    assert sum(p for _, p in parts) == amount
    for (_, part), share in zip(parts, rule, strict=True):
        assert abs(Fraction(part) - Fraction(amount * share.basis_points, BASIS)) < 1


@pytest.mark.parametrize(("rule", "amount", "message"), [
    ([Share("a", 5000)], 10, "sum to 5000"),
    ([Share("a", 5000), Share("a", 5000)], 10, "twice"),
    ([Share("a", 10_001), Share("b", -1)], 10, "positive"),
    ([], 10, "at least one"),
    (RULE, -1, "not negative"),
])
def test_bad_rules_and_amounts_are_refused(rule: list[Share], amount: int, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        split(amount, rule)
