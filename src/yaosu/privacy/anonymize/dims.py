"""Quasi-identifier dimensions for Mondrian: numeric ranges and categorical hierarchies.

Both map a run of codes [lo, hi] (per partition) to a normalized width (the NCP), a label, and the
key Mondrian cuts on. Codes are value-ordered ranks (numeric) or leaf codes in tree order (categorical).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from yaosu.privacy.anonymize.encode import IntArray
from yaosu.privacy.anonymize.hierarchy import Hierarchy

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class NumericDim:
    """A numeric quasi-identifier: rank codes per row, the sorted distinct values, optional band width."""

    name: str
    codes: IntArray
    values: FloatArray
    integer: bool
    band: int | None = None

    @property
    def cardinality(self) -> int:
        """Number of distinct values."""
        return int(self.values.size)

    def bounds(self, lo: IntArray, hi: IntArray) -> tuple[FloatArray, FloatArray]:
        """The published range of each run: its min and max, widened to whole bands when a band is set."""
        low, high = self.values[lo], self.values[hi]
        if self.band:
            low = np.floor(low / self.band) * self.band
            high = np.floor(high / self.band) * self.band + self.band - 1
        return low, high

    def ncp(self, lo: IntArray, hi: IntArray) -> FloatArray:
        """(max - min) / the column's span; 0 when the column holds one value."""
        span = float(self.values[-1] - self.values[0]) if self.values.size else 0.0
        low, high = self.bounds(lo, hi)
        if span <= 0:
            return np.zeros(lo.size)
        return np.minimum((high - low) / span, 1.0)

    def spread(self, lo: IntArray, hi: IntArray) -> FloatArray:
        """How wide each run is, for choosing the dimension to cut: (max - min) / span."""
        span = float(self.values[-1] - self.values[0]) if self.values.size else 0.0
        return (self.values[hi] - self.values[lo]) / span if span > 0 else np.zeros(lo.size)

    def cut_key(self, codes: IntArray, level: IntArray) -> IntArray:
        """Mondrian cuts numeric dimensions on the value order itself."""
        return codes

    def cut_level(self, lo: IntArray, hi: IntArray) -> IntArray:
        """Numeric dimensions have a single level."""
        return np.zeros(lo.size, dtype=np.int64)

    def label(self, lo: IntArray, hi: IntArray) -> pa.Array:
        """'a-b' strings (or 'a' when the range holds one value), integers without a decimal point."""
        low, high = self.bounds(lo, hi)
        kind = pa.int64() if self.integer else pa.float64()
        low_s = pc.cast(pa.array(low.astype(np.int64) if self.integer else low, kind), pa.string())
        high_s = pc.cast(pa.array(high.astype(np.int64) if self.integer else high, kind), pa.string())
        joined = pc.binary_join_element_wise(low_s, high_s, "-")
        return pc.if_else(pa.array(low == high), low_s, joined)


@dataclass(frozen=True)
class CategoricalDim:
    """A categorical quasi-identifier: leaf codes per row in tree order, and its hierarchy."""

    name: str
    codes: IntArray
    hierarchy: Hierarchy

    @property
    def cardinality(self) -> int:
        """Number of leaves."""
        return int(self.hierarchy.leaves.size)

    def ncp(self, lo: IntArray, hi: IntArray) -> FloatArray:
        """Leaves under the lowest common ancestor / all leaves."""
        return self.hierarchy.ncp(lo, hi)

    def spread(self, lo: IntArray, hi: IntArray) -> FloatArray:
        """How wide each run is, for choosing the dimension to cut: its NCP under a hierarchy with inner
        levels; under a flat one (NCP stays 1 until one leaf is left) the share of leaves the run spans."""
        if self.hierarchy.levels > 2:
            return self.ncp(lo, hi)
        return (hi - lo) / max(self.cardinality - 1, 1)

    def cut_level(self, lo: IntArray, hi: IntArray) -> IntArray:
        """The level just below the common ancestor: cuts fall between its children, not inside one."""
        return np.maximum(self.hierarchy.lca_level(lo, hi) - 1, 0)

    def cut_key(self, codes: IntArray, level: IntArray) -> IntArray:
        """Each row's ancestor at the cut level, so a cut never splits a child subtree."""
        return self.hierarchy.ancestors[level, codes]

    def label(self, lo: IntArray, hi: IntArray) -> pa.Array:
        """The common ancestor's label."""
        return pa.array(self.hierarchy.label(lo, hi), pa.string())


Dim = NumericDim | CategoricalDim
