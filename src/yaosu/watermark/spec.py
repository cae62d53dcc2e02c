"""What a fingerprint marks: the key columns, each marked numeric column with its declared tolerance, the rates.

Only numeric columns carry marks (integers, floats and decimals), each within a tolerance its owner declares.
Text, dates, booleans and categories carry none: every change there either changes meaning (a name,
a code, a category) or is removed by ordinary reformatting (trailing spaces, Unicode look-alikes,
case), so it would be either harmful or useless as evidence (docs/watermark.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from yaosu.errors import Invalid

SCHEME = "yaosu-fp-qim-v1"
DEFAULT_BITS = 512
DEFAULT_GAMMA = 4
MAX_DECIMALS = 6


@dataclass(frozen=True)
class MarkedColumn:
    """A numeric column that carries marks: no value moves by more than `tolerance`; `decimals` is its precision."""

    name: str
    tolerance: float
    decimals: int

    @property
    def unit(self) -> float:
        return float(10.0 ** -self.decimals)

    @property
    def step(self) -> float:
        """The quantization step: the tolerance rounded down to the column's precision."""
        return math.floor(self.tolerance / self.unit + 1e-9) * self.unit


@dataclass(frozen=True)
class FingerprintSpec:
    """The scheme's parameters for one product: key columns (declared or virtual), marked columns, 1/gamma of
    their cells marked, a codeword of `bits` bits."""

    key: tuple[str, ...]
    columns: tuple[MarkedColumn, ...]
    virtual_key: bool = False
    gamma: int = DEFAULT_GAMMA
    bits: int = DEFAULT_BITS
    scheme: str = field(default=SCHEME)

    def to_json(self) -> dict[str, Any]:
        """The spec as JSON, recorded with every delivery so a trace reads the file the same way."""
        return {"scheme": self.scheme, "key": list(self.key), "virtual_key": self.virtual_key, "gamma": self.gamma,
                "bits": self.bits, "columns": [{"name": c.name, "tolerance": c.tolerance, "decimals": c.decimals}
                                               for c in self.columns]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FingerprintSpec:
        """The spec recorded by `to_json`."""
        if data.get("scheme") != SCHEME:
            raise Invalid(f"unknown fingerprint scheme {data.get('scheme')!r}", field="scheme")
        columns = tuple(MarkedColumn(str(c["name"]), float(c["tolerance"]), int(c["decimals"]))
                        for c in data["columns"])
        return cls(tuple(data["key"]), columns, bool(data["virtual_key"]), int(data["gamma"]), int(data["bits"]))


def _numeric(kind: pa.DataType) -> bool:
    return bool(pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind))


def infer_decimals(values: pa.Array | pa.ChunkedArray) -> int:
    """The fewest decimals (0..6) that write every value of a float sample exactly; 6 if none does."""
    array = np.asarray(pc.drop_null(values).to_numpy(zero_copy_only=False), dtype=np.float64)
    array = array[np.isfinite(array)]
    for decimals in range(MAX_DECIMALS + 1):
        scaled = array * 10.0 ** decimals
        if np.all(np.abs(scaled - np.round(scaled)) <= 1e-9 * np.maximum(1.0, np.abs(scaled))):
            return decimals
    return MAX_DECIMALS


def _marked(schema: pa.Schema, sample: pa.Table | pa.RecordBatch, name: str, tolerance: float,
            decimals: int | None) -> MarkedColumn:
    if name not in schema.names:
        raise Invalid(f"没有列 {name!r} / no column {name!r}", field="tolerance", code="watermark_no_column")
    kind = schema.field(name).type
    if not _numeric(kind):
        raise Invalid(f"列 {name!r} 不是数值列,不能承载水印 / column {name!r} is {kind}, only integer, float "
                      "and decimal columns carry marks", field="tolerance", code="watermark_not_numeric")
    if not (math.isfinite(tolerance) and tolerance > 0):
        raise Invalid(f"列 {name!r} 的容差必须为正数 / the tolerance of {name!r} must be positive", field="tolerance")
    if decimals is None:
        decimals = 0 if pa.types.is_integer(kind) else infer_decimals(sample.column(name))
    if pa.types.is_integer(kind):
        decimals = 0
    elif pa.types.is_decimal(kind):
        decimals = kind.scale  # a decimal column's precision is its type's
    column = MarkedColumn(name, float(tolerance), max(0, min(int(decimals), MAX_DECIMALS)))
    if column.step < column.unit:
        raise Invalid(f"列 {name!r} 的容差 {tolerance} 小于其精度 {column.unit} / the tolerance of {name!r} is below "
                      "its precision: no value can move", field="tolerance", code="watermark_tolerance_too_small")
    return column


def build_spec(sample: pa.Table | pa.RecordBatch, tolerances: dict[str, float], *, key: list[str] | None = None,
               decimals: dict[str, int] | None = None, gamma: int = DEFAULT_GAMMA,
               bits: int = DEFAULT_BITS) -> FingerprintSpec:
    """A spec for tables shaped like `sample`: the columns in `tolerances` marked, keyed on `key` or, when no key is
    declared, on a virtual key of every stable column (text, integer, date) that carries no mark."""
    schema = sample.schema
    if not tolerances:
        raise Invalid("至少声明一个数值列的容差 / declare the tolerance of at least one numeric column",
                      field="tolerance", code="watermark_no_columns")
    if not 1 <= gamma <= 1024 or not 64 <= bits <= 1024 or bits % 8:
        raise Invalid("gamma must be 1..1024 and bits a multiple of 8 in 64..1024", field="gamma")
    columns = tuple(_marked(schema, sample, n, t, (decimals or {}).get(n)) for n, t in sorted(tolerances.items()))
    if key:
        missing = [k for k in key if k not in schema.names]
        if missing:
            raise Invalid(f"没有主键列 {missing[0]!r} / no key column {missing[0]!r}", field="key")
        if set(key) & set(tolerances):
            raise Invalid("主键列不能承载水印 / a key column cannot carry marks", field="key")
        return FingerprintSpec(tuple(key), columns, False, gamma, bits)
    stable = [f.name for f in schema if f.name not in tolerances and not pa.types.is_floating(f.type)
              and (pa.types.is_string(f.type) or pa.types.is_large_string(f.type) or pa.types.is_integer(f.type)
                   or pa.types.is_date(f.type))]
    if not stable:
        raise Invalid("没有可作虚拟主键的稳定列,请声明 --key / no stable column for a virtual key: declare --key",
                      field="key", code="watermark_no_key")
    return FingerprintSpec(tuple(stable), columns, True, gamma, bits)
