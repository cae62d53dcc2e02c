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

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from yaosu.errors import Invalid
from yaosu.node.readers import TableSource
from yaosu.privacy.classify import THRESHOLD as THRESHOLD
from yaosu.privacy.classify import _finding, _rank, _Ranked, non_blank
from yaosu.privacy.detect import ColumnFinding, Explanation

SAMPLE = 1000  # non-blank values per column used to rank detectors
CANDIDATES_AT_MOST = 3  # detectors confirmed over the full column (keeps one pass cheap)
SAMPLE_SLACK = 0.5  # a head sample may be unrepresentative: confirm candidates from half the threshold
LOOK_AGAIN = 64  # evenly spaced values per later chunk looked at when the head found no candidate
LOOK_AGAIN_MIN = 8  # fewer non-blank values than this in the look tell nothing (sparse columns still qualify)

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


def _count(matches: pa.BooleanArray) -> int:
    return int(np.count_nonzero(matches.to_numpy(zero_copy_only=False)))


class ColumnScanner:
    """Streaming state of one column: head-sample buffer, then per-candidate match counts over all values."""

    def __init__(self, name: str, *, sample: int = SAMPLE, threshold: float = THRESHOLD) -> None:
        self.name = name
        self.sample_size = sample
        self.threshold = threshold
        self._buffer: list[pa.Array] = []
        self._buffered = 0
        self._sample: pa.StringArray | None = None
        self._candidates: list[_Ranked] = []
        self._counts: list[int] = []
        self._present = 0  # non-blank values counted so far (an upper bound before a late promotion)
        self._promoted_at: int | None = None  # values counted before a late candidate was (a bound)

    def feed(self, column: pa.Array) -> None:
        """Take the next chunk of the column's values."""
        if pa.types.is_dictionary(column.type):
            column = column.dictionary_decode()
        if self._sample is not None and not self._candidates:
            self._look_again(column)  # a cheap strided look: the head may have misled
            return
        present = non_blank(column)
        if self._sample is None:
            self._buffer.append(present)
            self._buffered += len(present)
            if self._buffered >= self.sample_size:
                self._rank()
            return
        self._confirm(present)

    def _look_again(self, column: pa.Array) -> None:
        """Rank detectors on a few evenly spaced values of this chunk; promote one that clearly matches.

        Values before the promotion are counted as present and not matching, so the ratio the
        column ends with is a lower bound of the true one (exact when nothing is promoted).
        """
        picks = np.unique(np.linspace(0, len(column) - 1, min(LOOK_AGAIN, len(column))).astype(np.int64))
        strided = non_blank(column.take(pa.array(picks))) if len(column) else pa.array([], pa.string())
        best = _rank(strided, self.name)[0] if len(strided) >= LOOK_AGAIN_MIN else None
        if best is None or best.sample_ratio < self.threshold:
            self._present += len(column) - column.null_count
            return
        self._candidates, self._counts = [best], [0]
        self._sample, self._promoted_at = strided, self._present
        self._confirm(non_blank(column))

    def _rank(self) -> None:
        buffered = pa.concat_arrays(self._buffer) if self._buffer else pa.array([], pa.string())
        self._buffer, self._buffered = [], 0
        self._sample = buffered.slice(0, self.sample_size)
        if len(self._sample) == 0:
            return
        bar = self.threshold * SAMPLE_SLACK
        ranked = _rank(self._sample, self.name)
        self._candidates = [r for r in ranked[:CANDIDATES_AT_MOST] if r.sample_ratio >= bar]
        self._counts = [0] * len(self._candidates)
        if self._candidates:
            self._confirm(buffered)
            return
        self._present = len(self._sample)
        self._look_again(buffered.slice(len(self._sample)))  # the rest of the chunks read so far

    def _confirm(self, present: pa.Array) -> None:
        self._present += len(present)
        for i, candidate in enumerate(self._candidates):
            self._counts[i] += _count(candidate.detector.detect(present))

    def result(self) -> ColumnScan:
        """The column's verdict once every chunk has been fed."""
        if self._sample is None:
            self._rank()
        finding = self._decide()
        if finding is None:
            return ColumnScan(self.name, None, 0.0, 0.0, None)
        note = "" if self._promoted_at is None else (
            f"counted after {self._promoted_at} earlier values taken as not matching (ratio is a lower bound)")
        return ColumnScan(self.name, finding.entity, finding.confidence, finding.match_ratio,
                          finding.explanation, note=note)

    def _decide(self) -> ColumnFinding | None:
        """The best candidate by full-column ratio, then header hint, then priority (classify's tie-breaks)."""
        assert self._sample is not None
        total = self._present
        confirmed = [(count / total, c) for c, count in zip(self._candidates, self._counts, strict=True)
                     if total and count / total >= self.threshold]
        if not confirmed:
            return None
        full, best = max(confirmed, key=lambda fc: (fc[0], fc[1].hinted, fc[1].detector.priority))
        return _finding(best, full, self._sample)


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
