"""Turn row tuples from row-oriented sources (a spreadsheet, a database cursor) into Arrow record batches.

Those sources hand out one Python tuple per row, so conversion to columns is per cell by nature;
it happens once at ingest, never on a scan or masking path. A column's type is fixed by the first
batch (or given up front); a column whose first values mix types is kept as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

import pyarrow as pa

from yaosu.errors import Invalid


def _as_text(values: Sequence[Any]) -> list[str | None]:
    return [None if v is None else str(v) for v in values]


def infer_field(name: str, values: Sequence[Any]) -> pa.Field:
    """The Arrow field for a column from its first values: their common type, or string if mixed or all empty."""
    try:
        kind = pa.array(values).type
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return pa.field(name, pa.string())
    return pa.field(name, pa.string() if pa.types.is_null(kind) else kind)


def column_array(field: pa.Field, values: Sequence[Any]) -> pa.Array:
    """`values` as an array of `field`'s type (text columns take any value as its string form)."""
    if pa.types.is_string(field.type):
        return pa.array(_as_text(values), type=pa.string())
    try:
        return pa.array(values, type=field.type)
    except (pa.ArrowException, TypeError, ValueError, OverflowError) as exc:
        raise Invalid(f"列 {field.name} 的值类型不一致 / column {field.name!r} changes type ({field.type}): {exc}",
                      field="path", code="mixed_types") from exc


def to_batch(schema: pa.Schema, rows: Sequence[Sequence[Any]]) -> pa.RecordBatch:
    """A record batch of `rows` (tuples as wide as `schema`); short rows are padded with nulls."""
    width = len(schema)
    if any(len(r) > width and any(v not in (None, "") for v in r[width:]) for r in rows):
        raise Invalid(f"有行多于表头的 {width} 列 / ragged rows: a row has values beyond the {width} header columns",
                      field="path", code="ragged_rows")
    padded = [tuple(r[:width]) + (None,) * (width - len(r)) if len(r) != width else r for r in rows]
    columns = list(zip(*padded, strict=True)) if padded else [() for _ in range(width)]
    return pa.RecordBatch.from_arrays([column_array(f, c) for f, c in zip(schema, columns, strict=True)],
                                      schema=schema)


def batches_of(schema: pa.Schema | None, names: Sequence[str], rows: Iterable[Sequence[Any]],
               batch_rows: int) -> tuple[pa.Schema, Iterator[pa.RecordBatch]]:
    """The schema (given, or inferred from the first batch) and the rows as record batches of `batch_rows`."""
    it = iter(rows)
    first = [tuple(r) for r in islice(it, batch_rows)]
    if schema is None:
        width = len(names)
        columns = list(zip(*[r[:width] + (None,) * (width - len(r)) for r in first], strict=True)) or [()] * width
        schema = pa.schema([infer_field(n, c) for n, c in zip(names, columns, strict=False)])
    fixed = schema

    def generate() -> Iterator[pa.RecordBatch]:
        if first:
            yield to_batch(fixed, first)
        while chunk := [tuple(r) for r in islice(it, batch_rows)]:
            yield to_batch(fixed, chunk)

    return fixed, generate()
