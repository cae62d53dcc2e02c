"""Open a table anywhere (file or database URL) as a stream of Arrow record batches.

`open_source` is the one entry point the vault and the scanner share. It never loads a whole
file: every reader yields record batches of at most `batch_rows` rows, and text readers parse in
blocks of `BLOCK_BYTES`, so one overlong line (a 2 GB file without a newline) fails at its first
blocks instead of being loaded. Every reader error becomes `Invalid` with a bilingual message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.json as pajson
import pyarrow.parquet as pq

from yaosu.errors import Invalid, YaosuError
from yaosu.node.textformat import detect_format, read_head

BATCH_ROWS = 65_536
BLOCK_BYTES = 1 << 22  # the longest row a text reader accepts (4 MiB)
MAX_COLUMNS = 4_096


@dataclass
class TableSource:
    """A table being read: its display name, Arrow schema, row count if known up front, and its batches."""

    name: str
    schema: pa.Schema
    batches: Iterator[pa.RecordBatch]
    rows_hint: int | None = None
    description: str = ""


def reader_error(exc: BaseException, what: str) -> Invalid:
    """A bilingual Invalid for a reader failure, naming the likely cause where the library's message is known."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "straddling" in text or "straddles" in text or "cannot infer number of columns" in text:
        return Invalid(f"{what}: 单行超过 {BLOCK_BYTES >> 20} MiB 上限 / a row is longer than the "
                       f"{BLOCK_BYTES >> 20} MiB limit (one huge line?)", field="path", code="row_too_long")
    if "Expected" in text and "columns" in text:
        return Invalid(f"{what}: 各行列数不一致 / ragged rows: {text}", field="path", code="ragged_rows")
    if "changed from" in text or "conversion error" in text:
        return Invalid(f"{what}: 列的值类型中途改变 / a column changes type mid-file: {text}", field="path",
                       code="mixed_types")
    if "magic bytes" in text or "parquet" in text.lower() or "Thrift" in text:
        return Invalid(f"{what}: 不是完整的 Parquet 文件 / not a complete Parquet file: {text}", field="path",
                       code="bad_parquet")
    return Invalid(f"{what}: 无法读取 / cannot read: {text}", field="path", code="unreadable")


def guarded(batches: Iterator[pa.RecordBatch], what: str) -> Iterator[pa.RecordBatch]:
    """`batches`, with any reader failure raised as a clear `Invalid`."""
    try:
        yield from batches
    except YaosuError:
        raise
    except (pa.ArrowException, OSError, ValueError, UnicodeDecodeError, KeyError, TypeError) as exc:
        raise reader_error(exc, what) from exc


def _rebatched(batches: Iterator[pa.RecordBatch], batch_rows: int) -> Iterator[pa.RecordBatch]:
    """Split batches larger than `batch_rows` (text readers emit one batch per block)."""
    for batch in batches:
        for start in range(0, batch.num_rows, batch_rows):
            yield batch.slice(start, batch_rows)


def open_parquet(path: Path, batch_rows: int) -> TableSource:
    """A Parquet file, row group by row group."""
    try:
        pf = pq.ParquetFile(path, pre_buffer=False)  # pre-buffering grows memory with the file; stream instead
    except (pa.ArrowException, OSError) as exc:
        raise reader_error(exc, path.name) from exc
    return TableSource(path.name, pf.schema_arrow, guarded(pf.iter_batches(batch_size=batch_rows), path.name),
                       pf.metadata.num_rows, f"parquet file {path.name}")


_DIGITS = r"^[+-]?[0-9]+$"
_CHANGED_BY_A_NUMBER = r"^[+-]?0[0-9]|^[+-]?[0-9]{16,}$"  # leading zeros, or more digits than a float keeps


def _digit_codes(path: Path, read: pacsv.ReadOptions, parse: pacsv.ParseOptions) -> dict[str, pa.DataType]:
    """Columns of the first block whose digit-only values a number would change (zip codes and landlines
    with leading zeros, ID, card and account numbers): they stay text, as the file wrote them."""
    names = pacsv.open_csv(path, read_options=read, parse_options=parse).schema.names
    as_text = pacsv.ConvertOptions(column_types={n: pa.string() for n in names}, strings_can_be_null=True)
    try:
        first = pacsv.open_csv(path, read_options=read, parse_options=parse, convert_options=as_text).read_next_batch()
    except StopIteration:
        return {}
    keep: dict[str, pa.DataType] = {}
    for name, column in zip(first.schema.names, first.columns, strict=True):
        digits = pc.fill_null(pc.match_substring_regex(column, _DIGITS), False)
        changed = pc.fill_null(pc.match_substring_regex(column, _CHANGED_BY_A_NUMBER), False)
        if pc.any(pc.and_(digits, changed)).as_py():
            keep[name] = pa.string()
    return keep


