"""Privacy models on quasi-identifiers (DOMAIN.md §3, GB/T 37964 Annex B): k, l and t.

Every measure works on whole columns: class ids from one `np.unique`, (class, value) pairs from
another, and per-class sums by `np.bincount`. No Python loop runs per row or per class.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from yaosu.errors import Invalid
from yaosu.privacy.anonymize.encode import Classes, IntArray, classes, codes, column, is_numeric, ranks

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Measures:
    """k, distinct and entropy l, t (EMD) and the share of records unique on the quasi-identifiers."""

    rows: int
    classes: int
    k: int
    unique_share: float
    l_distinct: int | None = None
    l_entropy: float | None = None
    t_closeness: float | None = None


def k_anonymity(cls: Classes) -> int:
    """The smallest equivalence-class size (0 for an empty table)."""
    return int(cls.sizes.min()) if cls.count else 0


def unique_share(cls: Classes) -> float:
    """Share of records whose quasi-identifier combination occurs once."""
    rows = int(cls.sizes.sum())
    return float((cls.sizes == 1).sum()) / rows if rows else 0.0


def _pairs(cls: Classes, values: IntArray, cardinality: int) -> tuple[IntArray, IntArray, IntArray]:
    """Distinct (class, value) pairs sorted by class then value, with their counts."""
    key = cls.ids * max(cardinality, 1) + values
    uniq, counts = np.unique(key, return_counts=True)
    width = max(cardinality, 1)
    return uniq // width, uniq % width, counts.astype(np.int64)


def l_distinct(cls: Classes, values: IntArray, cardinality: int) -> int:
    """Distinct l-diversity: the fewest distinct sensitive values in any class."""
    if not cls.count:
        return 0
    pair_class, _, _ = _pairs(cls, values, cardinality)
    return int(np.bincount(pair_class, minlength=cls.count).min())


def l_entropy(cls: Classes, values: IntArray, cardinality: int) -> float:
    """Entropy l-diversity: exp of the smallest per-class entropy of the sensitive value."""
    if not cls.count:
        return 0.0
    pair_class, _, counts = _pairs(cls, values, cardinality)
    share = counts / cls.sizes[pair_class]
    entropy = -np.bincount(pair_class, weights=share * np.log(share), minlength=cls.count)
    return float(np.exp(entropy.min()))


def t_equal(cls: Classes, values: IntArray, cardinality: int) -> float:
    """t-closeness with the equal ground distance: max over classes of half the L1 distance to the table."""
    if not cls.count:
        return 0.0
    overall = np.bincount(values, minlength=cardinality) / values.size
    pair_class, pair_value, counts = _pairs(cls, values, cardinality)
    share = counts / cls.sizes[pair_class]
    q = overall[pair_value]
    # Values absent from a class contribute q each; sum(q) over all values is 1.
    per_class = np.bincount(pair_class, weights=np.abs(share - q) - q, minlength=cls.count) + 1.0
    return float(0.5 * per_class.max())


def t_ordered(cls: Classes, values: IntArray, cardinality: int) -> float:
    """t-closeness with the ordered distance: EMD = sum of |class CDF - table CDF| / (m - 1), max over classes."""
    if not cls.count or cardinality < 2:
        return 0.0
    g = np.cumsum(np.bincount(values, minlength=cardinality)) / values.size
    sg = np.concatenate(([0.0], np.cumsum(g)))
    pair_class, pair_value, counts = _pairs(cls, values, cardinality)
    first = np.ones(pair_class.size, dtype=bool)
    first[1:] = pair_class[1:] != pair_class[:-1]
    last = np.roll(first, -1)
    running = np.cumsum(counts)
    before = np.maximum.accumulate(np.where(first, running - counts, 0))
    f = (running - before) / cls.sizes[pair_class]
    a = pair_value
    b = np.where(last, cardinality, np.roll(pair_value, -1))
    j = np.clip(np.searchsorted(g, f, side="left"), a, b)
    seg = f * (j - a) - (sg[j] - sg[a]) + (sg[b] - sg[j]) - f * (b - j)
    lead = np.where(first, sg[a], 0.0)
    emd = np.bincount(pair_class, weights=seg + lead, minlength=cls.count) / (cardinality - 1)
    return float(emd.max())


def sensitive_codes(table: pa.Table, name: str) -> tuple[IntArray, int, bool]:
    """Codes of the sensitive column (value-ordered when numeric), the number of values, and whether ordered."""
    array = column(table, name)
    if is_numeric(array) and not array.null_count:
        value_codes, uniques = ranks(array)
        return value_codes, int(uniques.size), True
    value_codes, cardinality = codes(array)
    return value_codes, cardinality, False


def measure(table: pa.Table, qi: list[str], sensitive: str | None = None) -> Measures:
    """All privacy-model measures of `table` on quasi-identifiers `qi` (and `sensitive` when given)."""
    if table.num_rows == 0:
        raise Invalid("the table has no rows", field="table")
    cls = classes(table, qi)
    base = {"rows": table.num_rows, "classes": cls.count, "k": k_anonymity(cls), "unique_share": unique_share(cls)}
    if sensitive is None:
        return Measures(**base)  # type: ignore[arg-type]
    if sensitive in qi:
        raise Invalid("the sensitive attribute cannot also be a quasi-identifier", field="sensitive")
    values, cardinality, ordered = sensitive_codes(table, sensitive)
    t = t_ordered(cls, values, cardinality) if ordered else t_equal(cls, values, cardinality)
    return Measures(**base, l_distinct=l_distinct(cls, values, cardinality),  # type: ignore[arg-type]
                    l_entropy=l_entropy(cls, values, cardinality), t_closeness=t)
