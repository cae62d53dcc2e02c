"""The streaming table scanner: one pass, bounded state, the same verdicts as `classify_column`."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn

from tests.unit.privacy.test_classify import id_cards, mobiles, order_numbers
from yaosu.errors import Invalid
from yaosu.node.readers import open_source
from yaosu.privacy.classify import classify_column
from yaosu.privacy.scan import ColumnScan, ColumnScanner, scan_batches, scan_source


def scan_column(values: pa.Array, header: str, batch: int, sample: int = 1000) -> ColumnScan:
    """Feed one column to the scanner in chunks of `batch` values."""
    scanner = ColumnScanner(header, sample=sample)
    for start in range(0, len(values), batch):
        scanner.feed(values.slice(start, batch))
    return scanner.result()


def imeis(n: int, rng: random.Random) -> list[str]:
    bodies = [f"35{rng.randint(0, 10**12 - 1):012d}" for _ in range(n)]
    return [b + luhn.calc_check_digit(b) for b in bodies]


def _column(kind: str, n: int, seed: int) -> list[str | None]:
    rng = random.Random(seed)
    makers = {"id": id_cards, "mobile": mobiles, "orders": order_numbers, "imei": imeis}
    if kind == "words":
        return [rng.choice(["已发货", "退款", "VIP", ""]) for _ in range(n)]
    if kind == "gansu":
        return [v for v in id_cards(n * 4, rng) if v.startswith("62")][:n]
    if kind == "mixed":
        values: list[str | None] = [*mobiles(n * 7 // 10, rng), *(["n/a"] * (n * 3 // 10))]
        rng.shuffle(values)
        return values
    return list(makers[kind](n, rng))


@pytest.mark.parametrize("header", ["col", "身份证号", "手机号", "remark"])
@pytest.mark.parametrize(("kind", "n"), [
    ("id", 300), ("mobile", 500), ("orders", 400), ("imei", 300), ("gansu", 200), ("words", 600),
    ("mixed", 800), ("id", 5000), ("mobile", 4000), ("orders", 3000), ("mixed", 6000),
])
def test_same_verdict_as_classify_column(kind: str, n: int, header: str) -> None:
    """Entity, match ratio, confidence and explanation agree with the in-memory classifier."""
    values = pa.array(_column(kind, n, seed=n), pa.string())
    expected = classify_column(values, header=header)
    got = scan_column(values, header, batch=777)
    assert got.entity == (expected.entity if expected else None)
    if expected is not None:
        assert (got.match_ratio, got.confidence, got.explanation) == (
            expected.match_ratio, expected.confidence, expected.explanation)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 60), st.integers(0, 60), st.integers(0, 10), st.integers(1, 50),
       st.randoms(use_true_random=False))
def test_small_columns_match_classify_exactly_whatever_the_batching(
        valid: int, junk: int, blanks: int, batch: int, rng: random.Random) -> None:
    """Under the sample size the scanner sees what classify sees: identical verdicts for any batch size."""
    values: list[str | None] = [*id_cards(valid, rng), *(["订单备注"] * junk), *([None, " "] * blanks)]
    rng.shuffle(values)
    column = pa.array(values, pa.string())
    expected = classify_column(column)
    got = scan_column(column, "c", batch=batch)
    assert got.entity == (expected.entity if expected else None)
    assert got.match_ratio == (expected.match_ratio if expected else 0.0)


def test_match_ratio_is_exact_over_the_full_column_not_the_sample() -> None:
    """A clean head and a dirtier tail: the ratio counts every value, not just the ranked sample."""
    values = pa.array([*mobiles(2000, random.Random(1)), *(["x"] * 1000)])
    got = scan_column(values, "remark", batch=500)
    assert got.entity == "CN_MOBILE"
    assert got.match_ratio == pytest.approx(2000 / 3000, abs=1e-4)


def test_a_tail_below_threshold_overturns_a_clean_head() -> None:
    values = pa.array([*mobiles(1500, random.Random(2)), *(["x"] * 1500)])
    assert scan_column(values, "remark", batch=1000).entity is None


def test_header_never_decides() -> None:
    values = pa.array(order_numbers(3000, random.Random(3)))
    assert scan_column(values, "身份证号", batch=1024).entity is None


def _table(rows: int) -> pa.Table:
    rng = random.Random(4)
    return pa.table({
        "id_no": pa.array(id_cards(rows, rng)),
        "phone": pa.array([int(m) for m in mobiles(rows, rng)], pa.int64()),
        "amount": pa.array([rng.random() for _ in range(rows)]),
        "note": pa.array([rng.choice(["a", "b", None]) for _ in range(rows)]).dictionary_encode(),
        "flag": pa.array([True] * rows),
    })


def test_scan_batches_reads_every_row_and_reports_progress() -> None:
    table = _table(2500)
    seen: list[int] = []
    result = scan_batches("t", table.schema, table.to_batches(max_chunksize=1000), progress=seen.append)
    assert result.rows == 2500 and seen == [1000, 2000, 2500]
    by_name = {c.name: c for c in result.columns}
    assert [c.name for c in result.columns] == ["id_no", "phone", "amount", "note", "flag"]
    assert by_name["id_no"].entity == "CN_ID_CARD" and by_name["phone"].entity == "CN_MOBILE"
    assert by_name["note"].entity is None and by_name["note"].note == ""
    assert by_name["amount"].note == "type double not scanned" and by_name["flag"].entity is None
    assert all(c.embedded == {} for c in result.columns)


def test_scan_source_reads_parquet_in_batches(tmp_path: Path) -> None:
    import pyarrow.parquet as pq
    path = tmp_path / "people.parquet"
    pq.write_table(_table(3000), path, row_group_size=700)
    result = scan_source(open_source(str(path), batch_rows=500))
    assert result.dataset == "people.parquet" and result.rows == 3000
    assert [c.entity for c in result.columns][:2] == ["CN_ID_CARD", "CN_MOBILE"]


def test_a_ragged_csv_is_a_clear_invalid_error(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("a,b\n" + "3,4\n" * 1_500_000 + "5,6,7\n", encoding="utf-8")  # past the first 4 MB block
    with pytest.raises(Invalid, match=r"ragged\.csv: .*ragged rows") as err:
        scan_source(open_source(str(path)))
    assert err.value.field == "path"


def test_empty_table_scans_to_zero_rows() -> None:
    schema = pa.schema([("phone", pa.string())])
    result = scan_batches("empty", schema, iter([]))
    assert result.rows == 0 and result.columns[0].entity is None


def test_scan_file_shows_the_source_first_then_counts_rows(tmp_path: Path) -> None:
    """A progress bar is sized from the file's declared row count before the first batch arrives."""
    import pyarrow.parquet as pq

    from yaosu.node.readers import TableSource
    from yaosu.privacy.grading_rules import load_rules
    from yaosu.privacy.report import scan_file

    path = tmp_path / "people.parquet"
    pq.write_table(_table(1500), path)
    events: list[object] = []

    def opened(source: TableSource) -> None:
        events.append(("opened", source.rows_hint))

    report = scan_file(str(path), load_rules(), progress=events.append, batch_rows=1000, on_open=opened)
    assert events == [("opened", 1500), 1000, 1500]
    assert report.grading.grade.value == "general-3" and report.scan.rows == 1500


