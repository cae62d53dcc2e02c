"""Read an Excel .xlsx sheet as record batches with openpyxl's read-only (streaming XML) mode."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from yaosu.errors import Invalid
from yaosu.node.readers import MAX_COLUMNS, TableSource, guarded, reader_error
from yaosu.node.rowbatches import batches_of


def _header(cells: tuple[Any, ...]) -> list[str]:
    """Column names from the first row; blank cells become `column_N` (1-based)."""
    return [str(v).strip() if v not in (None, "") else f"column_{i + 1}" for i, v in enumerate(cells)]


def _trimmed(row: tuple[Any, ...]) -> tuple[Any, ...]:
    end = len(row)
    while end and row[end - 1] in (None, ""):
        end -= 1
    return row[:end]


def open_xlsx(path: Path, batch_rows: int, *, sheet: str | None = None) -> TableSource:
    """The first (or named) sheet of an .xlsx workbook: the first row is the header, blank rows are skipped."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise reader_error(exc, path.name) from exc
    if sheet is not None and sheet not in book.sheetnames:
        book.close()
        raise Invalid(f"工作表不存在 / no sheet named {sheet!r}", field="table", code="not_found")
    ws = book[sheet] if sheet is not None else book.worksheets[0]
    rows = (r for r in ws.iter_rows(values_only=True) if any(v not in (None, "") for v in r))
    first = next(rows, None)
    if first is None:
        book.close()
        raise Invalid("工作表为空 / the sheet is empty", field="path", code="empty_file")
    names = _header(_trimmed(first))
    if len(names) > MAX_COLUMNS:
        book.close()
        raise Invalid(f"列数超过 {MAX_COLUMNS} / more than {MAX_COLUMNS} columns", field="path")
    schema, batches = batches_of(None, names, rows, batch_rows)

    def closing() -> Iterator[pa.RecordBatch]:
        try:
            yield from batches
        finally:
            book.close()

    return TableSource(path.name, schema, guarded(closing(), path.name), None,
                       f"excel {path.name} sheet {ws.title}")
