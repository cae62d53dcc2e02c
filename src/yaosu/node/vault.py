"""The node's vault: datasets as encrypted Parquet files under `data_dir/vault`, written all or nothing.

A dataset is first written to `vault/.tmp/ID.parquet.part`, then decrypted and re-hashed in full
(verification), and only then moved into place by the service in the same unit of work that
inserts its row; a failure at any step removes the temporary file (see `yaosu.node.service`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from yaosu.errors import Invalid, YaosuError
from yaosu.node.content import ROW_GROUP_ROWS, ContentHasher, plain_schema, row_groups
from yaosu.node.crypto import VaultCrypto, load_or_create_master_key
from yaosu.node.readers import BATCH_ROWS, TableSource

Progress = Callable[[int], None]
_ID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")


@dataclass(frozen=True)
class StoredFile:
    """A dataset written and verified in the temporary area, not yet in place."""

    dataset_id: str
    temp_path: Path
    schema: pa.Schema
    rows: int
    byte_size: int
    content_hash: str


def _corrupt(exc: BaseException) -> Invalid:
    return Invalid(f"数据集文件损坏或被篡改 / the stored dataset file is corrupt or altered: {exc}",
                   field="dataset", code="vault_corrupt")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Vault:
    """Encrypted dataset files in `root`, protected by the master key in `key_dir`."""

    def __init__(self, root: Path, key_dir: Path) -> None:
        self.root = root
        self.key_dir = key_dir

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> Vault:
        """The vault of a node whose data directory is `data_dir` (files in vault/, master key in keys/)."""
        return cls(data_dir / "vault", data_dir / "keys")

    @cached_property
    def crypto(self) -> VaultCrypto:
        """Encryption under the node's master key (created on first use)."""
        return VaultCrypto(load_or_create_master_key(self.key_dir))

    @property
    def temp_dir(self) -> Path:
        return self.root / ".tmp"

    def path_for(self, dataset_id: str) -> Path:
        """Where dataset `dataset_id` lives once in place."""
        if not _ID.match(dataset_id):
            raise Invalid("bad dataset id", field="dataset_id")
        return self.root / f"{dataset_id}.parquet"

    def write(self, dataset_id: str, source: TableSource, progress: Progress | None = None) -> StoredFile:
        """Encrypt `source` into the temporary area and verify it; nothing is left behind if anything fails."""
        self.path_for(dataset_id)
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.temp_dir.mkdir(exist_ok=True, mode=0o700)
        temp = self.temp_dir / f"{dataset_id}.parquet.part"
        temp.touch(mode=0o600)
        try:
            schema = plain_schema(source.schema)
            digest, rows = self._write_encrypted(temp, schema, source.batches, progress)
            if rows == 0:
                raise Invalid("表中没有数据行 / the table has no rows", field="path", code="no_rows")
            self._verify(temp, schema, rows, digest)
            return StoredFile(dataset_id, temp, schema, rows, temp.stat().st_size, digest)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    def _write_encrypted(self, temp: Path, schema: pa.Schema, batches: Iterator[pa.RecordBatch],
                         progress: Progress | None) -> tuple[str, int]:
        hasher = ContentHasher(schema)
        props = self.crypto.encryption_properties()
        with pq.ParquetWriter(temp, schema, encryption_properties=props, compression="zstd") as writer:
            for group in row_groups(batches, schema):
                writer.write_batch(group, row_group_size=ROW_GROUP_ROWS)
                hasher.update(group)
                if progress is not None:
                    progress(hasher.rows)
        _fsync(temp)
        return hasher.hexdigest(), hasher.rows

    def _verify(self, temp: Path, schema: pa.Schema, rows: int, digest: str) -> None:
        """Decrypt the whole file and recompute its content hash; Invalid unless it matches what was written."""
        pf = self._open(temp)
        if not plain_schema(pf.schema_arrow).equals(schema) or pf.metadata.num_rows != rows:
            raise Invalid("写入校验失败(结构或行数) / verification failed: schema or row count differs after writing",
                          field="path", code="verify_failed")
        if content_hash_of(pf, schema) != digest:
            raise Invalid("写入校验失败(内容哈希) / verification failed: content hash differs after writing",
                          field="path", code="verify_failed")

    def publish(self, stored: StoredFile) -> Path:
        """Move a verified file into place (atomic rename) and return its path."""
        final = self.path_for(stored.dataset_id)
        os.replace(stored.temp_path, final)
        _fsync(self.root)
        return final

    def discard(self, dataset_id: str) -> None:
        """Remove a dataset's file, in place or temporary, if present."""
        self.path_for(dataset_id).unlink(missing_ok=True)
        (self.temp_dir / f"{dataset_id}.parquet.part").unlink(missing_ok=True)

    def _open(self, path: Path) -> pq.ParquetFile:
        try:
            return pq.ParquetFile(path, decryption_properties=self.crypto.decryption_properties(), pre_buffer=False)
        except YaosuError:
            raise
        except (pa.ArrowException, OSError) as exc:
            raise _corrupt(exc) from exc

    def open(self, dataset_id: str, name: str = "", batch_rows: int = BATCH_ROWS,
             columns: list[str] | None = None) -> TableSource:
        """Dataset `dataset_id` decrypted, as a stream of record batches (errors: vault_corrupt, vault_wrong_key);
        only `columns` when given (in the file's column order)."""
        path = self.path_for(dataset_id)
        if not path.is_file():
            raise Invalid("数据集文件缺失 / the dataset file is missing from the vault", field="dataset",
                          code="vault_missing")
        pf = self._open(path)
        schema = plain_schema(pf.schema_arrow)
        if columns is not None:
            missing = [c for c in columns if c not in schema.names]
            if missing:
                raise Invalid(f"数据集没有列 {missing[0]!r} / the dataset has no column {missing[0]!r}",
                              field="column")
            schema = pa.schema([f for f in schema if f.name in columns])
        return TableSource(name or dataset_id, schema,
                           _decrypted(pf.iter_batches(batch_size=batch_rows, columns=columns)),
                           pf.metadata.num_rows, f"vault dataset {dataset_id}")

    def content_hash(self, dataset_id: str) -> str:
        """The content hash recomputed from the stored file (for audits)."""
        pf = self._open(self.path_for(dataset_id))
        return content_hash_of(pf, plain_schema(pf.schema_arrow))


def content_hash_of(pf: pq.ParquetFile, schema: pa.Schema) -> str:
    """The `yaosu-dataset-v1` hash of an open (decrypting) Parquet file."""
    hasher = ContentHasher(schema)
    for group in row_groups(_decrypted(pf.iter_batches(batch_size=ROW_GROUP_ROWS)), schema):
        hasher.update(group)
    return hasher.hexdigest()


def _decrypted(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    try:
        yield from batches
    except YaosuError:
        raise
    except (pa.ArrowException, OSError) as exc:
        raise _corrupt(exc) from exc
