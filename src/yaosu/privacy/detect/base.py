"""Detector base, findings and the detector registry (shaped after Presidio's pattern recognizers).

A detector is a small class whose data are class attributes: the entity code it finds, the RE2
patterns a whole (trimmed) value must match, header words that hint at it, and a `validate`
step that confirms or rejects pattern matches with a vectorized checksum. `detect` works on a
whole Arrow column at once and returns one boolean per value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from yaosu.privacy.checksums import StringColumn, as_strings
from yaosu.registry import Registry


@dataclass(frozen=True)
class Explanation:
    """Why a column was classified: which detector, which pattern, which validation."""

    detector: str
    pattern: str
    validation: str


@dataclass(frozen=True)
class ColumnFinding:
    """A column's entity code with the share of non-blank values that matched and a confidence."""

    entity: str
    match_ratio: float
    confidence: float
    explanation: Explanation
    embedded: dict[str, int] = field(default_factory=dict, hash=False)  # FREE_TEXT: entity code -> occurrences


class Detector:
    """Base detector: any of `patterns` fully matching the trimmed value, then `validate`."""

    entity: ClassVar[str]
    patterns: ClassVar[tuple[str, ...]]
    context: ClassVar[tuple[str, ...]] = ()  # header words: a weak hint, never a decision
    validation: ClassVar[str] = "pattern only"
    strength: ClassVar[float] = 0.85  # confidence of a full-column match (1.0 when a checksum confirms)
    priority: ClassVar[int] = 0  # breaks ties between equally matching detectors: more specific wins

    def validate(self, values: pa.StringArray, matched: pa.BooleanArray) -> pa.BooleanArray:
        """Confirm or reject pattern matches; the base class keeps them as they are."""
        return matched

    def pattern_matches(self, values: pa.StringArray) -> list[pa.BooleanArray]:
        """One boolean array per pattern (nulls → False) over already-trimmed values."""
        return [pc.fill_null(pc.match_substring_regex(values, p), False) for p in self.patterns]

    def detect(self, column: StringColumn) -> pa.BooleanArray:
        """True where the value (whitespace-trimmed) is this detector's entity; nulls → False."""
        values = pc.utf8_trim_whitespace(as_strings(column))
        matched = self.pattern_matches(values)
        combined = matched[0]
        for more in matched[1:]:
            combined = pc.or_(combined, more)
        return pc.and_(combined, pc.fill_null(self.validate(values, combined), False))

    def confirm_column(self, values: pa.StringArray, matches: pa.BooleanArray, hinted: bool) -> bool:
        """A column-level check after the value-level match (e.g. an age distribution); the base accepts."""
        return True

    def hinted_by(self, header: str | None) -> bool:
        """True if the column header contains one of the context words (case-insensitive)."""
        name = (header or "").casefold()
        return bool(name) and any(word.casefold() in name for word in self.context)


def is_listed(values: pa.StringArray, listed: pa.Array) -> pa.BooleanArray:
    """True where the case-folded value is in `listed` (an Arrow set from `reference.value_set`); nulls → False."""
    return pc.fill_null(pc.is_in(pc.utf8_lower(values), value_set=listed), False)


def any_match(values: pa.StringArray, *patterns: str) -> pa.BooleanArray:
    """True where any RE2 `pattern` matches somewhere in the value; nulls → False."""
    out = pc.fill_null(pc.match_substring_regex(values, patterns[0]), False)
    for pattern in patterns[1:]:
        out = pc.or_(out, pc.fill_null(pc.match_substring_regex(values, pattern), False))
    return out


def ratio(matches: pa.BooleanArray, total: int) -> float:
    """Share of `total` values that matched (0.0 for an empty column)."""
    return float(np.count_nonzero(matches.to_numpy(zero_copy_only=False))) / total if total else 0.0


DETECTORS: Registry[type[Detector]] = Registry("detector")