def _late(head: int, tail: int) -> pa.Array:
    pool = id_cards(1000, random.Random(12))
    return pa.array(["未知"] * head + [pool[i % 1000] for i in range(tail)])


def test_a_misleading_head_is_caught_by_looking_again_later() -> None:
    """Placeholders sorted first, ID numbers after: found from the chunk where they start, ratio a lower bound."""
    got = scan_column(_late(5000, 20000), "col", batch=1000)
    assert got.entity == "CN_ID_CARD"
    assert got.match_ratio == pytest.approx(20000 / 25000)
    assert got.note.startswith("counted after 5000 earlier values")
    assert got.explanation is not None and got.explanation.detector == "CnIdCard"


def test_the_rest_of_the_first_chunk_is_looked_at_too() -> None:
    """One big chunk: 1,000 placeholders fill the head sample, the 19,000 IDs after them are not lost."""
    got = scan_column(_late(1000, 19000), "col", batch=20000)
    assert got.entity == "CN_ID_CARD" and got.match_ratio == pytest.approx(0.95)
    assert got.note.startswith("counted after 1000 earlier values")


def test_a_late_minority_is_not_promoted_to_a_verdict() -> None:
    assert scan_column(_late(20000, 5000), "col", batch=1000).entity is None


def test_a_sparse_column_after_placeholders_is_still_found() -> None:
    """Three nulls to every ID after the placeholders: nulls never count, so the IDs are 7,500 of 9,500."""
    pool = id_cards(500, random.Random(13))
    values = pa.array(["未知"] * 2000 + [v for i in range(7500) for v in (pool[i % 500], None, None, None)])
    got = scan_column(values, "col", batch=1000)
    assert got.entity == "CN_ID_CARD" and got.match_ratio == pytest.approx(7500 / 9500, abs=1e-4)


def test_scanning_and_grading_pull_in_neither_web_nor_database() -> None:
    """The scanner, grading and reports stay in the pure core: no FastAPI, SQLAlchemy or Typer."""
    import subprocess
    import sys
    code = ("import sys, yaosu.privacy.scan, yaosu.privacy.grading, yaosu.privacy.report, yaosu.privacy.report_html;"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'fastapi', 'sqlalchemy', 'typer', 'starlette'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize(("message", "expected"), [
    pytest.param("parse error: got 2: \x00\x01ab\ncd", "parse error: got 2: ??ab", id="control-bytes-and-lines"),
    pytest.param("", "ArrowInvalid", id="empty-message"),
    pytest.param("x" * 300, "x" * 160 + "…", id="long"),
])
def test_reader_errors_become_one_printable_line(message: str, expected: str) -> None:
    from yaosu.privacy.scan import error_line
    assert error_line(pa.ArrowInvalid(message)) == expected


def _accuracy_specs() -> list[tuple[str, object]]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
    import scan_accuracy
    return [(f"{spec.label or 'none'}-{i}", spec) for i, spec in enumerate([*scan_accuracy.POSITIVES,
                                                                             *scan_accuracy.NEGATIVES])]


@pytest.mark.parametrize(("label", "spec"), _accuracy_specs(), ids=[label for label, _ in _accuracy_specs()])
def test_same_verdicts_as_classify_on_the_accuracy_set(label: str, spec: object) -> None:
    """Every column kind of benchmarks/scan_accuracy.py (dirt and misleading headers included), 3,000 rows
    streamed in chunks of 700: the scanner's entity, and for prose its embedded counts, equal classify_column's."""
    import scan_accuracy
    for variant in (0, 3):
        rng = random.Random(f"{label}:{variant}")
        header, values = scan_accuracy.make_column(spec, rng, 3000, variant)  # type: ignore[arg-type]
        column = pa.array(values, pa.string())
        expected = classify_column(column, header=header)
        got = scan_column(column, header or "", batch=700)
        assert got.entity == (expected.entity if expected else None), (header, variant)
        assert dict(got.embedded) == (expected.embedded if expected else {})
