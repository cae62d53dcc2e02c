"""A canonical byte encoding of Arrow columns for content hashing, independent of chunking, slicing and padding.

Arrow's own IPC encoding is not canonical (a sliced array and a compacted copy of the same values
serialize differently, and bytes under a null slot are undefined), so the content hash feeds
these bytes instead, column by column, every part length-prefixed (8 bytes, little-endian):

* validity: the marker `N` and the bit-packed validity (`numpy.packbits`, big-endian bit order)
  when the column has nulls, else the marker `V`;
* fixed-width values (integers, floats, decimals, dates, times, timestamps, durations,
  fixed-size binary): the little-endian value bytes, null slots zeroed;
* booleans: one byte per value (0/1), null slots 0;
* strings and binaries (all offset widths and views): the value lengths as int64, then the
  concatenated value bytes, null slots empty;
* dictionaries: the decoded values; maps: as lists of key/value structs; lists: validity, the
  list lengths as int64, then the flattened child; structs: validity, then each child in order
  with the struct's nulls applied to it;
  null type: the length only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

Feed = Callable[[bytes], None]


def _validity(array: pa.Array) -> np.ndarray:
    return np.asarray(pc.is_valid(array).to_numpy(zero_copy_only=False), dtype=bool)


def _feed_validity(array: pa.Array, feed: Feed) -> None:
    if array.null_count:
        feed(b"N" + np.packbits(_validity(array)).tobytes())
    else:
        feed(b"V")


def _fixed_width(array: pa.Array, feed: Feed) -> None:
    width = array.type.bit_width // 8
    buffer = array.buffers()[1]
    raw = np.frombuffer(buffer, dtype=np.uint8)[array.offset * width:(array.offset + len(array)) * width]
    if array.null_count:
        raw = raw.reshape(len(array), width).copy()
        raw[~_validity(array)] = 0
    feed(raw.tobytes())


def _binary_like(array: pa.Array, feed: Feed) -> None:
    kind = pa.large_binary()
    dense = pc.fill_null(array.cast(kind), pa.scalar(b"", kind))
    lengths = pc.binary_length(dense).to_numpy(zero_copy_only=False).astype("<i8")
    feed(lengths.tobytes())
    offsets = np.frombuffer(dense.buffers()[1], dtype="<i8")[dense.offset:dense.offset + len(dense) + 1]
    start, end = (int(offsets[0]), int(offsets[-1])) if len(offsets) else (0, 0)
    data = dense.buffers()[2]
    feed(data.slice(start, end - start).to_pybytes() if data is not None and end > start else b"")


def feed_array(array: pa.Array, feed: Feed) -> None:
    """Feed the canonical encoding of `array` (see the module docstring) to `feed`."""
    t = array.type
    if pa.types.is_dictionary(t):
        feed_array(array.dictionary_decode(), feed)
        return
    if pa.types.is_map(t):
        feed_array(array.cast(pa.list_(pa.struct([t.key_field, t.item_field]))), feed)
        return
    _feed_validity(array, feed)
    if pa.types.is_null(t):
        feed(len(array).to_bytes(8, "little"))
    elif pa.types.is_boolean(t):
        feed(np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=np.uint8).tobytes())
    elif (pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_binary(t)
          or pa.types.is_large_binary(t) or pa.types.is_string_view(t) or pa.types.is_binary_view(t)):
        _binary_like(array, feed)
    elif pa.types.is_struct(t):
        for child in array.flatten():  # children carry the parent's nulls, whatever lies under them
            feed_array(child, feed)
    elif pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        feed(pc.fill_null(pc.list_value_length(array), 0).to_numpy(zero_copy_only=False).astype("<i8").tobytes())
        feed_array(pc.list_flatten(array), feed)
    elif t.bit_width and t.bit_width % 8 == 0:
        _fixed_width(array, feed)
    else:
        raise TypeError(f"no canonical encoding for Arrow type {t}")
