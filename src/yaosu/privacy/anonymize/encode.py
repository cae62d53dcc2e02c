"""Arrow columns to dense integer codes, and quasi-identifier tuples to equivalence-class ids."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from yaosu.errors import Invalid

IntArray = npt.NDArray[np.int64]
_KEY_LIMIT = 1 << 62


@dataclass(frozen=True)
class Classes:
    """Equivalence classes of a table on some columns: a class id per row and each class's size."""

    ids: IntArray
    sizes: IntArray

    @property
    def count(self) -> int:
        """How many classes there are."""
        return int(self.sizes.size)


def column(table: pa.Table, name: str) -> pa.Array:
    """Column `name` of `table` as one contiguous Arrow array; a clear error when it is missing."""
    if name not in table.column_names:
        raise Invalid(f"no column named {name!r}", field=name)
    chunked = table.column(name)
    return chunked.combine_chunks() if chunked.num_chunks != 1 else chunked.chunk(0)


def is_numeric(array: pa.Array) -> bool:
    """True when the column is integer or floating point (ordered distance applies)."""
    return bool(pa.types.is_integer(array.type) or pa.types.is_floating(array.type))


def codes(array: pa.Array) -> tuple[IntArray, int]:
    """Dense codes 0..m-1 for the distinct values of `array` (nulls form one extra code) and m."""
    encoded = pc.dictionary_encode(array, null_encoding="encode")
    indices = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    return indices, len(encoded.dictionary)


def ranks(array: pa.Array) -> tuple[IntArray, npt.NDArray[np.float64]]:
    """Codes in value order for a numeric column without nulls, and the sorted distinct values."""
    if array.null_count:
        raise Invalid("numeric column has missing values", field=None)
    values = array.to_numpy(zero_copy_only=False).astype(np.float64, copy=False)
    uniques, inverse = np.unique(values, return_inverse=True)
    return inverse.astype(np.int64, copy=False), uniques


def combine(parts: list[tuple[IntArray, int]], rows: int) -> Classes:
    """Classes of the rows over several coded columns (mixed-radix keys, re-densified before overflow)."""
    key = np.zeros(rows, dtype=np.int64)
    radix = 1
    for part_codes, cardinality in parts:
        width = max(cardinality, 1)
        if radix * width >= _KEY_LIMIT:
            uniques, inverse = np.unique(key, return_inverse=True)
            key, radix = inverse.astype(np.int64, copy=False), int(uniques.size)
        key = key * width + part_codes
        radix *= width
    _, ids, sizes = np.unique(key, return_inverse=True, return_counts=True)
    return Classes(ids.astype(np.int64, copy=False).reshape(-1), sizes.astype(np.int64, copy=False))


def classes(table: pa.Table, names: list[str]) -> Classes:
    """Equivalence classes of `table` on the columns `names` (vectorized; no per-row Python)."""
    if not names:
        raise Invalid("at least one quasi-identifier is needed", field="qi")
    return combine([codes(column(table, name)) for name in names], table.num_rows)
