"""Vectorized identifier checksums over Arrow string columns (shared/DOMAIN.md §8).

Each `*_valid` takes a `pyarrow` string array (or chunked array) and returns a `pa.BooleanArray`
of the same length, null → False. The shape is always the same, with no Python loop per value:
an Arrow regex picks the candidates of one fixed byte width, their UTF-8 bytes are viewed as a
(n, width) uint8 NumPy matrix, and the checksum is a weighted column-wise sum over that matrix.
Values are taken as they are: no trimming, no full-width folding (callers normalise first).
Scalar `*_ok` functions give the same answer for one string, for tests and small inputs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from yaosu import clock
from yaosu.identifiers import USCC_ALPHABET, is_valid_uscc

Matrix = npt.NDArray[np.int32]
Mask = npt.NDArray[np.bool_]

# GB/T 2260 province-level codes, plus 83 (Taiwan residents' residence permits, DOMAIN.md §8).
PROVINCE_CODES = frozenset({
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
    50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
})
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int32)
_ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8).astype(np.int32)
_USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int32)
_USCC_CHARS = np.frombuffer(USCC_ALPHABET.encode(), dtype=np.uint8).astype(np.int32)
_VIN_WEIGHTS = np.array([8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2], dtype=np.int32)
_VIN_CHECK = np.frombuffer(b"0123456789X", dtype=np.uint8).astype(np.int32)


def _lookup(mapping: dict[str, int]) -> Matrix:
    """A 256-entry byte → value table (-1 for bytes outside `mapping`)."""
    table = np.full(256, -1, dtype=np.int32)
    for ch, value in mapping.items():
        table[ord(ch)] = value
    return table


_USCC_VALUE = _lookup({ch: i for i, ch in enumerate(USCC_ALPHABET)})
_VIN_VALUE = _lookup({**{str(d): d for d in range(10)},
                      **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
                      **dict(zip("JKLMN", range(1, 6), strict=True)), "P": 7, "R": 9,
                      **dict(zip("STUVWXYZ", range(2, 10), strict=True))})
_PROVINCE = np.zeros(100, dtype=np.bool_)
_PROVINCE[sorted(PROVINCE_CODES)] = True

StringColumn: TypeAlias = pa.Array | pa.ChunkedArray


def as_strings(values: StringColumn) -> pa.StringArray:
    """One contiguous `pa.string()` array from any string-like array or chunked array."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks else pa.array([], pa.string())
    if not pa.types.is_string(values.type):
        values = values.cast(pa.string())
    return values


def candidates(values: StringColumn, pattern: str) -> Mask:
    """NumPy mask of the values fully matching the RE2 `pattern` (nulls → False)."""
    matched = pc.match_substring_regex(as_strings(values), pattern)
    return np.asarray(pc.fill_null(matched, False).to_numpy(zero_copy_only=False), dtype=np.bool_)


def byte_matrix(values: pa.StringArray, width: int) -> Matrix:
    """The UTF-8 bytes of `values` (every one exactly `width` bytes, no nulls) as an (n, width) matrix."""
    n = len(values)
    if n == 0:
        return np.zeros((0, width), dtype=np.int32)
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int32)[values.offset:values.offset + n + 1]
    data = np.frombuffer(values.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
    return data.reshape(n, width).astype(np.int32)


def _apply(values: StringColumn, pattern: str, width: int, rule: Callable[[Matrix], Mask]) -> pa.BooleanArray:
    """Run `rule(matrix) -> mask` over the candidates of one byte width; every other value is False."""
    strings = as_strings(values)
    out = np.zeros(len(strings), dtype=np.bool_)
    _fill(out, strings, candidates(strings, pattern), width, rule)
    return pa.array(out, pa.bool_())


def _fill(out: Mask, strings: pa.StringArray, mask: Mask, width: int, rule: Callable[[Matrix], Mask]) -> None:
    """Write `rule`'s verdicts for the rows selected by `mask` (all `width` bytes long) into `out`."""
    if mask.any():
        out[mask] = rule(byte_matrix(strings.filter(pa.array(mask)), width))


def _number(digits: Matrix) -> Matrix:
    """The decimal number spelled by each row of a digit-value matrix."""
    powers = 10 ** np.arange(digits.shape[1] - 1, -1, -1, dtype=np.int32)
    return np.asarray(digits @ powers, dtype=np.int32)


def _today_key(today: date | None) -> int:
    day = today or clock.now().date()
    return day.year * 10000 + day.month * 100 + day.day


def _valid_dates(year: Matrix, month: Matrix, day: Matrix, today: date | None) -> Mask:
    """Rows whose (year, month, day) is a real calendar date between 1900-01-01 and `today`."""
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    month_days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int32)
    safe_month = np.clip(month, 0, 12)
    last = month_days[safe_month] + ((safe_month == 2) & leap)
    real = (month >= 1) & (month <= 12) & (day >= 1) & (day <= last)
    in_range = (year >= 1900) & (year * 10000 + month * 100 + day <= _today_key(today))
    return np.asarray(real & in_range, dtype=np.bool_)


