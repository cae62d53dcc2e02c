"""Keyed pseudo-random values per row, vectorized: a length-prefixed AES CBC-MAC over each row's key text.

Every decision of the codec (is this cell marked, which fingerprint bit, which mask, which dither)
comes from `row_prf`, a secure PRF of the row's (virtual) primary key under a per-product key:
AES-128 CBC-MAC over `len (2 bytes, little endian) || key bytes || zero padding`. The length
prefix makes the encoding prefix-free, which is what makes CBC-MAC a PRF on variable-length input
(Bellare–Kilian–Rogaway). All rows advance one AES block at a time in one ECB call, so the cost is
a few bulk AES passes over the key column, not a Python call per row (see docs/watermark.md).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from yaosu.errors import Invalid

U64 = np.uint64
MAX_KEY_BYTES = 1024  # a key value longer than this is not a key
_SEP = "\x1f"  # unit separator between the columns of a composite key
_NULL = "\x00"
_LEN_BYTES = 2  # the length prefix: keys are at most MAX_KEY_BYTES long


@dataclass(frozen=True, repr=False)
class ProductKeys:
    """The keys of one product's fingerprints, derived from the node's watermark secret; `repr` hides them."""

    product_id: str
    select_key: bytes  # AES-128: which cells carry marks, and how
    codeword_key: bytes  # HMAC-SHA256: each recipient's codeword

    def __repr__(self) -> str:
        return f"ProductKeys(product_id={self.product_id!r})"


def product_keys(secret: bytes, product_id: str) -> ProductKeys:
    """The selection and codeword keys of `product_id` under the node's watermark `secret` (HMAC-SHA256 KDF)."""
    if len(secret) < 32:
        raise Invalid("watermark secret must be at least 32 bytes", field="secret", code="watermark_bad_key")
    tag = product_id.encode()
    select = hmac.new(secret, b"yaosu-wm/v1/select\n" + tag, hashlib.sha256).digest()[:16]
    codeword = hmac.new(secret, b"yaosu-wm/v1/codeword\n" + tag, hashlib.sha256).digest()
    return ProductKeys(product_id, select, codeword)


def codeword(keys: ProductKeys, recipient: str, bits: int) -> np.ndarray:
    """The `bits`-bit codeword (uint8 0/1) of `recipient` for this product: HMAC-SHA256 in counter mode."""
    blocks = (bits + 255) // 256
    raw = b"".join(hmac.new(keys.codeword_key, recipient.encode() + b"\n" + i.to_bytes(4, "big"),
                            hashlib.sha256).digest() for i in range(blocks))
    return np.unpackbits(np.frombuffer(raw, dtype=np.uint8))[:bits]


def codewords(keys: ProductKeys, recipients: list[str], bits: int) -> np.ndarray:
    """A (recipients x bits) uint8 matrix of codewords."""
    if not recipients:
        return np.zeros((0, bits), dtype=np.uint8)
    return np.stack([codeword(keys, r, bits) for r in recipients])


def _canonical_column(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One key column as text that survives re-reading: integers (and integral floats) in decimal, text trimmed."""
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    kind = column.type
    if pa.types.is_floating(kind):
        filled = pc.fill_null(column, 0.0)
        if pc.all(pc.equal(pc.floor(filled), filled)).as_py() is not False:
            column = pc.cast(column, pa.int64(), safe=False)
    elif pa.types.is_dictionary(kind):
        column = pc.cast(column, kind.value_type)
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        column = pc.cast(column, pa.string())
    return pc.fill_null(pc.utf8_trim_whitespace(column), _NULL)


def key_text(columns: list[pa.Array | pa.ChunkedArray]) -> pa.Array:
    """The canonical key text of each row over the key `columns` (joined with a unit separator)."""
    parts = [_canonical_column(c) for c in columns]
    joined = parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, _SEP)
    return pc.cast(joined, pa.large_binary())


def _buffers(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The offsets (n + 1, int64) and the byte buffer of a large_binary array."""
    n = len(text)
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int64)[text.offset:text.offset + n + 1]
    data = text.buffers()[2]
    return offsets, (np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8))


