"""Scan a whole table in one streaming pass: rank detectors per column on a sample, confirm over every row.

The column rules are those of `yaosu.privacy.classify` (same threshold, hint bonus, tie-breaks and
explanation); what changes is that the table arrives as Arrow record batches and is never held in
memory. Per column, the first `sample` non-blank values are buffered and ranked; the few
best-ranked detectors then count their matches batch by batch, including the buffered values, so
the match ratio is exact over the full column and a 100M-row table is read once. A column whose
head suggests nothing gets a cheap evenly spaced look at every later chunk, in case the head was
unrepresentative (a late find counts earlier values as not matching: a lower bound). Memory is
bounded by the sample buffers plus one batch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from yaosu.errors import Invalid
from yaosu.node.readers import TableSource
from yaosu.privacy.classify import THRESHOLD as THRESHOLD
from yaosu.privacy.classify import _finding, _rank, _Ranked, non_blank
from yaosu.privacy.detect import Detector, Explanation
from yaosu.privacy.embedded import count_embedded

SAMPLE = 1000  # non-blank values per column used to rank detectors
CANDIDATES_AT_MOST = 3  # detectors confirmed over the full column (keeps one pass cheap)
SAMPLE_SLACK = 0.5  # a head sample may be unrepresentative: confirm candidates from half the threshold
LOOK_AGAIN = 64  # evenly spaced values per later chunk looked at when the head found no candidate
LOOK_AGAIN_MIN = 8  # fewer non-blank values than this in the look tell nothing (sparse columns still qualify)
LATE_AT_MOST = 2  # candidates started by a later look, beyond the head's
SHAPES = ((r"[0-9]", "9"), (r"[A-Za-z]", "a"), (r"\p{Han}", "H"))  # a later look ranks only on new shapes
KEEP = 65_536  # values kept per column for column-level checks (distinct names, age spread)

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ColumnScan:
    """One column's verdict: entity code (or None), confidence, match ratio, why, embedded entity counts."""

    name: str
    entity: str | None
    confidence: float
    match_ratio: float
    explanation: Explanation | None
    embedded: Mapping[str, int] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class TableScan:
    """A scanned table: its name, the rows read and one verdict per column in schema order."""

    dataset: str
    rows: int
    columns: tuple[ColumnScan, ...]


def scannable(dtype: pa.DataType) -> bool:
    """True for column types that can hold identifiers as text: strings, integers, dates, string dictionaries."""
    if pa.types.is_dictionary(dtype):
        return scannable(dtype.value_type)
    return bool(pa.types.is_string(dtype) or pa.types.is_large_string(dtype)
                or pa.types.is_integer(dtype) or pa.types.is_date(dtype))


def shapes(values: pa.Array) -> pa.Array:
    """The distinct shapes of non-blank values: digits as 9, Latin letters as a, Han characters as H."""
    out = values
    for pattern, mark in SHAPES:
        out = pc.replace_substring_regex(out, pattern, mark)
    return pc.unique(out)


def _count(matches: pa.BooleanArray) -> int:
    return int(np.count_nonzero(matches.to_numpy(zero_copy_only=False)))


def _checks_column(detector: Detector) -> bool:
    """True if the detector has a column-level check (names, genders, birth dates) that needs values."""
    return type(detector).confirm_column is not Detector.confirm_column


@dataclass
class _Tracked:
    """A candidate being confirmed: its matches so far, and how many values were counted before it started."""

    ranked: _Ranked
    sample: pa.Array  # the values it was ranked on (for the explanation's pattern)
    since: int = 0
    count: int = 0
    embedded: Counter[str] = field(default_factory=Counter)


