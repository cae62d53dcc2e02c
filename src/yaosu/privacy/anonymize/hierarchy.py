"""Generalization hierarchies for categorical quasi-identifiers (GB/T 37964 Annex A 泛化, DOMAIN.md §3).

A hierarchy turns each distinct value (a leaf) into a path leaf -> parent -> ... -> "*". Leaves are
ordered so that every subtree is one contiguous run of leaf codes; the lowest common ancestor of a
run [lo, hi] is then the lowest level at which lo and hi share an ancestor. All of it is computed
over the distinct values (the column's dictionary), never per row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from yaosu.privacy.anonymize.encode import IntArray

ROOT = "*"
# Province (省 / 自治区 / 特别行政区 or a municipality), prefecture-level city, county-level district.
ADDRESS_PATTERN = (r"^(?P<province>[^省市]+?(?:省|自治区|特别行政区)|北京市|天津市|上海市|重庆市)?"
                   r"(?P<city>[^市]+?(?:市|自治州|地区|盟))?(?P<district>[^区县旗]+?(?:区|县|旗|市))?")


@dataclass(frozen=True)
class Hierarchy:
    """Leaves in tree order, their ancestor group per level (last level is the root) and group labels/sizes."""

    leaves: npt.NDArray[np.str_]
    ancestors: IntArray
    labels: tuple[npt.NDArray[np.str_], ...]
    sizes: tuple[IntArray, ...]

    @property
    def levels(self) -> int:
        """Number of levels including the leaves and the root."""
        return int(self.ancestors.shape[0])

    def lca_level(self, lo: IntArray, hi: IntArray) -> IntArray:
        """For leaf-code runs [lo, hi], the lowest level whose ancestor is shared by both ends."""
        same = self.ancestors[:, lo] == self.ancestors[:, hi]
        level: IntArray = np.argmax(same, axis=0).astype(np.int64)
        return level

    def label(self, lo: IntArray, hi: IntArray) -> npt.NDArray[np.str_]:
        """The generalized value (lowest common ancestor's label) of each run."""
        level = self.lca_level(lo, hi)
        out = np.empty(lo.size, dtype=object)
        for j in range(self.levels):
            pick = level == j
            out[pick] = self.labels[j][self.ancestors[j, lo[pick]]]
        return out.astype(str)

    def ncp(self, lo: IntArray, hi: IntArray) -> npt.NDArray[np.float64]:
        """Normalized certainty penalty: leaves under the common ancestor / all leaves (0 for one leaf)."""
        level = self.lca_level(lo, hi)
        covered = np.zeros(lo.size, dtype=np.float64)
        for j in range(1, self.levels):
            pick = level == j
            covered[pick] = self.sizes[j][self.ancestors[j, lo[pick]]]
        return covered / self.leaves.size


def from_paths(paths: npt.NDArray[np.str_]) -> tuple[Hierarchy, IntArray]:
    """Hierarchy from an (m, L) array of paths (column 0 the leaf), and each input row's leaf code."""
    m, depth = paths.shape
    order = np.lexsort(tuple(paths[:, j] for j in range(depth)))
    ordered = paths[order]
    changed = np.zeros((depth, max(m - 1, 0)), dtype=bool)
    for j in range(depth - 1, -1, -1):
        here = ordered[1:, j] != ordered[:-1, j]
        changed[j] = here if j == depth - 1 else changed[j + 1] | here
    ancestors = np.zeros((depth + 1, m), dtype=np.int64)
    ancestors[:depth, 1:] = np.cumsum(changed, axis=1)
    labels, sizes = [], []
    for j in range(depth + 1):
        first = np.flatnonzero(np.r_[True, np.diff(ancestors[j]) != 0]) if m else np.zeros(0, dtype=np.int64)
        labels.append(ordered[first, j] if j < depth else np.array([ROOT]))
        sizes.append(np.bincount(ancestors[j], minlength=first.size).astype(np.int64))
    leaf_code = np.empty(m, dtype=np.int64)
    leaf_code[order] = np.arange(m)
    return Hierarchy(ordered[:, 0], ancestors, tuple(labels), tuple(sizes)), leaf_code


def flat(values: Sequence[str]) -> tuple[Hierarchy, IntArray]:
    """Two levels: each value, then "*" (e.g. gender -> *)."""
    return from_paths(np.asarray(values, dtype=str).reshape(-1, 1))


def given(values: Sequence[str], parents: Mapping[str, Sequence[str]]) -> tuple[Hierarchy, IntArray, IntArray]:
    """A user-supplied hierarchy: value -> [parent, grandparent, ...]; also the codes of values it lacks."""
    depth = 1 + max((len(p) for p in parents.values()), default=0)
    rows = []
    for value in values:  # one pass over the distinct values (the dictionary), not over rows
        path = [value, *parents.get(value, ())]
        rows.append(path + [path[-1]] * (depth - len(path)))
    missing = np.array([i for i, v in enumerate(values) if v not in parents], dtype=np.int64)
    hierarchy, codes = from_paths(np.array(rows, dtype=str).reshape(len(values), depth))
    return hierarchy, codes, missing


def address(values: pa.Array) -> tuple[Hierarchy, IntArray]:
    """Chinese address text -> county-level district -> city -> province -> "*" (parsed with one regex)."""
    parts = pc.extract_regex(values, ADDRESS_PATTERN)
    def field(name: str) -> pa.Array:
        return pc.fill_null(pc.struct_field(parts, name), "")
    province, city, district = field("province"), field("city"), field("district")
    city = pc.if_else(pc.equal(city, ""), province, city)
    to_city = pc.binary_join_element_wise(province, pc.if_else(pc.equal(city, province), "", city), "")
    to_district = pc.binary_join_element_wise(to_city, district, "")
    columns = [values, to_district, to_city, province]
    leaf = np.asarray(values.to_numpy(zero_copy_only=False), dtype=str)
    paths = np.stack([leaf] + [np.asarray(c.to_numpy(zero_copy_only=False), dtype=str) for c in columns[1:]], axis=1)
    unparsed = paths[:, 3] == ""
    paths[unparsed, 1:] = leaf[unparsed, None]
    return from_paths(paths)
