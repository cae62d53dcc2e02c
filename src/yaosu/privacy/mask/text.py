"""Free text: replace embedded entities, given as spans (row, start, end, code), by placeholders like <CN_MOBILE>.

The spans come from a detector of entities inside free text (`yaosu.privacy.embedded`). Only the
rows that hold a span are rebuilt, in one pass over the spans sorted by (row, start); every other
row is passed through by Arrow untouched. Offsets are code points (Python `str` indices).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import groupby
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from yaosu.errors import Invalid
from yaosu.privacy.mask.base import MASKERS, Context, Params, Span, as_text

_CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,39}$")


def _rebuild(value: str, spans: Sequence[Span]) -> str:
    """`value` with each span replaced by <CODE>; overlapping spans merge into the first one's code."""
    pieces: list[str] = []
    cursor = 0
    for span in spans:
        if span.start < cursor:
            cursor = max(cursor, span.end)
            continue
        pieces += [value[cursor:span.start], f"<{span.code}>"]
        cursor = span.end
    pieces.append(value[cursor:])
    return "".join(pieces)


def _check(span: Span, value: str | None, rows: int) -> None:
    if not 0 <= span.row < rows:
        raise Invalid(f"span row {span.row} is outside the column (0..{rows - 1})", field="spans")
    if value is None or not 0 <= span.start < span.end <= len(value):
        raise Invalid(f"span {span.start}..{span.end} does not fit row {span.row}", field="spans")
    if not _CODE.match(span.code):
        raise Invalid(f"span code {span.code!r} must be an upper-case entity code", field="spans")


def as_span(span: Any) -> Span:
    """A Span from a (row, start, end, code) tuple or any object with those attributes."""
    if isinstance(span, tuple):
        return Span(*span)
    return Span(int(span.row), int(span.start), int(span.end), str(span.code))


def replace_spans(values: pa.Array, spans: Iterable[Any]) -> pa.StringArray:
    """`values` with every span (row, start, end, code) replaced by "<code>"; rows without spans unchanged."""
    text = as_text(values)
    ordered = sorted(as_span(s) for s in spans)
    if not ordered:
        return text
    rows = np.fromiter((s.row for s in ordered), dtype=np.int64, count=len(ordered))
    if rows[0] < 0 or rows[-1] >= len(text):
        bad = ordered[0] if rows[0] < 0 else ordered[-1]
        raise Invalid(f"span row {bad.row} is outside the column (0..{len(text) - 1})", field="spans")
    touched = np.unique(rows)
    originals = text.take(pa.array(touched)).to_pylist()
    rebuilt: list[str] = []
    for (_, group), value in zip(groupby(ordered, key=lambda s: s.row), originals, strict=True):
        members = list(group)
        for span in members:
            _check(span, value, len(text))
        rebuilt.append(_rebuild(str(value), members))
    positions = np.full(len(text), -1, dtype=np.int64)
    positions[touched] = np.arange(len(touched))
    replaced = pc.take(pa.array(rebuilt, pa.string()), pa.array(np.maximum(positions, 0)))
    return pc.if_else(pa.array(positions >= 0), replaced, text)


@MASKERS.register("replace_spans")
def replace_spans_op(column: pa.Array, params: Params, context: Context) -> pa.Array:
    """Replace embedded-entity spans: given in `Context.spans` (rows of the whole stream) or found per batch."""
    if context.column not in context.spans:
        if context.find_spans is not None:
            return replace_spans(column, context.find_spans(column))
        raise Invalid(f"column {context.column!r}: replace_spans needs the embedded-entity spans of this column "
                      "(yaosu.privacy.embedded) / 需要自由文本中的实体位置", field="spans")
    low, high = context.row_offset, context.row_offset + len(column)
    local = [Span(s.row - low, s.start, s.end, s.code) for s in context.spans[context.column] if low <= s.row < high]
    return replace_spans(column, local)
