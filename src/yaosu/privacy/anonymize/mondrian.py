"""Mondrian multidimensional partitioning (LeFevre, DeWitt, Ramakrishnan, ICDE 2006), vectorized.

All partitions of one round are handled together: rows are kept grouped by partition in one
permutation, per-partition min/max come from `np.minimum.reduceat`, one argsort orders every
partition by its chosen dimension, and the median cut of every partition is found at once. The
Python loop runs per round (about log2(n / k) rounds, plus retries on other dimensions), never per row.
A cut is allowed only if both halves keep at least k rows (and, when asked, l distinct sensitive values).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from yaosu.privacy.anonymize.dims import Dim
from yaosu.privacy.anonymize.encode import IntArray

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Partitioning:
    """A partition id per row and each partition's code range [lo, hi] per dimension (dims x partitions)."""

    ids: IntArray
    lo: IntArray
    hi: IntArray

    @property
    def count(self) -> int:
        """How many partitions there are."""
        return int(self.lo.shape[1])


@dataclass
class _Round:
    """The open partitions: rows grouped by partition in `order`, with starts, sizes and tried dimensions."""

    order: IntArray
    starts: IntArray
    sizes: IntArray
    tried: IntArray


@dataclass(frozen=True)
class Diversity:
    """The l-diversity requirement a cut must keep: sensitive codes per row and l."""

    codes: IntArray
    cardinality: int
    minimum: int


def _ranges(dims: list[Dim], state: _Round) -> tuple[IntArray, IntArray]:
    """Per-dimension min and max code of every open partition."""
    lo = np.stack([np.minimum.reduceat(d.codes[state.order], state.starts) for d in dims])
    hi = np.stack([np.maximum.reduceat(d.codes[state.order], state.starts) for d in dims])
    return lo, hi


def _choose(dims: list[Dim], state: _Round, lo: IntArray, hi: IntArray) -> tuple[IntArray, IntArray]:
    """Per partition the untried dimension of widest normalized range (-1 when none can be cut), and cut levels."""
    widths = np.stack([d.spread(l_, h_) for d, l_, h_ in zip(dims, lo, hi, strict=True)])
    widths[lo == hi] = -1.0
    for j in range(len(dims)):
        widths[j, (state.tried >> j) & 1 == 1] = -1.0
    best = np.argmax(widths, axis=0)
    cols = np.arange(best.size)
    best = np.where(widths[best, cols] < 0, -1, best)
    levels = np.stack([d.cut_level(l_, h_) for d, l_, h_ in zip(dims, lo, hi, strict=True)])
    return best, levels[np.maximum(best, 0), cols]


def _sorted_keys(dims: list[Dim], state: _Round, seg: IntArray, best: IntArray,
                 level: IntArray) -> tuple[IntArray, IntArray]:
    """Reorder each partition's rows by its chosen dimension (in place in `state.order`); return codes and cut keys."""
    pos_dim = best[seg]
    values = np.zeros(seg.size, dtype=np.int64)
    keys = np.zeros(seg.size, dtype=np.int64)
    for j, d in enumerate(dims):
        pick = pos_dim == j
        values[pick] = d.codes[state.order[pick]]
        keys[pick] = d.cut_key(values[pick], level[seg[pick]])
    width = max(d.cardinality for d in dims) + 1
    perm = np.argsort(seg * width + values, kind="stable")
    state.order = state.order[perm]
    return values[perm], keys[perm]


