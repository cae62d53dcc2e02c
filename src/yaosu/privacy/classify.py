"""Column classification: rank detectors on a deterministic sample, confirm the best on the whole column."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from yaosu.privacy.checksums import StringColumn, as_strings
from yaosu.privacy.detect import DETECTORS, ColumnFinding, Detector, Explanation, ratio
from yaosu.privacy.embedded import count_embedded

THRESHOLD = 0.6  # share of non-blank values that must match
HINT_BONUS = 0.05  # a header naming the entity nudges confidence and breaks ties, never decides
CONFIRM_AT_MOST = 3  # candidates confirmed over the full column before giving up


@dataclass(frozen=True)
class _Ranked:
    detector: Detector
    sample_ratio: float
    hinted: bool


def non_blank(values: StringColumn) -> pa.StringArray:
    """The values that are neither null nor blank after trimming whitespace."""
    strings = pc.utf8_trim_whitespace(as_strings(values))
    keep = pc.and_(pc.is_valid(strings), pc.not_equal(pc.fill_null(strings, ""), ""))
    return strings.filter(pc.fill_null(keep, False))


def deterministic_sample(values: pa.Array, size: int) -> pa.Array:
    """`size` evenly spaced values (all of them when there are fewer): same input, same sample."""
    if len(values) <= size:
        return values
    return values.take(pa.array(np.linspace(0, len(values) - 1, size).astype(np.int64)))


def _rank(sample: pa.StringArray, header: str | None) -> list[_Ranked]:
    detectors = [cls() for _, cls in DETECTORS.items()]
    ranked = [_Ranked(d, ratio(d.detect(sample), len(sample)), d.hinted_by(header)) for d in detectors]
    return sorted(ranked, key=lambda r: (r.sample_ratio, r.hinted, r.detector.priority), reverse=True)


def _best_pattern(detector: Detector, sample: pa.StringArray) -> str:
    counts = [ratio(m, len(sample)) for m in detector.pattern_matches(sample)]
    return detector.patterns[int(np.argmax(counts))]


def _finding(candidate: _Ranked, match_ratio: float, sample: pa.StringArray) -> ColumnFinding:
    det = candidate.detector
    confidence = min(1.0, det.strength * match_ratio + (HINT_BONUS if candidate.hinted else 0.0))
    why = Explanation(detector=type(det).__name__, pattern=_best_pattern(det, sample), validation=det.validation)
    return ColumnFinding(entity=det.entity, match_ratio=round(match_ratio, 4),
                         confidence=round(confidence, 4), explanation=why)


def classify_column(values: StringColumn, header: str | None = None, sample: int = 1000,
                    threshold: float = THRESHOLD) -> ColumnFinding | None:
    """The column's entity (or None): ranked on a sample, confirmed over every non-blank value.

    A FREE_TEXT finding also carries `embedded`: entity code -> validated occurrences inside the prose.
    """
    present = non_blank(values)
    if len(present) == 0:
        return None
    picked = deterministic_sample(present, sample)
    for candidate in _rank(picked, header)[:CONFIRM_AT_MOST]:
        if candidate.sample_ratio < threshold:
            break
        matches = candidate.detector.detect(present)
        full = ratio(matches, len(present))
        if full >= threshold and candidate.detector.confirm_column(present, matches, candidate.hinted):
            return _with_embedded(_finding(candidate, full, picked), present)
    return None


def _with_embedded(finding: ColumnFinding, present: pa.StringArray) -> ColumnFinding:
    """Add the embedded-entity counts to a FREE_TEXT finding; other findings are returned as they are."""
    if finding.entity != "FREE_TEXT":
        return finding
    return replace(finding, embedded=count_embedded(present))