class ColumnScanner:
    """Streaming state of one column: head-sample buffer, then per-candidate match counts over all values."""

    def __init__(self, name: str, *, sample: int = SAMPLE, threshold: float = THRESHOLD) -> None:
        self.name = name
        self.sample_size = sample
        self.threshold = threshold
        self._buffer: list[pa.Array] = []
        self._buffered = 0
        self._ranked = False
        self._tracked: list[_Tracked] = []
        self._present = 0  # non-blank values counted (non-null only, while no candidate: an upper bound)
        self._kept: list[pa.Array] = []  # the first KEEP values, for detectors' column-level checks
        self._kept_len = 0
        self._shapes: pa.Array = pa.array([], pa.string())

    def feed(self, column: pa.Array) -> None:
        """Take the next chunk of the column's values."""
        if pa.types.is_dictionary(column.type):
            column = column.dictionary_decode()
        if not self._ranked:
            present = non_blank(column)
            self._buffer.append(present)
            self._buffered += len(present)
            if self._buffered >= self.sample_size:
                self._rank()
            return
        if not self._tracked:
            self._look_again(column, None)
            return
        present = non_blank(column)
        matched = self._confirm(present)
        if max(matched) < self.threshold * len(present):  # no candidate holds in this chunk: look again
            self._look_again(column, present)

    def _rank(self) -> None:
        self._ranked = True
        buffered = pa.concat_arrays(self._buffer) if self._buffer else pa.array([], pa.string())
        self._buffer, self._buffered = [], 0
        head = buffered.slice(0, self.sample_size)
        if len(head) == 0:
            return
        self._shapes = shapes(head)
        bar = self.threshold * SAMPLE_SLACK
        self._tracked = [_Tracked(r, head) for r in _rank(head, self.name)[:CANDIDATES_AT_MOST]
                         if r.sample_ratio >= bar]
        if self._tracked:
            if max(self._confirm(buffered)) < self.threshold * len(buffered):
                rest = buffered.slice(len(head))  # counted already; a different entity may start after the head
                self._look_again(rest, rest)
            return
        self._present = len(head)
        self._look_again(buffered.slice(len(head)), None)  # the rest of the chunks read so far

    def _look_again(self, column: pa.Array, present: pa.Array | None) -> None:
        """Rank detectors on a few evenly spaced values of a chunk; start counting one that clearly matches.

        Used while no candidate wins: the head may have been unrepresentative. Values before a late
        start count as not matching, so that candidate's ratio is a lower bound of the true one.
        `present` is the chunk's non-blank values when already counted, None when not yet.
        """
        if len(self._tracked) >= CANDIDATES_AT_MOST + LATE_AT_MOST or len(column) == 0:
            return self._uncounted(column, present)
        picks = np.unique(np.linspace(0, len(column) - 1, min(LOOK_AGAIN, len(column))).astype(np.int64))
        strided = non_blank(column.take(pa.array(picks)))
        if len(strided) < LOOK_AGAIN_MIN or self._familiar(strided):
            return self._uncounted(column, present)
        known = {t.ranked.detector.entity for t in self._tracked}
        found = [r for r in _rank(strided, self.name) if r.detector.entity not in known][:1]
        if not found or found[0].sample_ratio < self.threshold:
            return self._uncounted(column, present)
        counted = present is not None
        chunk = present if present is not None else non_blank(column)
        late = _Tracked(found[0], strided, since=self._present - (len(chunk) if counted else 0))
        self._tracked.append(late)
        if counted:
            self._count_into(late, chunk)
        else:
            self._confirm(chunk)

    def _familiar(self, values: pa.Array) -> bool:
        """True if every value has a shape the head sample already had: nothing new to rank (and cheap)."""
        return bool(pc.all(pc.is_in(shapes(values), value_set=self._shapes)).as_py())

    def _uncounted(self, column: pa.Array, present: pa.Array | None) -> None:
        if present is None:
            self._present += len(column) - column.null_count

    def _confirm(self, present: pa.Array) -> list[int]:
        """Count every candidate's matches in a chunk of non-blank values; returns the chunk's counts."""
        self._present += len(present)
        if self._kept_len < KEEP and any(_checks_column(t.ranked.detector) for t in self._tracked):
            self._kept.append(present.slice(0, KEEP - self._kept_len))
            self._kept_len += len(self._kept[-1])
        return [self._count_into(tracked, present) for tracked in self._tracked]

    @staticmethod
    def _count_into(tracked: _Tracked, present: pa.Array) -> int:
        matched = _count(tracked.ranked.detector.detect(present))
        tracked.count += matched
        if tracked.ranked.detector.entity == "FREE_TEXT":
            tracked.embedded.update(count_embedded(present))
        return matched

    def result(self) -> ColumnScan:
        """The column's verdict once every chunk has been fed."""
        if not self._ranked:
            self._rank()
        best = self._decide()
        if best is None:
            return ColumnScan(self.name, None, 0.0, 0.0, None)
        finding = _finding(best.ranked, best.count / self._present, best.sample)
        note = "" if best.since == 0 else (
            f"counted after {best.since} earlier values taken as not matching (ratio is a lower bound)")
        embedded = dict(sorted(best.embedded.items())) if finding.entity == "FREE_TEXT" else {}
        return ColumnScan(self.name, finding.entity, finding.confidence, finding.match_ratio,
                          finding.explanation, embedded, note)

    def _decide(self) -> _Tracked | None:
        """By full-column ratio, hint, priority: the first candidate at the threshold passing its column check."""
        total = self._present
        passing = [t for t in self._tracked if total and t.count / total >= self.threshold]
        passing.sort(key=lambda t: (t.count / total, t.ranked.hinted, t.ranked.detector.priority), reverse=True)
        return next((t for t in passing if self._column_ok(t)), None)

    def _column_ok(self, tracked: _Tracked) -> bool:
        """The detector's column-level check, on the column's first KEEP values (all of them when fewer)."""
        detector = tracked.ranked.detector
        if not _checks_column(detector):
            return True
        values = pa.concat_arrays(self._kept) if self._kept else tracked.sample
        return detector.confirm_column(values, detector.detect(values), tracked.ranked.hinted)


