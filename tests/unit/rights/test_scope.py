"""The pure rules of rights: region containment, scope excess, exact share splits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yaosu.rights.scope import Scope, region_covers, scope_excess, split_shares

T0 = datetime(2026, 1, 1, tzinfo=UTC)
T1 = datetime(2027, 1, 1, tzinfo=UTC)
T2 = datetime(2028, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(("parent", "child", "covers"), [
    pytest.param("CN", "CN", True, id="same"),
    pytest.param("CN", "CN-44", True, id="country-covers-province"),
    pytest.param("CN", "CN-44-03", True, id="country-covers-city"),
    pytest.param("CN-44", "CN-44-03", True, id="province-covers-city"),
    pytest.param("CN-44", "CN-4", False, id="not-a-string-prefix"),
    pytest.param("CN-44", "CN-440", False, id="sibling-with-longer-code"),
    pytest.param("CN-44", "CN", False, id="province-not-country"),
    pytest.param("CN-44", "CN-11", False, id="other-province"),
    pytest.param("*", "CN-11", True, id="any-covers-all"),
    pytest.param("CN", "*", False, id="country-not-global"),
])
def test_region_covers(parent: str, child: str, covers: bool) -> None:
    assert region_covers(parent, child) is covers


PARENT = Scope(("research", "marketing"), ("use", "analyze"), ("CN-44",), T0, T1, False)


def _child(**kw: object) -> Scope:
    base: dict[str, object] = {"purposes": ("research",), "actions": ("use",), "regions": ("CN-44-03",),
                               "valid_from": T0, "valid_until": T1, "exclusive": False}
    base.update(kw)
    return Scope(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(("child", "fields"), [
    pytest.param(_child(), [], id="narrower-fits"),
    pytest.param(_child(purposes=("research", "credit")), ["purposes"], id="extra-purpose"),
    pytest.param(_child(actions=("use", "distribute")), ["actions"], id="extra-action"),
    pytest.param(_child(regions=("CN",)), ["regions"], id="wider-region"),
    pytest.param(_child(valid_until=T2), ["valid_until"], id="longer-term"),
    pytest.param(_child(valid_until=None), ["valid_until"], id="open-ended-under-fixed-term"),
    pytest.param(_child(valid_from=datetime(2025, 1, 1, tzinfo=UTC)), ["valid_from"], id="starts-before"),
    pytest.param(_child(exclusive=True), ["exclusive"], id="exclusive-from-non-exclusive"),
    pytest.param(_child(purposes=("*",), regions=("*",)), ["purposes", "regions"], id="wildcards-exceed"),
])
def test_scope_excess_names_every_excess(child: Scope, fields: list[str]) -> None:
    assert [e.field for e in scope_excess(PARENT, child)] == fields


def test_wildcard_parent_admits_anything_in_its_term() -> None:
    parent = Scope(("*",), ("*",), ("CN",), T0, None, True)
    assert scope_excess(parent, _child(purposes=("x",), actions=("distribute",), exclusive=True,
                                       valid_until=None)) == []


@given(total=st.integers(0, 10_000), weights=st.lists(st.integers(0, 10_000), min_size=1, max_size=12)
       .filter(lambda w: sum(w) > 0))
def test_split_shares_is_exact_and_fair(total: int, weights: list[int]) -> None:
    parts = split_shares(total, weights)
    assert sum(parts) == total
    for part, weight in zip(parts, weights, strict=True):
        exact = total * weight / sum(weights)
        assert abs(part - exact) < 1


@pytest.mark.parametrize("weights", [[], [0, 0], [-1, 2]])
def test_split_shares_refuses_bad_weights(weights: list[int]) -> None:
    with pytest.raises(ValueError, match="weights"):
        split_shares(100, weights)
