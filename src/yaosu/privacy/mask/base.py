"""The masker registry, the context every operator receives, and key derivation.

A masker is a pure vectorized transform `(column, params, context) -> pa.Array` over one whole
Arrow column: same length out as in, no Python loop per value (the few operators that must call a
per-value primitive, HMAC or FF3-1, call it once per *distinct* value; see docs/privacy-masking.md).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from yaosu.errors import Invalid
from yaosu.registry import Registry

Params: TypeAlias = Mapping[str, Any]
SpanFinder: TypeAlias = Callable[[pa.Array], Sequence[Any]]
MIN_KEY_BYTES = 32


@dataclass(frozen=True, order=True)
class Span:
    """An embedded entity inside a free-text value: row (of the whole stream), [start, end) code points, code."""

    row: int
    start: int
    end: int
    code: str


MEMO_LIMIT = 100_000  # distinct values whose digests a stream remembers per column (~5 MB; measured best)


@dataclass
class DigestMemo:
    """Values already keyed in this stream and their HMAC digests (Arrow + NumPy, bounded by MEMO_LIMIT)."""

    values: pa.StringArray = field(default_factory=lambda: pa.array([], pa.string()))
    digests: np.ndarray = field(default_factory=lambda: np.zeros((0, 32), dtype=np.uint8))

    def remember(self, values: pa.StringArray, digests: np.ndarray) -> None:
        """Append new (value, digest) pairs while there is room."""
        room = MEMO_LIMIT - len(self.values)
        if room > 0:
            self.values = pa.concat_arrays([self.values, values.slice(0, room)])
            self.digests = np.concatenate([self.digests, digests[:room]])


@dataclass(frozen=True)
class Context:
    """What an operator may know besides its column: the product key, the column, where the batch sits."""

    key: bytes
    column: str = ""
    batch_index: int = 0
    row_offset: int = 0
    frequencies: Mapping[str, pa.Table] = field(default_factory=dict)
    spans: Mapping[str, tuple[Span, ...]] = field(default_factory=dict)
    find_spans: SpanFinder | None = None
    memo: dict[str, DigestMemo] = field(default_factory=dict)

    def subkey(self, purpose: str) -> bytes:
        """A 32-byte key for one purpose, derived from the product key (so operators never share a key)."""
        return derive_key(self.key, purpose)

    def rng(self, purpose: str) -> np.random.Generator:
        """A NumPy generator seeded from the key, the column and the batch: reproducible, unguessable."""
        seed = self.subkey(f"{purpose}/{self.column}/{self.batch_index}")
        return np.random.default_rng(int.from_bytes(seed, "big"))


Masker: TypeAlias = Callable[[pa.Array, Params, Context], pa.Array]
MASKERS: Registry[Masker] = Registry("masker")


def derive_key(key: bytes, purpose: str) -> bytes:
    """HMAC-SHA256(key, "yaosu-mask/" + purpose): one independent subkey per purpose."""
    check_key(key)
    return hmac.digest(key, b"yaosu-mask/" + purpose.encode(), hashlib.sha256)


def check_key(key: bytes) -> None:
    """Refuse a product key shorter than 32 bytes."""
    if len(key) < MIN_KEY_BYTES:
        raise Invalid(f"the masking key must be at least {MIN_KEY_BYTES} bytes / 密钥至少 {MIN_KEY_BYTES} 字节",
                      field="key")


def as_plain(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous array (a chunked column is combined)."""
    if isinstance(column, pa.ChunkedArray):
        return column.combine_chunks() if column.num_chunks else pa.array([], column.type)
    return column


def per_distinct(column: pa.Array | pa.ChunkedArray, transform: Callable[[pa.StringArray], pa.Array]) -> pa.Array:
    """`transform` run once per distinct value (Arrow dictionary encoding), spread back over the rows by `take`.

    Real columns repeat (addresses, dates, names), so a costly string kernel runs on far fewer values;
    an all-distinct column pays one extra hash pass (see docs/privacy-masking.md).
    """
    encoded = as_text(column).dictionary_encode()
    return pc.take(transform(encoded.dictionary), encoded.indices)


def as_text(column: pa.Array | pa.ChunkedArray) -> pa.StringArray:
    """The column as `pa.string()` (other types cast; large_string narrowed)."""
    plain = as_plain(column)
    if pa.types.is_dictionary(plain.type):
        plain = plain.cast(plain.type.value_type)
    return plain if pa.types.is_string(plain.type) else plain.cast(pa.string())