def _cuts(state: _Round, seg: IntArray, keys: IntArray, k: int) -> IntArray:
    """Rows going left in each partition's median cut (keys <= median, else < median); 0 when neither keeps k."""
    median = keys[state.starts + (state.sizes - 1) // 2]
    n_le = np.add.reduceat((keys <= median[seg]).astype(np.int64), state.starts)
    n_lt = np.add.reduceat((keys < median[seg]).astype(np.int64), state.starts)
    ok_le = (n_le >= k) & (state.sizes - n_le >= k)
    ok_lt = (n_lt >= k) & (state.sizes - n_lt >= k)
    half = state.sizes / 2
    prefer_lt = ok_lt & (~ok_le | (np.abs(n_lt - half) < np.abs(n_le - half)))
    return np.where(prefer_lt, n_lt, np.where(ok_le, n_le, 0))


def _diverse(state: _Round, seg: IntArray, cut: IntArray, need: Diversity) -> IntArray:
    """Keep only cuts whose two halves each hold at least l distinct sensitive values."""
    offset = np.arange(seg.size) - state.starts[seg]
    child = 2 * seg + (offset >= cut[seg])
    pairs = np.unique(child * max(need.cardinality, 1) + need.codes[state.order])
    distinct = np.bincount(pairs // max(need.cardinality, 1), minlength=2 * state.sizes.size)
    ok = (distinct[0::2] >= need.minimum) & (distinct[1::2] >= need.minimum)
    return np.where(ok, cut, 0)


def _split(state: _Round, cut: IntArray, best: IntArray) -> _Round:
    """The next round's open partitions: cut ones become two, uncut ones remember the dimension tried."""
    cutting = cut > 0
    left = np.column_stack([state.starts, state.starts + cut])[cutting].reshape(-1)
    left_sizes = np.column_stack([cut, state.sizes - cut])[cutting].reshape(-1)
    stay = ~cutting
    starts = np.concatenate([left, state.starts[stay]])
    sizes = np.concatenate([left_sizes, state.sizes[stay]])
    tried = np.concatenate([np.zeros(left.size, dtype=np.int64), state.tried[stay] | (1 << best[stay])])
    rank = np.argsort(starts, kind="stable")
    return _Round(state.order, starts[rank], sizes[rank], tried[rank])


def partition(dims: list[Dim], k: int, diversity: Diversity | None = None) -> Partitioning:
    """Mondrian partitions of the rows such that every partition holds at least k rows (and l values)."""
    rows = dims[0].codes.size
    ids = np.zeros(rows, dtype=np.int64)
    done_lo: list[IntArray] = []
    done_hi: list[IntArray] = []
    state = _Round(np.arange(rows), np.zeros(1, dtype=np.int64), np.array([rows]), np.zeros(1, dtype=np.int64))
    while state.sizes.size:
        lo, hi = _ranges(dims, state)
        best, level = _choose(dims, state, lo, hi)
        finished = best < 0
        if finished.any():
            state = _finish(state, finished, lo, hi, ids, done_lo, done_hi)
            best, level = best[~finished], level[~finished]
            if not state.sizes.size:
                break
        seg = np.repeat(np.arange(state.sizes.size), state.sizes)
        values, keys = _sorted_keys(dims, state, seg, best, level)
        cut = _cuts(state, seg, keys, k)
        # A hierarchy cut between children can fail when one child dominates; then cut inside it.
        cut = np.where(cut == 0, _cuts(state, seg, values, k), cut)
        if diversity is not None:
            cut = _diverse(state, seg, cut, diversity)
        state = _split(state, cut, best)
    return Partitioning(ids, np.concatenate(done_lo, axis=1), np.concatenate(done_hi, axis=1))


def _finish(state: _Round, finished: BoolArray, lo: IntArray, hi: IntArray, ids: IntArray,
            done_lo: list[IntArray], done_hi: list[IntArray]) -> _Round:
    """Close the finished partitions: number them, label their rows, and drop them from the open set."""
    first_id = sum(x.shape[1] for x in done_lo)
    seg = np.repeat(np.arange(state.sizes.size), state.sizes)
    numbers = np.cumsum(finished) - 1 + first_id
    closing = finished[seg]
    ids[state.order[closing]] = numbers[seg[closing]]
    done_lo.append(lo[:, finished])
    done_hi.append(hi[:, finished])
    keep = ~finished
    order = state.order[~closing]
    sizes = state.sizes[keep]
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
    return _Round(order, starts, sizes, state.tried[keep])
