"""Decide how a delimited text file is written: its encoding and its delimiter, from a bounded head sample.

Encoding is decided by strict try-decoding (see docs/libraries.md for why not a statistical
detector): a UTF-8 byte-order mark wins; otherwise UTF-8 if the sample decodes strictly; otherwise
GB18030 (a superset of GBK and GB2312) if the sample decodes strictly; otherwise the file is refused.
A NUL byte in the sample marks a binary file: no text encoding in scope uses it.
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass
from pathlib import Path

from yaosu.errors import Invalid

SAMPLE_BYTES = 1 << 16
DELIMITERS = ",;\t|"
_CANDIDATES = ("utf-8", "gb18030")


@dataclass(frozen=True)
class TextFormat:
    """How to read a delimited text file: the Python codec name, whether it starts with a BOM, the delimiter."""

    encoding: str
    delimiter: str
    bom: bool = False


def read_head(path: Path, size: int = SAMPLE_BYTES) -> bytes:
    """The first `size` bytes of `path`."""
    with path.open("rb") as fh:
        return fh.read(size)


def _decodes(sample: bytes, encoding: str, complete: bool) -> str | None:
    """The sample decoded strictly, or None; a sequence cut by the sample's end is tolerated unless `complete`."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        return decoder.decode(sample, final=complete)
    except UnicodeDecodeError:
        return None


def detect_encoding(sample: bytes, *, complete: bool = False) -> tuple[str, bool, str]:
    """The encoding of a text sample as (codec, has_bom, decoded text); Invalid for binary or unknown bytes."""
    if b"\x00" in sample:
        raise Invalid("文件不是文本(含 NUL 字节) / not a text file: it contains NUL bytes (binary data?)",
                      field="path", code="binary_file")
    if sample.startswith(codecs.BOM_UTF8):
        text = _decodes(sample[len(codecs.BOM_UTF8):], "utf-8", complete)
        if text is not None:
            return "utf-8", True, text
    for encoding in _CANDIDATES:
        text = _decodes(sample, encoding, complete)
        if text is not None:
            return encoding, False, text
    raise Invalid("无法识别文件编码 / unknown text encoding: neither UTF-8 nor GBK/GB18030", field="path",
                  code="unknown_encoding")


def _consistent_count(lines: list[str], delimiter: str) -> int:
    """How often `delimiter` splits every line the same way (0 if the lines disagree or it never occurs)."""
    counts = {len(next(csv.reader([line], delimiter=delimiter))) - 1 for line in lines}
    return counts.pop() if len(counts) == 1 else 0


def sniff_delimiter(text: str, default: str = ",") -> str:
    """The delimiter among comma, semicolon, tab and pipe that splits the sample's lines most consistently."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if len(lines) > 1:
        lines = lines[:-1]  # the last line of a sample may be cut short
    if not lines:
        return default
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""
    if sniffed and _consistent_count(lines, sniffed) > 0:
        return sniffed
    scores = {d: _consistent_count(lines, d) for d in DELIMITERS}
    best = max(scores, key=lambda d: scores[d])
    return best if scores[best] > 0 else default


def detect_format(path: Path, *, delimiter: str | None = None) -> TextFormat:
    """The encoding and delimiter of the delimited text file at `path` (Invalid if it is empty or binary)."""
    sample = read_head(path)
    if not sample.strip():
        raise Invalid("文件为空 / the file is empty", field="path", code="empty_file")
    encoding, bom, text = detect_encoding(sample, complete=len(sample) < SAMPLE_BYTES)
    return TextFormat(encoding=encoding, delimiter=delimiter or sniff_delimiter(text), bom=bom)
