"""Sample tables written in every format the data node reads (for the node's unit and integration tests)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

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
