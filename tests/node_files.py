"""Sample tables written in every format the data node reads (for the node's unit and integration tests)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

ROWS: list[dict[str, Any]] = [
    {"姓名": "张三", "年龄": 30, "城市": "北京", "收入": 1234.5},
    {"姓名": "李四", "年龄": 41, "城市": None, "收入": 99.25},
    {"姓名": "王五", "年龄": None, "城市": "上海", "收入": 0.5},
    {"姓名": "赵六", "年龄": 27, "城市": "广州", "收入": None},
]
COLUMNS = list(ROWS[0])
SECRET = "机密值ZXQ-7731-SECRET"  # a value that must never appear in the vault's bytes


def _cell(v: Any) -> str:
    return "" if v is None else str(v)


def write_delimited(path: Path, rows: list[dict[str, Any]] = ROWS, *, delimiter: str = ",",
                    encoding: str = "utf-8") -> Path:
    """A delimited text file with a header row."""
    lines = [delimiter.join(rows[0])] + [delimiter.join(_cell(v) for v in r.values()) for r in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def write_jsonl(path: Path, rows: list[dict[str, Any]] = ROWS) -> Path:
    """JSON lines, one object a row."""
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def write_parquet(path: Path, rows: list[dict[str, Any]] = ROWS) -> Path:
    """A Parquet file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


def write_xlsx(path: Path, rows: list[dict[str, Any]] = ROWS, sheet: str = "客户") -> Path:
    """An .xlsx workbook whose sheet `sheet` holds the rows under a header row."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet)
    ws.append(list(rows[0]))
    for r in rows:
        ws.append(list(r.values()))
    book.save(path)
    return path


def write_sqlite(path: Path, rows: list[dict[str, Any]] = ROWS, table: str = "customers") -> Path:
    """A SQLite database with one typed table."""
    with sqlite3.connect(path) as conn:
        conn.execute(f'CREATE TABLE {table} ("姓名" TEXT, "年龄" INTEGER, "城市" VARCHAR(20), "收入" REAL)')
        conn.executemany(f"INSERT INTO {table} VALUES (?, ?, ?, ?)", [tuple(r.values()) for r in rows])
    return path


def typed_table() -> pa.Table:
    """300 rows, a column of each Arrow type family the vault stores, every fifth row null."""
    import pyarrow as pa

    n = 300
    valid = [i % 5 != 0 for i in range(n)]

    def nulls(values: list[object]) -> list[object]:
        return [v if ok else None for v, ok in zip(values, valid, strict=True)]

    return pa.table({
        "b": pa.array(nulls([i % 2 == 0 for i in range(n)]), pa.bool_()),
        "i8": pa.array(nulls([i % 100 for i in range(n)]), pa.int8()),
        "d": pa.array(nulls(list(range(n))), pa.int32()).cast(pa.date32()),
        "ts": pa.array(nulls(list(range(n))), pa.int64()).cast(pa.timestamp("us", tz="Asia/Shanghai")),
        "dec": pa.array(nulls([Decimal(f"{i}.25")
                               for i in range(n)]), pa.decimal128(12, 2)),
        "bin": pa.array(nulls([bytes([i % 256]) * (i % 4) for i in range(n)]), pa.binary()),
        "ls": pa.array(nulls([f"值{i}" for i in range(n)]), pa.large_string()),
        "dict": pa.array(nulls([f"k{i % 3}" for i in range(n)])).dictionary_encode(),
        "list": pa.array(nulls([list(range(i % 4)) for i in range(n)]), pa.list_(pa.int64())),
        "struct": pa.array(nulls([{"x": i, "y": str(i)} for i in range(n)])),
        "map": pa.array(nulls([[("k", i)] for i in range(n)]), pa.map_(pa.string(), pa.int64())),
        "null": pa.nulls(n),
        "u16": pa.array(nulls(list(range(n))), pa.uint16()),
        "ts_s": pa.array(nulls(list(range(n))), pa.int64()).cast(pa.timestamp("s")),
        "t32_s": pa.array(nulls(list(range(n))), pa.int32()).cast(pa.time32("s")),
        "date64": pa.array(nulls([date(2020, 1, 1 + i % 28) for i in range(n)]), pa.date64()),
        "fsb": pa.array(nulls([bytes([i % 256, 1]) for i in range(n)]), pa.binary(2)),
        "dur": pa.array(nulls(list(range(n))), pa.duration("ms")),
    })
