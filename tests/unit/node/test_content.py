"""The `yaosu-dataset-v1` content hash: independent of how rows arrive, sensitive to every value, null and name."""

from __future__ import annotations

import pyarrow as pa
import pytest

from tests.node_files import typed_table
from yaosu.errors import Invalid
from yaosu.node.content import ContentHasher, conform, plain_schema, row_groups

TABLE = pa.table({"id": pa.array(range(1_000), pa.int64()),
                  "name": pa.array([f"名{i}" if i % 7 else None for i in range(1_000)]),
                  "score": pa.array([i / 3 for i in range(1_000)])})


def _hash(table: pa.Table, batch_rows: int = 97, group_rows: int = 256) -> str:
    schema = plain_schema(table.schema)
    hasher = ContentHasher(schema)
    for group in row_groups(iter(table.to_batches(max_chunksize=batch_rows)), schema, group_rows):
        hasher.update(group)
    return hasher.hexdigest()


def test_row_groups_are_exact_and_keep_every_row() -> None:
    groups = list(row_groups(iter(TABLE.to_batches(max_chunksize=97)), TABLE.schema, 256))
    assert [g.num_rows for g in groups] == [256, 256, 256, 232]
    assert pa.Table.from_batches(groups).equals(TABLE)


@pytest.mark.parametrize("batch_rows", [1, 97, 256, 1_000])
def test_hash_does_not_depend_on_how_batches_arrive(batch_rows: int) -> None:
    assert _hash(TABLE, batch_rows) == _hash(TABLE, 1_000)


def _set(column: str, index: int, value: object) -> pa.Table:
    values = TABLE.column(column).to_pylist()
    values[index] = value
    return TABLE.set_column(TABLE.schema.get_field_index(column), column,
                            pa.array(values, TABLE.schema.field(column).type))


CHANGES = {
    "one-value": lambda: _set("id", 500, 501),
    "value-to-null": lambda: _set("id", 0, None),
    "null-to-empty-string": lambda: _set("name", 0, ""),
    "row-order": lambda: TABLE.take(pa.array([1, 0, *range(2, 1_000)])),
    "column-name": lambda: TABLE.rename_columns(["id", "名字", "score"]),
    "column-order": lambda: TABLE.select(["name", "id", "score"]),
    "column-type": lambda: TABLE.set_column(0, "id", TABLE.column("id").cast(pa.int32())),
    "one-row-fewer": lambda: TABLE.slice(0, 999),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_hash_changes_with_the_content(change: str) -> None:
    assert _hash(CHANGES[change]()) != _hash(TABLE)


def test_hash_ignores_schema_metadata() -> None:
    tagged = TABLE.replace_schema_metadata({"pandas": "{}"})
    assert _hash(tagged) == _hash(TABLE)


def test_conform_refuses_a_batch_that_does_not_fit() -> None:
    batch = pa.record_batch({"id": pa.array(["x"]), "name": pa.array(["a"]), "score": pa.array([1.0])})
    with pytest.raises(Invalid) as err:
        conform(batch, TABLE.schema)
    assert err.value.code == "schema_drift"


@pytest.mark.parametrize("batch_rows", [1, 7, 64, 300])
def test_every_type_hashes_the_same_whatever_the_slicing(batch_rows: int) -> None:
    table = typed_table()
    assert _hash(table, batch_rows, group_rows=64) == _hash(table.combine_chunks(), 300, group_rows=64)


def test_bytes_under_a_null_slot_do_not_count() -> None:
    clean = pa.array([1, None, 3], pa.int64())
    data = pa.py_buffer((1).to_bytes(8, "little") + (12345).to_bytes(8, "little") + (3).to_bytes(8, "little"))
    dirty = pa.Array.from_buffers(pa.int64(), 3, [clean.buffers()[0], data])
    assert dirty.to_pylist() == clean.to_pylist()
    assert _hash(pa.table({"a": dirty})) == _hash(pa.table({"a": clean}))
    assert _hash(pa.table({"a": pa.array([1, 0, 3])})) != _hash(pa.table({"a": clean}))