def real_dates(year: Matrix, month: Matrix, day: Matrix, today: date | None = None) -> Mask:
    """Rows whose (year, month, day) is a real calendar date from 1900-01-01 up to `today`."""
    return _valid_dates(year, month, day, today)


def _id18_rule(today: date | None) -> Callable[[Matrix], Mask]:
    def rule(m: Matrix) -> Mask:
        digits = m[:, :17] - 48
        check = np.where(m[:, 17] == ord("x"), ord("X"), m[:, 17])
        ok = _ID_CHECK[(digits @ _ID_WEIGHTS) % 11] == check
        ok &= _PROVINCE[digits[:, 0] * 10 + digits[:, 1]]
        born = _valid_dates(_number(digits[:, 6:10]), _number(digits[:, 10:12]), _number(digits[:, 12:14]), today)
        return np.asarray(ok & born, dtype=np.bool_)
    return rule


def _id15_rule(today: date | None) -> Callable[[Matrix], Mask]:
    def rule(m: Matrix) -> Mask:
        digits = m - 48
        born = _valid_dates(1900 + _number(digits[:, 6:8]), _number(digits[:, 8:10]), _number(digits[:, 10:12]), today)
        return np.asarray(born & _PROVINCE[digits[:, 0] * 10 + digits[:, 1]], dtype=np.bool_)
    return rule


def cn_id_card_valid(values: StringColumn, today: date | None = None) -> pa.BooleanArray:
    """Resident ID numbers: 18 digits with MOD 11-2 check ('X'/'x'), or 15-digit legacy; real birth date, province."""
    long = _apply(values, r"^[0-9]{17}[0-9Xx]$", 18, _id18_rule(today))
    legacy = _apply(values, r"^[0-9]{15}$", 15, _id15_rule(today))
    return pc.or_(long, legacy)


def _uscc_rule(m: Matrix) -> Mask:
    values = _USCC_VALUE[m]
    expected = _USCC_CHARS[(31 - (values[:, :17] @ _USCC_WEIGHTS) % 31) % 31]
    return np.asarray(expected == m[:, 17], dtype=np.bool_)


def uscc_valid(values: StringColumn) -> pa.BooleanArray:
    """Unified social credit codes (GB 32100 MOD 31), same rule as `yaosu.identifiers.is_valid_uscc`."""
    return _apply(values, r"^[1-9A-GY][1239][0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$", 18, _uscc_rule)


def _luhn_rule(m: Matrix) -> Mask:
    digits = (m - 48)[:, ::-1]
    doubled = digits[:, 1::2] * 2
    total = digits[:, 0::2].sum(axis=1) + (doubled - 9 * (doubled > 9)).sum(axis=1)
    return np.asarray(total % 10 == 0, dtype=np.bool_)


def luhn_valid(values: StringColumn, min_len: int = 12, max_len: int = 19) -> pa.BooleanArray:
    """Digit strings of `min_len`..`max_len` digits passing the Luhn check (one regex, one pass per length)."""
    strings = as_strings(values)
    mask = candidates(strings, f"^[0-9]{{{min_len},{max_len}}}$")
    lengths = np.asarray(pc.fill_null(pc.binary_length(strings), 0).to_numpy(zero_copy_only=False))
    out = np.zeros(len(strings), dtype=np.bool_)
    for width in range(min_len, max_len + 1):
        _fill(out, strings, mask & (lengths == width), width, _luhn_rule)
    return pa.array(out, pa.bool_())


def imei_valid(values: StringColumn) -> pa.BooleanArray:
    """15-digit IMEI numbers passing the Luhn check."""
    return _apply(values, r"^[0-9]{15}$", 15, _luhn_rule)


def _vin_rule(m: Matrix) -> Mask:
    expected = _VIN_CHECK[(_VIN_VALUE[m] @ _VIN_WEIGHTS) % 11]
    return np.asarray(expected == m[:, 8], dtype=np.bool_)


def vin_valid(values: StringColumn) -> pa.BooleanArray:
    """17-character VINs (ISO 3779, no I/O/Q, upper case) whose 9th character is the check digit."""
    return _apply(values, r"^[A-HJ-NPR-Z0-9]{17}$", 17, _vin_rule)


def _scalar(kernel: Callable[[StringColumn], pa.BooleanArray], value: str | None) -> bool:
    return bool(kernel(pa.array([value], pa.string()))[0].as_py())


def cn_id_card_ok(value: str | None, today: date | None = None) -> bool:
    """`cn_id_card_valid` for one value."""
    return _scalar(lambda col: cn_id_card_valid(col, today), value)


def uscc_ok(value: str | None) -> bool:
    """`uscc_valid` for one value (delegates to the scalar `yaosu.identifiers` rule)."""
    return value is not None and is_valid_uscc(value)


def luhn_ok(value: str | None) -> bool:
    """`luhn_valid` for one value."""
    return _scalar(luhn_valid, value)


def imei_ok(value: str | None) -> bool:
    """`imei_valid` for one value."""
    return _scalar(imei_valid, value)


def vin_ok(value: str | None) -> bool:
    """`vin_valid` for one value."""
    return _scalar(vin_valid, value)
