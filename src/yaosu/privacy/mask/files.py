"""Mask a CSV or Parquet file into another, streaming, all or nothing (temp file, then rename)."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from yaosu.errors import Conflict, Invalid
from yaosu.node.readers import BATCH_ROWS, open_source
from yaosu.privacy.mask.apply import apply_policy, check_columns, output_schema, suppression_columns
from yaosu.privacy.mask.base import MIN_KEY_BYTES, SpanFinder, check_key
from yaosu.privacy.mask.defaults import embedded_span_finder
from yaosu.privacy.mask.policy import Policy, policy_hash
from yaosu.privacy.mask.simple import count_values

MAX_KEY_FILE = 4096
FORMATS = (".csv", ".parquet")


class _Writer(Protocol):
    def write_batch(self, batch: pa.RecordBatch) -> None: ...
    def close(self) -> None: ...


@dataclass(frozen=True)
class MaskSummary:
    """What a masking run did: rows written, the policy hash, operators per column and the key file used."""

    output: Path
    rows: int
    policy_hash: str
    operators: dict[str, str]
    key_file: Path | None
    key_generated: bool


def read_key(path: Path) -> bytes:
    """The product key from a file of at least 32 raw bytes (at most 4 KiB)."""
    if not path.is_file():
        raise Invalid(f"no such key file: {path}", field="key_file")
    if path.stat().st_size > MAX_KEY_FILE:
        raise Invalid(f"key file is larger than {MAX_KEY_FILE} bytes", field="key_file")
    key = path.read_bytes()
    check_key(key)
    return key


def new_key_file(output: Path) -> tuple[Path, bytes]:
    """A fresh random 32-byte key written to OUTPUT.key with mode 0600 (never over an existing file)."""
    path = output.with_name(output.name + ".key")
    key = secrets.token_bytes(MIN_KEY_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise Conflict(f"key file {path} already exists; pass it with --key-file / 密钥文件已存在",
                       field="key_file") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return path, key


def _writer(path: Path, suffix: str, schema: pa.Schema) -> _Writer:
    writer: _Writer = pq.ParquetWriter(path, schema) if suffix == ".parquet" else pacsv.CSVWriter(path, schema)
    return writer


def _check_paths(source: Path, output: Path, force: bool) -> str:
    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        raise Invalid(f"output must end in .csv or .parquet, not {suffix or '(none)'}", field="out")
    if output.resolve() == source.resolve():
        raise Invalid("output must differ from input / 输出文件不能覆盖输入", field="out")
    if output.exists() and not force:
        raise Conflict(f"{output} exists (use --force to replace it)", field="out")
    if not output.parent.is_dir():
        raise Invalid(f"no such directory: {output.parent}", field="out")
    return suffix


@contextlib.contextmanager
def _temp_beside(output: Path) -> Iterator[Path]:
    """A temp path next to `output`, renamed onto it on success and removed on any failure."""
    fd, name = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".part")
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)  # mkstemp makes 0600; the output is an ordinary file
        os.replace(temp, output)
    finally:
        temp.unlink(missing_ok=True)


def _find_spans(policy: Policy) -> SpanFinder | None:
    uses = any(rule.operator == "replace_spans" for rule in policy.columns.values())
    return embedded_span_finder() if uses else None


def _stream(source: Path, temp: Path, suffix: str, policy: Policy, key: bytes, batch_rows: int) -> int:
    """Write the masked stream into `temp`; the number of rows written."""
    table = open_source(str(source), batch_rows=batch_rows)
    check_columns(table.schema, policy)
    counted = suppression_columns(policy)
    frequencies = count_values(open_source(str(source), batch_rows=batch_rows).batches, counted) if counted else None
    find_spans = _find_spans(policy)
    writer = _writer(temp, suffix, output_schema(table.schema, policy))
    rows = 0
    try:
        for batch in apply_policy(table.batches, table.schema, policy, key, frequencies=frequencies,
                                  find_spans=find_spans):
            writer.write_batch(batch)
            rows += batch.num_rows
    except pa.ArrowException as exc:
        raise Invalid(f"cannot mask {source.name}: {str(exc).splitlines()[0]}", field="path") from exc
    finally:
        writer.close()
    return rows


def mask_file(source: Path, output: Path, policy: Policy, *, key_file: Path | None = None,
              force: bool = False, batch_rows: int = BATCH_ROWS) -> MaskSummary:
    """De-identify `source` into `output` (CSV or Parquet by extension) under `policy`; nothing half-written."""
    suffix = _check_paths(source, output, force)
    generated = key_file is None
    key_path, key = new_key_file(output) if key_file is None else (key_file, read_key(key_file))
    try:
        with _temp_beside(output) as temp:
            rows = _stream(source, temp, suffix, policy, key, batch_rows)
    except BaseException:
        if generated:
            key_path.unlink(missing_ok=True)
        raise
    operators = {name: rule.operator for name, rule in policy.columns.items()}
    return MaskSummary(output, rows, policy_hash(policy), operators, key_path, generated)
