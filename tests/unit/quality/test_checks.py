"""Every check on small hand-made tables with known A and B (GB/T 36344 sub-indicators, X = A/B)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pyarrow as pa
import pytest

from tests.unit.quality.tables import ab, assess, id_number, measures

IDS = [id_number("110105", "19900101", i) for i in range(1, 6)]
BROKEN = IDS[0][:-1] + ("0" if IDS[0][-1] != "0" else "1")  # right shape, wrong check character

CASES: list[tuple[str, dict[str, list[Any]], dict[str, Any] | None, str, str | None, tuple[int, int]]] = [
    # (id, table, spec, check, column, (A, B))
    ("id-standard", {"id_no": [*IDS[:4], BROKEN, None]}, None, "entity_standard", "id_no", (4, 5)),
    ("id-format-ignores-checksum", {"id_no": [*IDS[:4], BROKEN, "12AB"]}, None, "entity_format", "id_no", (5, 6)),
    ("declared-model-ok", {"age": [1, 2]}, {"columns": {"age": {"type": "integer"}}}, "declared_model", "age",
     (1, 1)),
    ("declared-model-wrong-type", {"age": ["1"]}, {"columns": {"age": {"type": "integer"}}}, "declared_model", "age",
     (0, 1)),
    ("declared-model-missing", {"x": [1]}, {"columns": {"age": {"type": "integer"}}}, "declared_model", "age",
     (0, 1)),
    ("column-names", {"name": [1], "Unnamed: 0": [1], "col3": [1], "金额": [1]}, None, "column_names", None, (2, 4)),
    ("code-list", {"s": ["a", "b", "c", "a", None, " "]}, {"columns": {"s": {"values": ["a", "b"]}}}, "code_lists",
     "s", (3, 4)),
    ("id-region-code", {"id_no": [*IDS[:4], id_number("990105", "19900101", 7)]}, None, "id_region_code", "id_no",
     (4, 5)),
    ("ethnic-groups", {"民族": ["汉族", "回族", "汉", "壮族", "火星族", "满族"]},
     {"columns": {"民族": {"entity": "ETHNICITY"}}}, "ethnic_groups", "民族", (5, 6)),
    ("element-completeness", {"a": ["x", None, "", "  ", "y"], "b": [1.0, float("nan"), None, 2.0, 3.0]}, None,
     "element_completeness", "a", (2, 5)),
    ("element-completeness-nan", {"a": ["x", None, "", "  ", "y"], "b": [1.0, float("nan"), None, 2.0, 3.0]}, None,
     "element_completeness", "b", (3, 5)),
    ("record-completeness", {"a": ["x", None, "z", "w"], "b": [1, 2, None, 4]}, None, "record_completeness", None,
     (2, 4)),
    ("record-completeness-required-only", {"a": ["x", None, "z", "w"], "b": [1, 2, None, 4]},
     {"columns": {"a": {"required": True}}}, "record_completeness", None, (3, 4)),
    ("declared-range", {"v": [0, 5, 10, 11, -1, None]}, {"columns": {"v": {"min": 0, "max": 10}}}, "declared_ranges",
     "v", (3, 5)),
    ("declared-range-text", {"v": ["1", "x", "20"]}, {"columns": {"v": {"max": 10}}}, "declared_ranges", "v", (1, 3)),
    ("declared-type-text", {"v": ["1", "2.5", "x", "2024-01-01", None]}, {"columns": {"v": {"type": "integer"}}},
     "declared_types", "v", (1, 4)),
    ("element-completeness-unicode-blanks", {"a": ["x", "\t", "\u3000", " \n ", "y"]}, None,
     "element_completeness", "a", (2, 5)),
    ("element-completeness-dictionary", {"a": pa.array(["x", "", None, "y"]).dictionary_encode()}, None,
     "element_completeness", "a", (2, 4)),
    ("duplicate-rows", {"a": [1, 1, 2, 1, 3], "b": ["x", "x", "x", "x", "y"]}, None, "duplicate_rows", None, (2, 5)),
    # with a declared key only rows whose key repeats are compared (exactly): same key, other columns differ
    ("duplicate-rows-keyed", {"k": [1, 1, 2, 1, 3, 3], "b": ["x", "x", "x", "y", "z", "z"]}, {"keys": ["k"]},
     "duplicate_rows", None, (2, 6)),
    ("duplicate-rows-null-keys", {"k": [None, None, None, 1], "b": ["x", "x", "y", "x"]}, {"keys": ["k"]},
     "duplicate_rows", None, (1, 4)),
    ("key-uniqueness", {"k": ["a", "b", "b", "c", None]}, {"keys": ["k"]}, "key_uniqueness", "k", (2, 4)),
    ("composite-key", {"k": ["a", "a", "a"], "n": [1, 2, 2]}, {"keys": ["k", "n"]}, "key_uniqueness", "k+n", (1, 3)),
    ("dirty-values", {"s": ["ok", "N/A", " lead", "null", "tab\t", "bell\x07", "fine", None]}, None, "dirty_values",
     "s", (5, 7)),
    ("time-period-default", {"ts": [datetime(2020, 1, 1), datetime(1850, 1, 1), datetime(2027, 1, 1), None]}, None,
     "time_period", "ts", (1, 3)),
    ("time-period-declared", {"d": [date(2024, 1, 1), date(2024, 12, 31), date(2025, 1, 1)]},
     {"time": {"period_start": "2024-01-01", "period_end": "2024-12-31"}}, "time_period", "d", (2, 3)),
    ("update-frequency-on-time", {"d": [date(2026, 11, 1), date(2026, 11, 22)]},
     {"time": {"update_frequency_days": 1}}, "update_frequency", "d", (1, 1)),
    ("update-frequency-late", {"d": [date(2026, 11, 1), date(2026, 11, 20)]}, {"time": {"update_frequency_days": 1}},
     "update_frequency", "d", (0, 1)),
    ("time-order", {"s": ["2024-01-01", "2024-02-01", "2024-03-05", None], "e": ["2024-01-02", "2024-01-15",
                                                                               "2024-03-05", "2024-01-01"]},
     {"time": {"order": [["s", "e"]]}}, "time_order", "s<=e", (2, 3)),
    ("readable", {"a": [1, 2, 3]}, None, "readable", None, (3, 3)),
    ("decodable", {"a": ["ok", "bad\ufffd", None], "b": ["x", "y", "z"]}, None, "decodable", None, (4, 5)),
    ("foreign-key-same-table", {"id": [1, 2, 3, 4], "boss": [None, 1, 1, 9]},
     {"foreign_keys": [{"column": "boss", "ref_column": "id"}]}, "foreign_keys", "boss", (2, 3)),
]


@pytest.mark.parametrize(("table", "spec", "check", "column", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_check_counts(table: dict[str, list[Any]], spec: dict[str, Any] | None, check: str, column: str | None,
                      expected: tuple[int, int]) -> None:
    assert ab(assess(table, spec), check, column) == expected


def test_foreign_key_into_another_table() -> None:
    refs = {"depts.csv": pa.table({"id": ["d1", "d2"]})}
    spec = {"foreign_keys": [{"column": "dept", "ref_column": "id", "table": "depts.csv"}]}
    result = assess({"dept": ["d1", "d2", "d3", None]}, spec, references=refs)
    assert ab(result, "foreign_keys", "dept") == (2, 3)


def test_schema_stability_against_a_baseline() -> None:
    baseline = pa.schema([("a", pa.int64()), ("b", pa.string()), ("c", pa.string())])
    result = assess({"a": [1], "b": [2]}, None, baseline=baseline)
    assert ab(result, "schema_stable") == (1, 3)
    assert "b" in measures(result, "schema_stable")[0].note


def test_failing_examples_are_masked_never_raw() -> None:
    result = assess({"id_no": [*IDS[:4], BROKEN]})
    (m,) = measures(result, "entity_standard")
    assert m.examples == (BROKEN[:3] + "*" * 13 + BROKEN[-2:],)
    assert BROKEN not in str(result.measures)


def test_checks_without_inputs_produce_no_measure() -> None:
    result = assess({"n": [1, 2, 3]})
    for check in ("time_period", "update_frequency", "key_uniqueness", "code_lists", "id_birth_date", "dirty_values"):
        assert measures(result, check) == [], check

