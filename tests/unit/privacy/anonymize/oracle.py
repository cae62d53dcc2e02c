"""A deliberately simple, independent check of k and l: Python tuples and a Counter, nothing shared with the kernels."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any


def k_of(rows: list[dict[str, Any]], qi: list[str]) -> int:
    """The smallest number of rows sharing one quasi-identifier tuple."""
    counts = Counter(tuple(row[name] for name in qi) for row in rows)
    return min(counts.values())


def l_of(rows: list[dict[str, Any]], qi: list[str], sensitive: str) -> int:
    """The fewest distinct sensitive values within one quasi-identifier tuple."""
    seen: dict[tuple[Any, ...], set[Any]] = defaultdict(set)
    for row in rows:
        seen[tuple(row[name] for name in qi)].add(row[sensitive])
    return min(len(values) for values in seen.values())
