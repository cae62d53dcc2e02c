"""Keyed pseudonyms: HMAC-SHA256 hash and deterministic tokens (GB/T 37964 pseudonymisation, DOMAIN.md §3).

HMAC is a per-value primitive, so a column is hashed once per *distinct* value: the column is
dictionary-encoded in Arrow, `hmac.digest` (OpenSSL's one-shot HMAC) runs over the dictionary,
the digests are formatted as one NumPy byte matrix, and `take` spreads them back over the rows.
Real columns repeat (names, cities, codes), so the per-value cost is paid per distinct value; an
all-distinct column (ID numbers) pays it per row — measured in benchmarks/deid.py.
"""

from __future__ import annotations

import base64
import hmac
import re

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from yaosu.errors import Invalid
from yaosu.privacy.mask.base import MASKERS, Context, Params, as_text

Bytes = npt.NDArray[np.uint8]
HEX_LENGTHS = (16, 64)
BASE32_LENGTHS = (13, 48)
_PREFIX = re.compile(r"^[A-Za-z0-9_\-]{0,16}$")


def dictionary_digests(strings: pa.StringArray, key: bytes) -> tuple[Bytes, pa.Array]:
    """HMAC-SHA256 of every distinct value as a (distinct, 32) byte matrix, and each row's index into it."""
    encoded = strings.dictionary_encode()
    dictionary, indices = encoded.dictionary, encoded.indices
    n = len(dictionary)
    if n == 0:
        return np.zeros((0, 32), dtype=np.uint8), indices
    offsets = np.frombuffer(dictionary.buffers()[1], dtype=np.int32)[dictionary.offset:dictionary.offset + n + 1]
    data_buffer = dictionary.buffers()[2]
    data = data_buffer.to_pybytes() if data_buffer is not None else b""
    starts, ends = offsets[:-1].tolist(), offsets[1:].tolist()
    joined = b"".join([hmac.digest(key, data[a:b], "sha256") for a, b in zip(starts, ends, strict=True)])
    return np.frombuffer(joined, dtype=np.uint8).reshape(n, 32), indices


def fixed_width_strings(rows: Bytes) -> pa.StringArray:
    """An Arrow string array whose i-th value is the ASCII bytes of row i of `rows` (n, width)."""
    n, width = rows.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets.tobytes()), pa.py_buffer(np.ascontiguousarray(rows)))


def encode_digests(digests: Bytes, encoding: str, length: int) -> Bytes:
    """Each digest as `length` lower-case hex or upper-case base32 characters (truncated)."""
    if encoding == "hex":
        text = digests.tobytes().hex().encode()
        return np.frombuffer(text, dtype=np.uint8).reshape(len(digests), 64)[:, :length]
    # 30 bytes = 48 base32 characters exactly, so one b32encode call never pads mid-row.
    text = base64.b32encode(np.ascontiguousarray(digests[:, :30]).tobytes())
    return np.frombuffer(text, dtype=np.uint8).reshape(len(digests), 48)[:, :length]


def _length(params: Params, encoding: str, default: int) -> int:
    low, high = HEX_LENGTHS if encoding == "hex" else BASE32_LENGTHS
    length = int(params.get("length", default))
    if not low <= length <= high:
        raise Invalid(f"length must be {low}..{high} for {encoding}", field="length")
    return length


def _encoding(params: Params, default: str) -> str:
    encoding = str(params.get("encoding", default))
    if encoding not in ("hex", "base32"):
        raise Invalid("encoding must be hex or base32", field="encoding")
    return encoding


@MASKERS.register("hash")
def keyed_hash(column: pa.Array, params: Params, context: Context) -> pa.Array:
    """HMAC-SHA256 under the product key (never a bare hash), hex or base32, truncated; nulls stay null."""
    encoding = _encoding(params, "hex")
    length = _length(params, encoding, 32 if encoding == "hex" else 26)
    digests, indices = dictionary_digests(as_text(column), context.subkey("hash"))
    return pc.take(fixed_width_strings(encode_digests(digests, encoding, length)), indices)


@MASKERS.register("tokenize")
def tokenize(column: pa.Array, params: Params, context: Context) -> pa.Array:
    """A deterministic token `PREFIX` + base32(HMAC) per value: joins survive inside one product, nulls stay null."""
    prefix = str(params.get("prefix", "TOK_"))
    if not _PREFIX.match(prefix):
        raise Invalid("prefix must be 0..16 of A-Z a-z 0-9 _ -", field="prefix")
    length = _length(params, "base32", 16)
    # The domain (default: the prefix) keys the token, so NAME_ and ID_ tokens of one value differ.
    domain = str(params.get("domain", prefix))
    digests, indices = dictionary_digests(as_text(column), context.subkey(f"tokenize/{domain}"))
    codes = encode_digests(digests, "base32", length)
    head = np.broadcast_to(np.frombuffer(prefix.encode(), dtype=np.uint8), (len(codes), len(prefix)))
    return pc.take(fixed_width_strings(np.concatenate([head, codes], axis=1)), indices)
