"""Generalization hierarchies: address parsing, common ancestors, NCP, user-given trees."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from yaosu.privacy.anonymize import hierarchy

ADDRESSES = ["浙江省杭州市西湖区", "浙江省杭州市上城区", "浙江省宁波市鄞州区", "北京市海淀区", "北京市朝阳区",
             "内蒙古自治区呼和浩特市新城区", "海淀区"]


def _runs(codes: np.ndarray, pairs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    lo = np.array([min(codes[a], codes[b]) for a, b in pairs])
    hi = np.array([max(codes[a], codes[b]) for a, b in pairs])
    return lo, hi


@pytest.mark.parametrize(("a", "b", "label", "ncp"), [
    (0, 0, "浙江省杭州市西湖区", 0.0),
    (0, 1, "浙江省杭州市", 2 / 7),
    (0, 2, "浙江省", 3 / 7),
    (3, 4, "北京市", 2 / 7),
    (0, 3, "*", 1.0),
    (6, 3, "*", 1.0),  # an unparsed value joins others only at the root
], ids=["same", "same-city", "same-province", "municipality", "across-provinces", "unparsed"])
def test_address_common_ancestor(a: int, b: int, label: str, ncp: float) -> None:
    tree, codes = hierarchy.address(pa.array(ADDRESSES))
    lo, hi = _runs(codes, [(a, b)])
    assert tree.label(lo, hi)[0] == label
    assert tree.ncp(lo, hi)[0] == pytest.approx(ncp)


def test_every_subtree_is_one_run_of_codes() -> None:
    tree, codes = hierarchy.address(pa.array(ADDRESSES))
    for level in range(tree.levels):
        groups = tree.ancestors[level]
        assert np.all(np.diff(groups) >= 0)  # non-decreasing in leaf order => each group contiguous
    assert sorted(codes.tolist()) == list(range(len(ADDRESSES)))


def test_flat_generalizes_to_star() -> None:
    tree, codes = hierarchy.flat(["M", "F"])
    lo, hi = _runs(codes, [(0, 0), (0, 1)])
    assert tree.label(lo, hi).tolist() == ["M", "*"]
    assert tree.ncp(lo, hi).tolist() == [0.0, 1.0]


def test_given_tree_and_missing_values() -> None:
    parents = {"西湖区": ["杭州市", "浙江省"], "上城区": ["杭州市", "浙江省"], "鄞州区": ["宁波市", "浙江省"]}
    tree, codes, missing = hierarchy.given(["西湖区", "鄞州区", "上城区", "火星区"], parents)
    lo, hi = _runs(codes, [(0, 2), (0, 1)])
    assert tree.label(lo, hi).tolist() == ["杭州市", "浙江省"]
    assert missing.tolist() == [3]