def open_delimited(path: Path, batch_rows: int, *, delimiter: str | None = None) -> TableSource:
    """A CSV/TSV file in UTF-8 (with or without BOM) or GBK/GB18030, transcoded to UTF-8 while streaming.
    Column types are inferred from the first block, except digit codes a number would change (kept as text)."""
    fmt = detect_format(path, delimiter=delimiter)
    read = pacsv.ReadOptions(block_size=BLOCK_BYTES, encoding=fmt.encoding, use_threads=False)
    parse = pacsv.ParseOptions(delimiter=fmt.delimiter, newlines_in_values=False)
    try:
        convert = pacsv.ConvertOptions(strings_can_be_null=True, quoted_strings_can_be_null=False,
                                       column_types=_digit_codes(path, read, parse))
        reader = pacsv.open_csv(path, read_options=read, parse_options=parse, convert_options=convert)
    except (pa.ArrowException, OSError, UnicodeDecodeError) as exc:
        raise reader_error(exc, path.name) from exc
    shown = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}[fmt.delimiter]
    bom = "-bom" if fmt.bom else ""
    return TableSource(path.name, reader.schema, guarded(_rebatched(iter(reader), batch_rows), path.name),
                       None, f"delimited text {path.name} ({fmt.encoding}{bom}, {shown})")


def open_json_lines(path: Path, batch_rows: int) -> TableSource:
    """A JSON-lines file (one object per line), parsed block by block."""
    if not read_head(path, 4096).strip():
        raise Invalid("文件为空 / the file is empty", field="path", code="empty_file")
    try:
        reader = pajson.open_json(path, read_options=pajson.ReadOptions(block_size=BLOCK_BYTES, use_threads=False))
    except (pa.ArrowException, OSError) as exc:
        raise reader_error(exc, path.name) from exc
    return TableSource(path.name, reader.schema, guarded(_rebatched(iter(reader), batch_rows), path.name),
                       None, f"json lines {path.name}")


def _open_excel(path: Path, batch_rows: int, table: str | None) -> TableSource:
    from yaosu.node.excel import open_xlsx

    return open_xlsx(path, batch_rows, sheet=table)


def _open_tsv(path: Path, batch_rows: int) -> TableSource:
    return open_delimited(path, batch_rows, delimiter="\t")


_BY_SUFFIX: dict[str, Callable[[Path, int], TableSource]] = {
    ".parquet": open_parquet, ".pq": open_parquet,
    ".csv": open_delimited, ".txt": open_delimited,
    ".tsv": _open_tsv, ".tab": _open_tsv,
    ".jsonl": open_json_lines, ".ndjson": open_json_lines,
}


def _by_content(path: Path) -> Callable[[Path, int], TableSource]:
    """A reader chosen from the file's first bytes when its suffix says nothing."""
    head = read_head(path, 8)
    if head.startswith(b"PAR1"):
        return open_parquet
    if head.startswith(b"{"):
        return open_json_lines
    return open_delimited


def is_database_url(location: str) -> bool:
    """True if `location` looks like a SQLAlchemy URL (`dialect[+driver]://...`) rather than a path."""
    scheme, sep, _ = location.partition("://")
    return bool(sep) and scheme.replace("+", "").replace("_", "").isalnum()


def open_source(location: str, *, batch_rows: int = BATCH_ROWS, table: str | None = None) -> TableSource:
    """Open `location` (a file path, or a SQLAlchemy URL with `table`) for streaming in record batches."""
    if is_database_url(location):
        from yaosu.node.sqlsource import open_sql_table

        return _checked(open_sql_table(location, table, batch_rows))
    path = Path(location)
    if not path.is_file():
        raise Invalid(f"文件不存在 / no such file: {location}", field="path", code="not_found")
    if path.stat().st_size == 0:
        raise Invalid("文件为空 / the file is empty", field="path", code="empty_file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _checked(_open_excel(path, batch_rows, table))
    if table is not None:
        raise Invalid("--table 只用于数据库与 xlsx / --table applies to database URLs and .xlsx sheets only",
                      field="table")
    if suffix in (".xls", ".json"):
        raise Invalid(f"不支持的格式 {suffix} / unsupported format {suffix} (use .xlsx or JSON lines)",
                      field="path", code="unsupported_format")
    opener = _BY_SUFFIX.get(suffix) or _by_content(path)
    return _checked(opener(path, batch_rows))


def _checked(source: TableSource) -> TableSource:
    """`source` if its columns are named, unique and not too many; Invalid otherwise."""
    names = source.schema.names
    if not names:
        raise Invalid("表没有列 / the table has no columns", field="path", code="no_columns")
    if len(names) > MAX_COLUMNS:
        raise Invalid(f"列数超过 {MAX_COLUMNS} / more than {MAX_COLUMNS} columns", field="path",
                      code="too_many_columns")
    seen = {n for n in names if n.strip()}
    if len(seen) != len(names):
        raise Invalid("列名为空或重复 / empty or duplicate column names", field="path", code="bad_header")
    return source
