"""The fingerprinting codec: embed a recipient's codeword into a table, and read the votes back from a suspect copy.

Agrawal–Kiernan / Li–Swarup–Jajodia family. A keyed PRF of each row's (virtual) primary key decides,
for every marked column independently, whether the cell carries a mark (1 in `gamma`), which bit `l`
of the codeword it carries, a mask bit and a dither. The "bit position" of the classic scheme is the
column's quantization step: the mark is the parity of the value quantized on a dithered lattice of
step Δ = tolerance (quantization index modulation), so a value moves by at most Δ (never beyond the
declared tolerance) and the mark survives any later change smaller than Δ/2: rounding to a coarser
precision, rewritten low digits, reformatting. Every recipient of a product shares the selection;
only the bits differ, so one pass over a suspect file yields the votes against which every buyer's
codeword is compared (`yaosu.watermark.trace`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from yaosu.errors import Invalid
from yaosu.watermark.prf import U64, ProductKeys, column_tag, key_text, row_prf, splitmix
from yaosu.watermark.spec import FingerprintSpec, MarkedColumn

FLOAT_SLACK = 1e-9  # relative: decimal values are not exact in binary floating point


@dataclass(frozen=True)
class Cells:
    """For one column of a batch: which cells are marked, their codeword bit, mask bit and dither (in units)."""

    selected: np.ndarray
    position: np.ndarray
    mask: np.ndarray
    dither: np.ndarray


@dataclass
class Votes:
    """Per codeword bit, how many marked cells of a suspect read 1 and 0; rows and cells read."""

    ones: np.ndarray
    zeros: np.ndarray
    rows: int = 0
    cells: int = 0

    @classmethod
    def empty(cls, bits: int) -> Votes:
        return cls(np.zeros(bits, dtype=np.int64), np.zeros(bits, dtype=np.int64))

    def add(self, other: Votes) -> None:
        """Accumulate another batch's votes."""
        self.ones += other.ones
        self.zeros += other.zeros
        self.rows += other.rows
        self.cells += other.cells


def _prf(batch: pa.RecordBatch | pa.Table, spec: FingerprintSpec, keys: ProductKeys,
         names: dict[str, str]) -> np.ndarray:
    return row_prf(keys.select_key, key_text([batch.column(names[k]) for k in spec.key]))


def cells(prf: np.ndarray, spec: FingerprintSpec, column: MarkedColumn) -> Cells:
    """The marking decisions for `column` over rows whose PRF values are `prf`."""
    tag = column_tag(column.name)
    h = splitmix(prf[:, 0] ^ tag)
    h2 = splitmix(prf[:, 1] ^ tag)
    selected = (h % U64(spec.gamma)) == 0
    position = ((h >> U64(16)) % U64(spec.bits)).astype(np.int64)
    mask = ((h >> U64(40)) & U64(1)).astype(np.int64)
    levels = round(2 * column.step / column.unit)
    dither = ((h2 >> U64(11)) % U64(levels)).astype(np.float64) * column.unit
    return Cells(selected, position, mask, dither)


