"""`open_source` reads every format into the same rows, and refuses bad input with a clear `Invalid`."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pytest
from sqlalchemy.engine import make_url

from tests.node_files import COLUMNS, ROWS, write_delimited, write_jsonl, write_parquet, write_sqlite, write_xlsx
from yaosu.errors import Invalid
from yaosu.node import readers
from yaosu.node.readers import BLOCK_BYTES, open_source
from yaosu.node.sqlsource import public_url

Writer = Callable[[Path], tuple[str, str | None]]


def _rows(location: str, table: str | None = None, batch_rows: int = 65_536) -> list[dict[str, object]]:
    source = open_source(location, table=table, batch_rows=batch_rows)
    return [row for batch in source.batches for row in batch.to_pylist()]


FORMATS: dict[str, Writer] = {
    "csv-utf8": lambda d: (str(write_delimited(d / "t.csv")), None),
    "csv-utf8-bom": lambda d: (str(write_delimited(d / "t.csv", encoding="utf-8-sig")), None),
    "csv-gbk-semicolon": lambda d: (str(write_delimited(d / "t.csv", delimiter=";", encoding="gbk")), None),
    "csv-gb18030-pipe": lambda d: (str(write_delimited(d / "t.csv", delimiter="|", encoding="gb18030")), None),
    "tsv": lambda d: (str(write_delimited(d / "t.tsv", delimiter="\t")), None),
    "txt-tab-sniffed": lambda d: (str(write_delimited(d / "t.txt", delimiter="\t")), None),
    "parquet": lambda d: (str(write_parquet(d / "t.parquet")), None),
    "jsonl": lambda d: (str(write_jsonl(d / "t.jsonl")), None),
    "xlsx": lambda d: (str(write_xlsx(d / "t.xlsx")), None),
    "xlsx-named-sheet": lambda d: (str(write_xlsx(d / "t.xlsx")), "客户"),
    "sqlite-table": lambda d: (f"sqlite:///{write_sqlite(d / 't.db')}", "customers"),
}


@pytest.mark.parametrize("kind", sorted(FORMATS))
def test_every_format_reads_the_same_rows(kind: str, tmp_path: Path) -> None:
    location, table = FORMATS[kind](tmp_path)
    source = open_source(location, table=table)
    assert source.schema.names == COLUMNS
    assert source.schema.field("年龄").type == pa.int64()
    assert source.schema.field("收入").type == pa.float64()
    assert _rows(location, table) == ROWS


def test_batches_are_bounded_by_batch_rows(tmp_path: Path) -> None:
    rows = [{"n": i, "s": f"v{i}"} for i in range(2_500)]
    for location, table in ((str(write_delimited(tmp_path / "n.csv", rows)), None),
                            (str(write_jsonl(tmp_path / "n.jsonl", rows)), None),
                            (str(write_xlsx(tmp_path / "n.xlsx", rows)), None),
                            (f"sqlite:///{write_sqlite_rows(tmp_path / 'n.db', rows)}", "t")):
        sizes = [b.num_rows for b in open_source(location, table=table, batch_rows=1_000).batches]
        assert sizes == [1_000, 1_000, 500], location
        assert _rows(location, table, 1_000) == rows


def write_sqlite_rows(path: Path, rows: list[dict[str, object]]) -> Path:
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (n INTEGER, s TEXT)")
        conn.executemany("INSERT INTO t VALUES (?, ?)", [(r["n"], r["s"]) for r in rows])
    return path


def test_gbk_csv_with_chinese_headers_is_transcoded(tmp_path: Path) -> None:
    path = write_delimited(tmp_path / "gbk.csv", delimiter=";", encoding="gbk")
    assert "张三".encode() not in path.read_bytes()  # really GBK on disk
    source = open_source(str(path))
    assert "gb18030" in source.description and "semicolon" in source.description
    assert _rows(str(path))[0]["姓名"] == "张三"


def test_database_description_has_no_password() -> None:
    url = make_url("postgresql+psycopg://alice:s3cr3t@db.example:5432/sales?sslpassword=hunter2")
    shown = public_url(url)
    assert "s3cr3t" not in shown and "hunter2" not in shown
    assert shown == "postgresql+psycopg://alice@db.example:5432/sales"


def _truncated_parquet(d: Path) -> str:
    data = write_parquet(d / "full.parquet").read_bytes()
    (d / "cut.parquet").write_bytes(data[: len(data) // 2])
    return str(d / "cut.parquet")


def _garbage(name: str) -> Callable[[Path], str]:
    def make(d: Path) -> str:
        (d / name).write_bytes(os.urandom(200_000))
        return str(d / name)
    return make


def _write(name: str, data: bytes) -> Callable[[Path], str]:
    def make(d: Path) -> str:
        (d / name).write_bytes(data)
        return str(d / name)
    return make


BAD: dict[str, tuple[Callable[[Path], str], str | None, str]] = {
    "binary-garbage-csv": (_garbage("g.csv"), None, "binary_file"),
    "binary-garbage-no-suffix": (_garbage("g.bin"), None, "binary_file"),
    "binary-garbage-parquet": (_garbage("g.parquet"), None, "bad_parquet"),
    "binary-garbage-xlsx": (_garbage("g.xlsx"), None, "unreadable"),
    "truncated-parquet": (_truncated_parquet, None, "bad_parquet"),
    "ragged-csv": (_write("r.csv", b"a,b\n1,2\n3,4,5\n"), None, "ragged_rows"),
    "empty-csv": (_write("e.csv", b""), None, "empty_file"),
    "empty-jsonl": (_write("e.jsonl", b"\n\n"), None, "empty_file"),
    "empty-parquet": (_write("e.parquet", b""), None, "empty_file"),
    "header-only-blank": (_write("h.csv", b"   \n"), None, "empty_file"),
    "duplicate-header": (_write("d.csv", b"a,a\n1,2\n"), None, "bad_header"),
    "overlong-line-csv": (_write("l.csv", b"a,b\n" + b"x" * (BLOCK_BYTES * 2 + 10)), None, "row_too_long"),
    "overlong-line-jsonl": (_write("l.jsonl", b'{"a":"' + b"x" * (BLOCK_BYTES * 2) + b'"}\n'), None, "row_too_long"),
    "unknown-encoding": (_write("u.csv", bytes(range(0x80, 0x100)) * 8), None, "unknown_encoding"),
    "legacy-xls": (_write("old.xls", b"\xd0\xcf\x11\xe0"), None, "unsupported_format"),
    "sqlite-no-table": (lambda d: f"sqlite:///{write_sqlite(d / 't.db')}", "nope", "not_found"),
    "sqlite-without-table-option": (lambda d: f"sqlite:///{write_sqlite(d / 't.db')}", None, "invalid"),
    "missing-file": (lambda d: str(d / "absent.csv"), None, "not_found"),
    "missing-sqlite-file": (lambda d: f"sqlite:///{d / 'absent.db'}", "t", "not_found"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_a_clear_invalid(case: str, tmp_path: Path) -> None:
    make, table, code = BAD[case]
    location = make(tmp_path)
    before = sorted(tmp_path.iterdir())
    with pytest.raises(Invalid) as err:
        _rows(location, table)
    assert err.value.code == code
    assert sorted(tmp_path.iterdir()) == before  # reading never creates a file
    assert " / " in err.value.message and "\n" not in err.value.message  # one bilingual line


def test_table_option_is_refused_for_plain_files(tmp_path: Path) -> None:
    with pytest.raises(Invalid) as err:
        open_source(str(write_delimited(tmp_path / "t.csv")), table="x")
    assert err.value.field == "table"


@pytest.mark.parametrize("name", ["late.csv", "late.jsonl"])
def test_a_type_change_after_the_first_block_is_mixed_types(name: str, tmp_path: Path) -> None:
    rows = [{"n": i, "s": "x" * 100} for i in range(50_000)] + [{"n": "oops", "s": "y"}]
    path = write_jsonl(tmp_path / name, rows) if name.endswith("jsonl") else write_delimited(tmp_path / name, rows)
    assert path.stat().st_size > BLOCK_BYTES  # the bad value is beyond the block the types came from
    with pytest.raises(Invalid) as err:
        _rows(str(path))
    assert err.value.code == "mixed_types"


def test_digit_codes_stay_text_as_the_file_wrote_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Leading zeros and long digit strings would be changed by a number; an 18-digit ID whose later block
    holds an X check digit would fail midway if the first block made it an integer column."""
    monkeypatch.setattr(readers, "BLOCK_BYTES", 1024)  # several blocks in a small file
    ids = [f"11010519900101{i:04d}" for i in range(200)] + ["11010519900101123X"]
    lines = [f"{i},{zid},010{i:08d},{i * 3}" for i, zid in enumerate(ids)]
    path = tmp_path / "codes.csv"
    path.write_text("n,身份证号,座机,数量\n" + "\n".join(lines) + "\n", encoding="utf-8")
    source = readers.open_source(str(path))
    table = pa.Table.from_batches(list(source.batches), schema=source.schema)
    assert [str(t) for t in table.schema.types] == ["int64", "string", "string", "int64"]
    assert table.column("身份证号").to_pylist()[-1] == "11010519900101123X"
    assert table.column("座机").to_pylist()[0] == "01000000000"
