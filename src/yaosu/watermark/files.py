"""Fingerprint a stream of record batches into a CSV or Parquet file, and read a suspect file's votes.

Streaming and all-or-nothing: batches are marked one at a time into `OUT.part`, renamed into place
only when complete, and removed on any failure. The output's SHA-256 is what the delivery records.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from yaosu.errors import Invalid
from yaosu.node.readers import TableSource, open_source
from yaosu.watermark.codec import Votes, embed, votes
from yaosu.watermark.prf import ProductKeys
from yaosu.watermark.spec import FingerprintSpec

OUTPUT_SUFFIXES = (".csv", ".parquet")


@dataclass(frozen=True)
class Written:
    """A fingerprinted file in place: its path, rows and SHA-256."""

    path: Path
    rows: int
    sha256: str


def first_batch(source: TableSource) -> tuple[pa.RecordBatch, Iterator[pa.RecordBatch]]:
    """The first batch of `source` (to declare a spec from) and an iterator over all its batches."""
    try:
        head = next(source.batches)
    except StopIteration:
        raise Invalid("表中没有数据行 / the table has no rows", field="path", code="no_rows") from None
    return head, itertools.chain([head], source.batches)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_fingerprinted(batches: Iterator[pa.RecordBatch], schema: pa.Schema, out: Path, spec: FingerprintSpec,
                        keys: ProductKeys, word: np.ndarray) -> Written:
    """Mark every batch with `word` and write them to `out` (.csv or .parquet), all or nothing."""
    suffix = out.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise Invalid(f"输出只支持 {', '.join(OUTPUT_SUFFIXES)} / the output must be .csv or .parquet",
                      field="out", code="unsupported_format")
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = out.with_name(out.name + ".part")
    rows = 0
    try:
        writer: pq.ParquetWriter | pacsv.CSVWriter = (
            pq.ParquetWriter(temp, schema) if suffix == ".parquet" else pacsv.CSVWriter(temp, schema))
        with writer:
            for batch in batches:
                writer.write_batch(embed(batch, spec, keys, word))
                rows += batch.num_rows
        os.replace(temp, out)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return Written(out, rows, file_sha256(out))


def suspect_votes(location: str, spec: FingerprintSpec, keys: ProductKeys) -> Votes:
    """The votes a suspect file (CSV, Parquet, XLSX, JSON lines) casts, read batch by batch."""
    total = Votes.empty(spec.bits)
    for batch in open_source(location).batches:
        total.add(votes(batch, spec, keys))
    return total
