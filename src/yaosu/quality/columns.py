"""Column helpers shared by the checks: type families, SQL for 'present', and masked failing examples."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from yaosu.quality.measures import EXAMPLES, Context
from yaosu.quality.sql import quote


def _base(dtype: pa.DataType) -> pa.DataType:
    return dtype.value_type if pa.types.is_dictionary(dtype) else dtype


def is_text(dtype: pa.DataType) -> bool:
    """True for string columns (plain, large or dictionary-encoded)."""
    base = _base(dtype)
    return bool(pa.types.is_string(base) or pa.types.is_large_string(base))


def is_temporal(dtype: pa.DataType) -> bool:
    """True for date and timestamp columns."""
    base = _base(dtype)
    return bool(pa.types.is_date(base) or pa.types.is_timestamp(base))


def type_family(dtype: pa.DataType) -> str:
    """The spec's name for an Arrow type: string, integer, float, boolean, date, timestamp or other."""
    base = _base(dtype)
    checks = (("string", is_text), ("integer", pa.types.is_integer), ("float", pa.types.is_floating),
              ("boolean", pa.types.is_boolean), ("date", pa.types.is_date), ("timestamp", pa.types.is_timestamp))
    return next((name for name, test in checks if test(base)), "other")


def present(name: str, dtype: pa.DataType) -> str:
    """SQL true where the cell holds a value: not null, not blank text, not NaN."""
    col = quote(name)
    if is_text(dtype):
        return f"({col} IS NOT NULL AND trim({col}) <> '')"
    if pa.types.is_floating(_base(dtype)):
        return f"({col} IS NOT NULL AND NOT isnan({col}))"
    return f"({col} IS NOT NULL)"


def present_mask(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """Arrow's twin of `present` over a whole column: true where the cell holds a value (never null).

    Text is blank when empty or whitespace only (Unicode whitespace, the ideographic space included);
    floats are absent when NaN. One pass per column, no copies of the strings."""
    dtype = column.type
    if pa.types.is_dictionary(dtype):
        column = column.cast(dtype.value_type)
        dtype = dtype.value_type
    if is_text(dtype):
        blank = pc.or_(pc.equal(pc.binary_length(column), 0), pc.utf8_is_space(column))
        return pc.fill_null(pc.invert(blank), False)
    if pa.types.is_floating(dtype):
        return pc.fill_null(pc.invert(pc.is_nan(column)), False)
    return pc.is_valid(column)


def mask(value: object) -> str:
    """A failing example safe to show: first 3 and last 2 characters kept (less for short values)."""
    text = str(value)
    n = len(text)
    if n >= 8:
        return text[:3] + "*" * (n - 5) + text[-2:]
    if n >= 3:
        return text[:1] + "*" * (n - 1)
    return "*" * n


def examples(ctx: Context, column: str, failing: str, table: str = "t") -> tuple[str, ...]:
    """Up to EXAMPLES masked values of `column` from rows where the SQL predicate `failing` is true."""
    col = quote(column)
    rows = ctx.con.execute(f"SELECT CAST({col} AS VARCHAR) FROM {table} WHERE {failing} "  # noqa: S608
                           f"AND {col} IS NOT NULL LIMIT {EXAMPLES}").fetchall()
    return tuple(mask(r[0]) for r in rows)
