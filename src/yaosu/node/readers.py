"""Open a table anywhere (file or database URL) as a stream of Arrow record batches.

`open_source` is the one entry point the vault and the scanner share. It never loads a whole
file: every reader yields record batches of at most `batch_rows` rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from yaosu.errors import Invalid

BATCH_ROWS = 65_536


@dataclass
class TableSource:
    """A table being read: its display name, Arrow schema, row count if known up front, and its batches."""

    name: str
    schema: pa.Schema
    batches: Iterator[pa.RecordBatch]
    rows_hint: int | None = None


def open_source(location: str, *, batch_rows: int = BATCH_ROWS) -> TableSource:
    """Open `location` (a file path; more formats and database URLs to come) for streaming."""
    path = Path(location)
    if not path.is_file():
        raise Invalid(f"no such file: {location}", field="path")
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        pf = pq.ParquetFile(path)
        return TableSource(path.name, pf.schema_arrow, pf.iter_batches(batch_size=batch_rows),
                           pf.metadata.num_rows)
    if suffix == ".csv":
        reader = pacsv.open_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 22),
                                convert_options=pacsv.ConvertOptions(column_types=None))
        return TableSource(path.name, reader.schema, iter(reader))
    raise Invalid(f"unsupported file type {suffix or '(none)'}", field="path")
