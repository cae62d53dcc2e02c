"""Entities embedded in prose: split every value into candidate tokens, then run the anchored detectors on them.

Vectorized end to end: one regex replace and a literal split turn the column into a list column of tokens,
`list_flatten` / `list_parent_indices` give one flat token array with its row, the detectors
(with their checksums) classify every token at once, and NumPy counts the verdicts. A token goes
to the first entity in `EMBEDDED` order that accepts it, so an 18-digit ID number is not also
counted as a bank card. Spans come from the same pipeline run on a bounded slice of rows with
one-character separators, so a token's character offset is a cumulative sum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from yaosu.privacy.checksums import StringColumn, as_strings
from yaosu.privacy.detect import DETECTORS
from yaosu.privacy.detect.detectors import PROVINCES

Ints = npt.NDArray[np.int64]

# Most specific first: checksum-backed codes, then formats that could swallow them.
EMBEDDED = ("CN_ID_CARD", "CN_USCC", "VEHICLE_VIN", "IMEI", "CN_BANK_CARD", "CN_MOBILE", "CN_LANDLINE",
            "EMAIL", "IP_ADDRESS", "MAC_ADDRESS", "CN_LICENSE_PLATE", "CN_PASSPORT", "CN_HK_MACAO_PERMIT")
_TOKEN_CHARS = rf"0-9A-Za-z@._%+\-:{PROVINCES}"
_LEAD = rf"^(?:[{PROVINCES}]|[A-Za-z_]{{1,12}}[:=]|[:._%@+\-]+)"  # label or punctuation glued to the front
_TRAIL = ".:-_"
_PLATE = "CN_LICENSE_PLATE"
MIN_TOKEN = 6  # no embedded entity is shorter (IPv4 1.1.1.1 is 7 characters); each has a digit, @, : or -


@dataclass(frozen=True)
class Span:
    """One embedded entity: the row, its [start, end) character offsets in the value, and the entity code."""

    row: int
    start: int
    end: int
    code: str


def _classify(tokens: pa.StringArray) -> tuple[Ints, Ints]:
    """Per token: the index into EMBEDDED (-1 for none), and the entity's offset and width inside the token."""
    unlabelled = pc.replace_substring_regex(tokens, _LEAD, "", max_replacements=1)
    plain = pc.utf8_rtrim(unlabelled, _TRAIL)
    raw = pc.utf8_rtrim(tokens, _TRAIL)
    codes = np.full(len(tokens), -1, dtype=np.int64)
    for i, code in enumerate(EMBEDDED):
        hit = np.asarray(DETECTORS.get(code)().detect(raw if code == _PLATE else plain).to_numpy(zero_copy_only=False))
        codes[hit & (codes < 0)] = i
    plate = codes == EMBEDDED.index(_PLATE)
    shift = np.where(plate, 0, _numpy(pc.utf8_length(tokens)) - _numpy(pc.utf8_length(unlabelled)))
    width = np.where(plate, _numpy(pc.utf8_length(raw)), _numpy(pc.utf8_length(plain)))
    return codes, np.stack([shift, width])


def _numpy(values: pa.Array) -> Ints:
    return np.asarray(pc.fill_null(values, 0).to_numpy(zero_copy_only=False)).astype(np.int64)


def _tokens(values: pa.StringArray, one_char: bool) -> tuple[pa.StringArray, Ints]:
    """All tokens of all values (flat) and the row each came from."""
    separator = f"[^{_TOKEN_CHARS}]" if one_char else f"[^{_TOKEN_CHARS}]+"
    spaced = pc.replace_substring_regex(pc.fill_null(values, ""), separator, " ")  # faster than a regex split
    lists = pc.split_pattern(spaced, " ")
    return pc.list_flatten(lists), _numpy(pc.list_parent_indices(lists))


def _row_codes(values: pa.StringArray) -> tuple[Ints, Ints]:
    """Entity index of every accepted token (tokens split on separator runs) and the row it is in."""
    keep = np.asarray(pc.fill_null(pc.match_substring_regex(values, "[0-9@:]"), False)
                      .to_numpy(zero_copy_only=False), dtype=np.bool_)  # no digit, @ or : -> nothing to find
    rows = np.flatnonzero(keep)
    tokens, parents = _tokens(values.filter(pa.array(keep)), one_char=False)
    parents = rows[parents]
    shaped = pc.and_(pc.greater_equal(pc.utf8_length(tokens), MIN_TOKEN), pc.match_substring_regex(tokens, "[0-9@:-]"))
    long = np.asarray(pc.fill_null(shaped, False).to_numpy(zero_copy_only=False), dtype=np.bool_)
    codes, _ = _classify(tokens.filter(pa.array(long)))
    found = codes >= 0
    return codes[found], parents[long][found]


def count_embedded(values: StringColumn) -> dict[str, int]:
    """Entity code -> number of validated occurrences inside the values (checksums must pass)."""
    codes, _ = _row_codes(as_strings(values))
    counts = np.bincount(codes, minlength=len(EMBEDDED))
    return {code: int(n) for code, n in zip(EMBEDDED, counts, strict=True) if n}


def embedded_spans(values: StringColumn, limit: int = 20) -> list[Span]:
    """Up to `limit` embedded entities with their row and [start, end) character span, in row order."""
    strings = as_strings(values)
    _, rows = _row_codes(strings)
    picked = np.unique(rows)[:limit]
    if len(picked) == 0:
        return []
    tokens, parents = _tokens(strings.take(pa.array(picked)), one_char=True)
    lengths = _numpy(pc.utf8_length(tokens))
    row_total = np.bincount(parents, weights=lengths + 1, minlength=len(picked)).astype(np.int64)
    row_base = np.concatenate([[0], np.cumsum(row_total)])[:-1]
    starts = np.cumsum(lengths + 1) - (lengths + 1) - row_base[parents]
    codes, (shift, width) = _classify(tokens)
    hits = np.flatnonzero(codes >= 0)[:limit]
    begin = starts[hits] + shift[hits]
    return [Span(row=int(picked[parents[i]]), start=int(b), end=int(b + width[i]), code=EMBEDDED[codes[i]])
            for i, b in zip(hits, begin, strict=True)]