def _messages(offsets: np.ndarray, data: np.ndarray, rows: np.ndarray, blocks: int) -> np.ndarray:
    """The prefix-free messages `len (2 bytes LE) || key || zeros` of `rows`, all `blocks` blocks long,
    as an (len(rows), 2 * blocks) uint64 matrix."""
    starts, lengths = offsets[rows], offsets[rows + 1] - offsets[rows]
    width = 16 * blocks - _LEN_BYTES
    matrix = np.zeros((len(rows), 16 * blocks), dtype=np.uint8)
    matrix[:, :_LEN_BYTES] = lengths.astype("<u2").view(np.uint8).reshape(-1, _LEN_BYTES)
    if len(rows) == len(offsets) - 1 and int(lengths.min()) == int(lengths.max()) > 0:
        size = int(lengths[0])  # every key equally long (the usual case): the buffer is already the matrix
        matrix[:, _LEN_BYTES:_LEN_BYTES + size] = data[starts[0]:starts[0] + size * len(rows)].reshape(-1, size)
    elif len(data):
        within = np.arange(width)
        index = np.minimum(starts[:, None] + within[None, :], len(data) - 1)
        matrix[:, _LEN_BYTES:] = np.where(within[None, :] < lengths[:, None], data[index], 0)
    return matrix.view("<u8")


def _cbc_mac(select_key: bytes, messages: np.ndarray) -> np.ndarray:
    """AES-CBC-MAC of equally long messages, all rows advancing one block per bulk ECB call."""
    encryptor = Cipher(algorithms.AES(select_key), modes.ECB()).encryptor()  # noqa: S305 (CBC-MAC, one block per call)
    state = np.zeros((len(messages), 2), dtype="<u8")
    out = bytearray(state.nbytes + 15)
    for j in range(messages.shape[1] // 2):
        chunk = np.ascontiguousarray(state ^ messages[:, 2 * j:2 * j + 2])
        encryptor.update_into(chunk.data.cast("B"), out)
        state = np.frombuffer(out, dtype="<u8", count=2 * len(messages)).reshape(-1, 2).copy()
    return state


def row_prf(select_key: bytes, text: pa.Array) -> np.ndarray:
    """An (n, 2) uint64 matrix: 128 pseudo-random bits per row, AES-CBC-MAC of the row's key text."""
    offsets, data = _buffers(text)
    lengths = np.diff(offsets)
    if len(lengths) and int(lengths.max()) > MAX_KEY_BYTES:
        raise Invalid(f"主键值超过 {MAX_KEY_BYTES} 字节 / a key value is longer than {MAX_KEY_BYTES} bytes",
                      field="key", code="watermark_key_too_long")
    blocks = (_LEN_BYTES + lengths + 15) // 16
    out = np.zeros((len(text), 2), dtype=U64)
    for count in np.unique(blocks):
        rows = np.flatnonzero(blocks == count)
        out[rows] = _cbc_mac(select_key, _messages(offsets, data, rows, int(count)))
    return out


def splitmix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finalizer: spreads a secret pseudo-random 64-bit value into independent-looking bits."""
    with np.errstate(over="ignore"):
        x = (x + U64(0x9E3779B97F4A7C15)).astype(U64)
        x = ((x ^ (x >> U64(30))) * U64(0xBF58476D1CE4E5B9)).astype(U64)
        x = ((x ^ (x >> U64(27))) * U64(0x94D049BB133111EB)).astype(U64)
        mixed: np.ndarray = x ^ (x >> U64(31))
        return mixed


def column_tag(name: str) -> np.uint64:
    """A 64-bit tag of a column name, so each column draws its own values and dropping one changes no other."""
    return U64(int.from_bytes(hashlib.sha256(b"yaosu-wm/column\n" + name.encode()).digest()[:8], "little"))
