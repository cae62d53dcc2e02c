"""Netting legs per account: the net and the lowest running sum match posting the legs one by one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yaosu.settlement.netting import net_and_low
from yaosu.settlement.split import Share, split, split_many


@pytest.mark.parametrize(("accounts", "amounts", "net", "low"), [
    ([], [], [], []),
    (["a", "b"], [-5, 5], [-5, 5], [-5, 0]),
    (["e", "e"], [7, -7], [0], [0]),
    (["e", "e"], [-7, 7], [0], [-7]),
    (["b", "a", "b", "a"], [3, -1, -4, 2], [1, -1], [-1, -1]),
], ids=["empty", "transfer", "hold-then-release", "release-before-hold", "interleaved"])
def test_table(accounts: list[str], amounts: list[int], net: list[int], low: list[int]) -> None:
    got = net_and_low(accounts, amounts)
    assert (got.accounts, got.net, got.low) == (sorted(set(accounts)), net, low)


LEGS = st.lists(st.tuples(st.sampled_from("abcdef"), st.integers(-10**12, 10**12)), max_size=200)


@settings(deadline=None)  # timing lives in benchmarks/, not here
@given(LEGS)
def test_same_as_posting_one_leg_at_a_time(legs: list[tuple[str, int]]) -> None:
    running: dict[str, int] = {}
    lowest: dict[str, int] = {}
    for acc, amount in legs:
        running[acc] = running.get(acc, 0) + amount
        lowest[acc] = min(lowest.get(acc, 0), running[acc])
    got = net_and_low([a for a, _ in legs], [n for _, n in legs])
    assert got.accounts == sorted(running)
    assert got.net == [running[a] for a in got.accounts]
    assert got.low == [lowest[a] for a in got.accounts]


def test_one_account_per_amount() -> None:
    with pytest.raises(ValueError, match="one account per amount"):
        net_and_low(["a"], [])


@st.composite
def rules(draw: st.DrawFn) -> list[Share]:
    n = draw(st.integers(1, 8))
    cuts = sorted(draw(st.lists(st.integers(1, 9_999), min_size=n - 1, max_size=n - 1, unique=True)))
    bounds = [0, *cuts, 10_000]
    return [Share(f"p{i}", bounds[i + 1] - bounds[i]) for i in range(n)]


@settings(deadline=None)
@given(st.lists(st.integers(0, 10**14), max_size=50), rules())
def test_split_many_is_split_of_each_amount(amounts: list[int], rule: list[Share]) -> None:
    assert split_many(amounts, rule) == [[part for _, part in split(a, rule)] for a in amounts]
