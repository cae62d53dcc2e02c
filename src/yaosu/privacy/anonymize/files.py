"""Anonymize a CSV or Parquet file: QI columns in memory, everything else streamed, output all-or-nothing.

Pass 1 streams the input (`open_source`) keeping only the quasi-identifier and sensitive columns plus
a row number; Mondrian runs on those. Pass 2 streams the input again, drops suppressed rows, swaps in
the generalized values batch by batch, and writes a temporary file next to OUTPUT that is renamed
into place only when complete.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from yaosu.errors import Invalid
from yaosu.node.readers import TableSource, open_source
from yaosu.privacy.anonymize.config import AnonymizeConfig
from yaosu.privacy.anonymize.pipeline import AnonymizeReport, anonymize_table

ROW = "__yaosu_row__"
MAX_ROWS = 50_000_000
WRITABLE = (".csv", ".parquet")


def read_columns(location: str, names: list[str]) -> pa.Table:
    """Only columns `names` of a file (streamed batch by batch), with a row-number column appended."""
    return read_source_columns(open_source(location), names)


def read_source_columns(source: TableSource, names: list[str]) -> pa.Table:
    """Only columns `names` of an opened table (streamed batch by batch), with a row-number column appended."""
    missing = [n for n in names if n not in source.schema.names]
    if missing:
        raise Invalid(f"{source.name} has no column {missing[0]!r}", field="qi")
    if ROW in source.schema.names:
        raise Invalid(f"the input may not contain a column named {ROW}", field="path")
    batches, offset = [], 0
    for batch in source.batches:
        picked = pa.RecordBatch.from_arrays([batch.column(n) for n in names], names=names)
        batches.append(picked.append_column(ROW, pa.array(np.arange(offset, offset + batch.num_rows))))
        offset += batch.num_rows
        if offset > MAX_ROWS:
            raise Invalid(f"more than {MAX_ROWS} rows; anonymize in the vault engine instead", field="path")
    schema = pa.schema([source.schema.field(n) for n in names]).append(pa.field(ROW, pa.int64()))
    return pa.Table.from_batches(batches, schema=schema)


def output_batches(source: TableSource, generalized: pa.Table, qi: tuple[str, ...]) -> Iterator[pa.RecordBatch]:
    """The input's batches (opened afresh) with suppressed rows dropped and quasi-identifiers replaced."""
    kept = generalized.column(ROW).to_numpy()
    offset = 0
    for batch in source.batches:
        lo, hi = np.searchsorted(kept, [offset, offset + batch.num_rows])
        rows = batch.take(pa.array(kept[lo:hi] - offset))
        for name in qi:
            index = rows.schema.get_field_index(name)
            rows = rows.set_column(index, name, generalized.column(name).slice(lo, hi - lo).combine_chunks())
        offset += batch.num_rows
        yield rows


def output_schema(schema: pa.Schema, qi: tuple[str, ...]) -> pa.Schema:
    """The anonymized table's schema: the quasi-identifiers become text (ranges, hierarchy levels)."""
    for name in qi:
        schema = schema.set(schema.get_field_index(name), pa.field(name, pa.string()))
    return schema


def _write(batches: Iterator[pa.RecordBatch], path: Path, schema: pa.Schema) -> None:
    """Write `batches` to `path` as CSV or Parquet (by extension)."""
    writer: pq.ParquetWriter | pacsv.CSVWriter
    writer = pq.ParquetWriter(path, schema) if path.suffix.lower() == ".parquet" else pacsv.CSVWriter(path, schema)
    with writer:
        for batch in batches:
            writer.write_batch(batch)


def anonymize_file(location: str, out: Path, config: AnonymizeConfig,
                   population: str | None = None) -> AnonymizeReport:
    """Anonymize file `location` into `out` (CSV or Parquet); nothing is left at `out` on failure."""
    if out.suffix.lower() not in WRITABLE:
        raise Invalid(f"the output must end in {' or '.join(WRITABLE)}", field="out")
    if not out.parent.is_dir():
        raise Invalid(f"no such directory: {out.parent}", field="out")
    names = [*config.qi, *([config.sensitive] if config.sensitive else [])]
    table = read_columns(location, names)
    pop = read_columns(population, list(config.qi)).drop_columns([ROW]) if population else None
    generalized, report = anonymize_table(table, config, pop)
    schema = output_schema(open_source(location).schema, config.qi)
    fd, temp = tempfile.mkstemp(prefix=".anonymize-", suffix=out.suffix, dir=out.parent)
    os.close(fd)
    try:
        _write(output_batches(open_source(location), generalized, config.qi), Path(temp), schema)
        os.replace(temp, out)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return report
