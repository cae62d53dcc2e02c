"""The dataset content hash (scheme `yaosu-dataset-v1`) and the fixed row groups it is defined over.

content_hash = SHA-256 of, in order:
  1. the ASCII tag `yaosu-dataset-v1` and a newline;
  2. the schema as compact JSON, UTF-8, then a newline: a list of `{"name", "type", "nullable"}`
     objects in column order, `type` being Arrow's type string (e.g. `int64`, `string`,
     `timestamp[us]`), keys sorted;
  3. for each row group in row order (every group `ROW_GROUP_ROWS` rows, the last one shorter),
     the row count (8 bytes little-endian) and then each column's canonical encoding, every part
     length-prefixed (`yaosu.node.canonical`: validity bits, values with null slots zeroed,
     string lengths and bytes, nested types by their children).
It covers every value, every null, the column order, names and types, and the row order; it does
not cover the file bytes (the encryption is randomized), the source's encoding or delimiter, the
dataset name or any metadata. The vault computes it while writing and again from the decrypted
file before accepting a dataset; both must agree.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import pyarrow as pa

from yaosu.errors import Invalid
from yaosu.node.canonical import feed_array

SCHEME = "yaosu-dataset-v1"
ROW_GROUP_ROWS = 65_536


def storable_type(kind: pa.DataType) -> pa.DataType:
    """The type a column is stored as: what Parquet keeps exactly (seconds become milliseconds, date64
    becomes date32) with Arrow's default names for nested children (Parquet renames them)."""
    if pa.types.is_timestamp(kind) and kind.unit == "s":
        return pa.timestamp("ms", tz=kind.tz)
    if pa.types.is_time32(kind) and kind.unit == "s":
        return pa.time32("ms")
    if pa.types.is_date64(kind):
        return pa.date32()
    if pa.types.is_map(kind):
        return pa.map_(storable_type(kind.key_type), storable_type(kind.item_type))
    if pa.types.is_large_list(kind):
        return pa.large_list(storable_type(kind.value_type))
    if pa.types.is_fixed_size_list(kind):
        return pa.list_(storable_type(kind.value_type), kind.list_size)
    if pa.types.is_list(kind):
        return pa.list_(storable_type(kind.value_type))
    if pa.types.is_struct(kind):
        return pa.struct([pa.field(f.name, storable_type(f.type)) for f in kind])
    return kind


def plain_schema(schema: pa.Schema) -> pa.Schema:
    """`schema` as stored: no schema or field metadata, every field nullable, types Parquet keeps exactly."""
    return pa.schema([pa.field(f.name, storable_type(f.type), nullable=True) for f in schema])


def schema_fields(schema: pa.Schema) -> list[dict[str, object]]:
    """The schema as the list the hash and the dataset record use."""
    return [{"name": f.name, "type": str(f.type), "nullable": f.nullable} for f in schema]


class ContentHasher:
    """Incremental `yaosu-dataset-v1` hash: feed the row groups in order, then read `hexdigest()`."""

    def __init__(self, schema: pa.Schema) -> None:
        self._sha = hashlib.sha256(SCHEME.encode() + b"\n")
        head = json.dumps(schema_fields(schema), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        self._sha.update(head.encode() + b"\n")
        self.rows = 0

    def _part(self, data: bytes) -> None:
        self._sha.update(len(data).to_bytes(8, "little"))
        self._sha.update(data)

    def update(self, group: pa.RecordBatch) -> None:
        """Add one row group."""
        self._sha.update(group.num_rows.to_bytes(8, "little"))
        for column in group.columns:
            feed_array(column, self._part)
        self.rows += group.num_rows

    def hexdigest(self) -> str:
        """The hash so far, as 64 lowercase hex digits."""
        return self._sha.hexdigest()


def conform(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """`batch` labelled with `schema`, cast if a column's type differs; Invalid if it cannot be cast."""
    if batch.schema.names == schema.names and batch.schema.types == schema.types:
        return pa.RecordBatch.from_arrays(batch.columns, schema=schema)
    try:
        return batch.cast(schema)
    except (pa.ArrowException, ValueError) as exc:
        raise Invalid(f"数据块与表结构不符 / a batch does not fit the table schema: {exc}", field="path",
                      code="schema_drift") from exc


def row_groups(batches: Iterator[pa.RecordBatch], schema: pa.Schema,
               rows: int = ROW_GROUP_ROWS) -> Iterator[pa.RecordBatch]:
    """The batches regrouped into batches of exactly `rows` rows (the last one shorter), cast to `schema`."""
    pending: list[pa.RecordBatch] = []
    size = 0
    for batch in batches:
        if batch.num_rows == 0:
            continue
        pending.append(conform(batch, schema))
        size += batch.num_rows
        while size >= rows:
            merged = pa.Table.from_batches(pending, schema=schema).combine_chunks().to_batches()[0]
            yield merged.slice(0, rows)
            rest = merged.slice(rows)
            pending, size = ([rest] if rest.num_rows else []), rest.num_rows
    if size:
        yield pa.Table.from_batches(pending, schema=schema).combine_chunks().to_batches()[0]
