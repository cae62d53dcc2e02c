"""Net many journal legs per account, and find how low each account would dip on the way (pure, NumPy).

Posting a batch of entries one after another moves each account through a sequence of balances. The
batch path moves each account once, by its net amount, so it must know beforehand whether any of those
intermediate balances would go below zero: `net_and_low` gives, per account, the net movement and the
lowest running sum of its legs in entry order (0 if it never dips). An account with balance `b` can take
the batch exactly when `b + low >= 0`, the same answer posting the entries one by one would give.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Netted:
    """Per account (sorted by id): the net movement in fen and the lowest running sum of its legs (<= 0)."""

    accounts: list[str]
    net: list[int]
    low: list[int]


def net_and_low(accounts: Sequence[str], amounts: Sequence[int]) -> Netted:
    """Net `amounts` (legs in posting order) per account in `accounts`, with each account's lowest running sum."""
    if len(accounts) != len(amounts):
        raise ValueError("one account per amount")
    if not accounts:
        return Netted([], [], [])
    names, index = np.unique(np.asarray(accounts, dtype=object), return_inverse=True)
    values = np.asarray(amounts, dtype=np.int64)
    order = np.argsort(index, kind="stable")  # each account's legs together, still in posting order
    grouped, moved = index[order], values[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    running = np.cumsum(moved)
    before = (running[starts] - moved[starts]).repeat(np.diff(np.r_[starts, len(moved)]))
    within = running - before  # each account's running sum from its first leg
    ends = np.r_[starts[1:], len(moved)] - 1
    low = np.minimum(np.minimum.reduceat(within, starts), 0)
    return Netted([str(n) for n in names], within[ends].tolist(), low.tolist())
