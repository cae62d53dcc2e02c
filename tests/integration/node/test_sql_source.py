"""A table in the test database itself (SQLite or PostgreSQL) streams in partitions through a server-side cursor."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pyarrow as pa
import pytest
from sqlalchemy import Column, Date, Engine, Integer, MetaData, Numeric, String, Table, insert

from yaosu.node.readers import open_source

META = MetaData()
PROBE = Table("node_source_probe", META, Column("id", Integer, primary_key=True), Column("name", String(40)),
              Column("amount", Numeric(12, 2)), Column("day", Date))


@pytest.fixture
def probe(engine: Engine) -> Iterator[str]:
    META.create_all(engine)
    try:
        with engine.begin() as conn:
            conn.execute(insert(PROBE), [{"id": i, "name": None if i % 9 == 0 else f"名{i}",
                                          "amount": Decimal(i) / 4, "day": date(2026, 1, 1 + i % 28)}
                                         for i in range(2_500)])
        yield PROBE.name
    finally:
        META.drop_all(engine)


def test_database_table_streams_in_partitions(probe: str, db_url: str) -> None:
    source = open_source(db_url, table=probe, batch_rows=1_000)
    assert source.schema.types == [pa.int64(), pa.string(), pa.decimal128(12, 2), pa.date32()]
    batches = list(source.batches)
    assert [b.num_rows for b in batches] == [1_000, 1_000, 500]
    rows = pa.Table.from_batches(batches).to_pylist()
    assert rows[9] == {"id": 9, "name": None, "amount": Decimal("2.25"), "day": date(2026, 1, 10)}
    assert [r["id"] for r in rows] == list(range(2_500))
    assert source.description.startswith(f"database table {probe} at ")
