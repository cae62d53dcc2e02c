"""An uploaded file copied to a private temporary file, bounded in size, its suffix kept for the readers."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from yaosu.errors import Invalid

MAX_UPLOAD_BYTES = 512 << 20
SUFFIXES = (".csv", ".tsv", ".txt", ".parquet", ".pq", ".xlsx", ".jsonl", ".ndjson")


@contextmanager
def saved_upload(stream: BinaryIO, filename: str | None, max_bytes: int = MAX_UPLOAD_BYTES) -> Iterator[Path]:
    """`stream` written to a temporary file named with the upload's suffix; removed afterwards. Invalid if the
    suffix is not a table format the readers know or the file exceeds `max_bytes`."""
    suffix = Path(filename or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise Invalid(f"不支持的文件类型 / unsupported file type {suffix or '(none)'}: use "
                      f"{', '.join(SUFFIXES)}", field="file", code="unsupported_format")
    with tempfile.TemporaryDirectory(prefix="yaosu-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as out:
            copied = 0
            while block := stream.read(1 << 20):
                copied += len(block)
                if copied > max_bytes:
                    raise Invalid(f"文件超过 {max_bytes >> 20} MiB / the file is larger than {max_bytes >> 20} MiB",
                                  field="file", code="too_large")
                out.write(block)
        if copied == 0:
            raise Invalid("文件为空 / the file is empty", field="file", code="empty_file")
        yield path