def _floats(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """The column as float64 with NaN for nulls and unparseable text."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not (pa.types.is_integer(values.type) or pa.types.is_floating(values.type) or pa.types.is_decimal(values.type)):
        try:
            values = pc.cast(pc.utf8_trim_whitespace(pc.cast(values, pa.string())), pa.float64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return np.full(len(values), np.nan)
    return np.asarray(pc.cast(values, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)


def mark_values(values: np.ndarray, column: MarkedColumn, where: Cells, word: np.ndarray) -> np.ndarray:
    """`values` with each selected cell moved to the nearest lattice point whose parity carries its bit; a value
    that would move by more than the tolerance (or is not finite) is left as it was. A move of exactly the
    tolerance is allowed even when floating point writes it a few ulps larger (`FLOAT_SLACK`)."""
    step = column.step
    bit = word[where.position] ^ where.mask
    shifted = values - where.dither - bit * step
    marked = 2 * step * np.round(shifted / (2 * step)) + bit * step + where.dither
    marked = np.round(marked, column.decimals)
    slack = FLOAT_SLACK * np.maximum(1.0, np.abs(values))  # a move of exactly the tolerance, written in floats
    keep = where.selected & np.isfinite(values) & (np.abs(marked - values) <= column.tolerance + slack)
    return np.where(keep, marked, values)


def _back(original: pa.Array | pa.ChunkedArray, values: np.ndarray) -> pa.Array:
    if isinstance(original, pa.ChunkedArray):
        original = original.combine_chunks()
    nulls = original.is_null().to_numpy(zero_copy_only=False) if original.null_count else None
    if pa.types.is_integer(original.type):
        return pa.array(np.nan_to_num(values).astype(np.int64), mask=nulls).cast(original.type)
    return pa.array(values, mask=nulls).cast(original.type)


def resolve(schema: pa.Schema, names: list[str], *, required: bool) -> dict[str, str]:
    """Map each name to the schema's column of that name (exact, else trimmed and case-insensitive)."""
    loose = {n.strip().lower(): n for n in schema.names}
    found: dict[str, str] = {}
    for name in names:
        actual = name if name in schema.names else loose.get(name.strip().lower())
        if actual is not None:
            found[name] = actual
        elif required:
            raise Invalid(f"文件缺少主键列 {name!r},无法定位水印 / the file lacks key column {name!r}: its marks "
                          "cannot be located", field="key", code="watermark_key_missing")
    return found


def embed(batch: pa.RecordBatch, spec: FingerprintSpec, keys: ProductKeys, word: np.ndarray) -> pa.RecordBatch:
    """`batch` with `word` (one recipient's codeword) embedded in its marked columns; other columns untouched."""
    if len(word) != spec.bits:
        raise Invalid("codeword length differs from the spec", field="bits")
    names = resolve(batch.schema, [*spec.key, *(c.name for c in spec.columns)], required=True)
    prf = _prf(batch, spec, keys, names)
    arrays = list(batch.columns)
    for column in spec.columns:
        index = batch.schema.get_field_index(names[column.name])
        marked = mark_values(_floats(arrays[index]), column, cells(prf, spec, column), word)
        arrays[index] = _back(arrays[index], marked)
    return pa.RecordBatch.from_arrays(arrays, schema=batch.schema)


def read_bits(values: np.ndarray, column: MarkedColumn, where: Cells) -> tuple[np.ndarray, np.ndarray]:
    """The codeword positions and the bits the selected, finite cells of `values` carry."""
    usable = where.selected & np.isfinite(values)
    step = column.step
    parity = np.round((values[usable] - where.dither[usable]) / step).astype(np.int64) & 1
    return where.position[usable], parity ^ where.mask[usable]


def votes(batch: pa.RecordBatch | pa.Table, spec: FingerprintSpec, keys: ProductKeys) -> Votes:
    """The votes a suspect batch casts for each codeword bit (missing marked columns are skipped)."""
    names = resolve(batch.schema, list(spec.key), required=True)
    names |= resolve(batch.schema, [c.name for c in spec.columns], required=False)
    result = Votes.empty(spec.bits)
    result.rows = batch.num_rows
    present = [c for c in spec.columns if c.name in names]
    if not present or not batch.num_rows:
        return result
    prf = _prf(batch, spec, keys, names)
    for column in present:
        positions, bits = read_bits(_floats(batch.column(names[column.name])), column, cells(prf, spec, column))
        result.ones += np.bincount(positions[bits == 1], minlength=spec.bits)
        result.zeros += np.bincount(positions[bits == 0], minlength=spec.bits)
        result.cells += len(bits)
    return result


def embed_table(table: pa.Table, spec: FingerprintSpec, keys: ProductKeys, word: np.ndarray) -> pa.Table:
    """`embed` over every record batch of `table`."""
    return pa.Table.from_batches([embed(b, spec, keys, word) for b in table.to_batches()], schema=table.schema)


def votes_table(table: pa.Table, spec: FingerprintSpec, keys: ProductKeys) -> Votes:
    """`votes` summed over every record batch of `table`."""
    total = Votes.empty(spec.bits)
    for batch in table.to_batches():
        total.add(votes(batch, spec, keys))
    return total
