"""Replacing embedded entities in free text by span."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yaosu.errors import Invalid
from yaosu.privacy.mask import Context, Span, replace_spans
from yaosu.privacy.mask.base import MASKERS

ROWS = ["联系 13812345678 或 a@b.cn", "无", None, "身份证11010519491231002X。"]

CASES: list[tuple[list[Any], list[str | None], str]] = [
    ([], ROWS, "no-spans"),
    ([(0, 3, 14, "CN_MOBILE")], ["联系 <CN_MOBILE> 或 a@b.cn", "无", None, ROWS[3]], "one"),
    ([(0, 17, 23, "EMAIL"), (0, 3, 14, "CN_MOBILE")], ["联系 <CN_MOBILE> 或 <EMAIL>", "无", None, ROWS[3]],
     "two-unsorted"),
    ([(3, 3, 21, "CN_ID_CARD")], [*ROWS[:3], "身份证<CN_ID_CARD>。"], "cjk-offsets"),
    ([(0, 3, 14, "CN_MOBILE"), (0, 5, 10, "CN_LANDLINE")], ["联系 <CN_MOBILE> 或 a@b.cn", "无", None, ROWS[3]],
     "overlap-merged"),
]


@pytest.mark.parametrize(("spans", "expected"), [c[:2] for c in CASES], ids=[c[2] for c in CASES])
def test_replace_spans(spans: list[Any], expected: list[str | None]) -> None:
    assert replace_spans(pa.array(ROWS), spans).to_pylist() == expected


@pytest.mark.parametrize("span", [(9, 0, 1, "X"), (1, 0, 5, "CN_MOBILE"), (2, 0, 1, "CN_MOBILE"),
                                  (0, 3, 3, "CN_MOBILE"), (0, 0, 1, "lower")],
                         ids=["row-outside", "end-past-value", "null-row", "empty-span", "bad-code"])
def test_bad_spans_are_refused(span: tuple[int, int, int, str]) -> None:
    with pytest.raises(Invalid) as caught:
        replace_spans(pa.array(ROWS), [span])
    assert caught.value.field == "spans"


def test_operator_takes_stream_rows_or_a_finder() -> None:
    op = MASKERS.get("replace_spans")
    spans = {"t": (Span(10, 0, 2, "CN_MOBILE"), Span(11, 0, 1, "EMAIL"))}
    context = Context(key=bytes(32), column="t", row_offset=10, spans=spans)
    assert op(pa.array(["ab", "c", "d"]), {}, context).to_pylist() == ["<CN_MOBILE>", "<EMAIL>", "d"]
    found = Context(key=bytes(32), column="t", find_spans=lambda values: [(1, 0, 1, "EMAIL")])
    assert op(pa.array(["ab", "c"]), {}, found).to_pylist() == ["ab", "<EMAIL>"]
    with pytest.raises(Invalid, match="embedded"):
        op(pa.array(["ab"]), {}, Context(key=bytes(32), column="t"))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.tuples(st.text(alphabet="联系电话请回复abc ，。", max_size=8),
                                   st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)), max_size=3),
                min_size=1, max_size=20))
def test_no_replaced_entity_survives(rows: list[list[tuple[str, str]]]) -> None:
    values, spans, secrets = [], [], set()
    for row, pieces in enumerate(rows):
        text = ""
        for filler, mobile in pieces:
            text += filler
            spans.append((row, len(text), len(text) + len(mobile), "CN_MOBILE"))
            text += mobile
            secrets.add(mobile)
        values.append(text)
    out = replace_spans(pa.array(values), spans).to_pylist()
    assert not any(secret in value for value in out for secret in secrets)
    assert [v.count("<CN_MOBILE>") for v in out] == [len(p) for p in rows]