def skipped(name: str, dtype: pa.DataType) -> ColumnScan:
    """The verdict for a column whose type cannot hold a detectable value."""
    return ColumnScan(name, None, 0.0, 0.0, None, note=f"type {dtype} not scanned")


def scan_batches(name: str, schema: pa.Schema, batches: Iterable[pa.RecordBatch], *,
                 sample: int = SAMPLE, threshold: float = THRESHOLD,
                 progress: Progress | None = None) -> TableScan:
    """Scan every column of a stream of record batches in one pass; `progress` gets the rows read so far."""
    scanners = {i: ColumnScanner(f.name, sample=sample, threshold=threshold)
                for i, f in enumerate(schema) if scannable(f.type)}
    rows = 0
    for batch in batches:
        for i, scanner in scanners.items():
            scanner.feed(batch.column(i))
        rows += batch.num_rows
        if progress is not None:
            progress(rows)
    columns = tuple(scanners[i].result() if i in scanners else skipped(f.name, f.type)
                    for i, f in enumerate(schema))
    return TableScan(dataset=name, rows=rows, columns=columns)


def scan_source(source: TableSource, *, sample: int = SAMPLE, threshold: float = THRESHOLD,
                progress: Progress | None = None) -> TableScan:
    """Scan an opened `TableSource`; a file that turns out unreadable midway raises `Invalid`."""
    try:
        return scan_batches(source.name, source.schema, source.batches, sample=sample,
                            threshold=threshold, progress=progress)
    except (pa.ArrowException, UnicodeDecodeError) as exc:
        raise Invalid(f"cannot read {source.name}: {error_line(exc)}", field="path") from exc


def error_line(exc: BaseException, limit: int = 160) -> str:
    """A reader error as one short printable line (a garbage file's bytes can end up in the message)."""
    text = (str(exc) or type(exc).__name__).splitlines()[0] if str(exc).strip() else type(exc).__name__
    clean = "".join(ch if ch.isprintable() else "?" for ch in text).strip()
    return clean if len(clean) <= limit else clean[:limit] + "…"
