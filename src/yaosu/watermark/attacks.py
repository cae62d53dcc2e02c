"""What a leaker does to a fingerprinted table before publishing it: the attack suite the benchmark and tests run.

Each attack is a pure function (table, marked columns, random generator) -> table, vectorized.
"Low bits" means the least significant bits of the value as written (value x 10^decimals), the
digits a leaker can rewrite without the numbers looking wrong.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from yaosu.watermark.spec import MarkedColumn

Attack = Callable[[pa.Table, tuple[MarkedColumn, ...], np.random.Generator], pa.Table]


def keep_rows(table: pa.Table, columns: tuple[MarkedColumn, ...], rng: np.random.Generator,
              fraction: float = 0.1) -> pa.Table:
    """A random `fraction` of the rows (10% by default), in their original order."""
    keep = np.sort(rng.choice(table.num_rows, size=max(1, int(table.num_rows * fraction)), replace=False))
    return table.take(pa.array(keep))


def drop_columns(table: pa.Table, columns: tuple[MarkedColumn, ...], rng: np.random.Generator,
                 key: tuple[str, ...] = ("id",)) -> pa.Table:
    """Half of the non-key columns dropped at random (the key must survive for any row to be located)."""
    others = [n for n in table.column_names if n not in key]
    dropped = set(rng.choice(others, size=len(others) // 2, replace=False).tolist())
    return table.select([n for n in table.column_names if n not in dropped])


def _rewrite(table: pa.Table, name: str, values: np.ndarray) -> pa.Table:
    index = table.schema.get_field_index(name)
    kind = table.schema.field(name).type
    array = pa.array(values.astype(np.int64) if pa.types.is_integer(kind) else values).cast(kind)
    return table.set_column(index, table.schema.field(name), array)


def _numbers(table: pa.Table, name: str) -> np.ndarray:
    return np.asarray(table.column(name).to_numpy(), dtype=np.float64)


def low_bits(table: pa.Table, columns: tuple[MarkedColumn, ...], rng: np.random.Generator,
             share: float = 0.5, bits: int = 2) -> pa.Table:
    """The lowest `bits` bits of the written value (value x 10^decimals) randomized in `share` of each column."""
    for column in columns:
        values = _numbers(table, column.name)
        scaled = np.round(values * 10.0 ** column.decimals).astype(np.int64)
        noise = rng.integers(0, 1 << bits, size=len(values))
        hit = rng.random(len(values)) < share
        scaled = np.where(hit, (scaled & ~np.int64((1 << bits) - 1)) | noise, scaled)
        table = _rewrite(table, column.name, np.round(scaled / 10.0 ** column.decimals, column.decimals))
    return table


def round_values(table: pa.Table, columns: tuple[MarkedColumn, ...], rng: np.random.Generator) -> pa.Table:
    """Every marked float column rounded to one decimal fewer than it was written with."""
    for column in columns:
        if column.decimals > 0:
            table = _rewrite(table, column.name, np.round(_numbers(table, column.name), column.decimals - 1))
    return table


def shuffle_reformat(table: pa.Table, columns: tuple[MarkedColumn, ...], rng: np.random.Generator) -> pa.Table:
    """Rows shuffled, columns reversed, written as CSV with upper-cased headers and read back."""
    table = table.take(pa.array(rng.permutation(table.num_rows)))
    table = table.select(list(reversed(table.column_names)))
    table = table.rename_columns([n.upper() for n in table.column_names])
    sink = io.BytesIO()
    pacsv.write_csv(table, sink)
    return pacsv.read_csv(io.BytesIO(sink.getvalue()))


def mix(copies: list[pa.Table], rng: np.random.Generator) -> pa.Table:
    """Colluders' copies mixed row by row: each row taken from a random one of them."""
    choice = rng.integers(0, len(copies), size=copies[0].num_rows)
    arrays = []
    for name in copies[0].column_names:
        stacked = np.stack([np.asarray(c.column(name).to_numpy(zero_copy_only=False)) for c in copies])
        arrays.append(pa.array(stacked[choice, np.arange(copies[0].num_rows)]).cast(copies[0].schema.field(name).type))
    return pa.Table.from_arrays(arrays, schema=copies[0].schema)


def average(copies: list[pa.Table], columns: tuple[MarkedColumn, ...]) -> pa.Table:
    """Colluders' copies averaged value by value in every marked column (written at the column's precision)."""
    table = copies[0]
    for column in columns:
        mean = np.asarray(np.mean([_numbers(c, column.name) for c in copies], axis=0))
        table = _rewrite(table, column.name, np.round(mean, column.decimals))
    return table


def stats_shift(original: pa.Table, marked: pa.Table, name: str) -> tuple[float, float]:
    """Relative change of a column's mean and standard deviation."""
    before, after = _numbers(original, name), _numbers(marked, name)
    mean_b, std_b = float(pc.mean(pa.array(before)).as_py()), float(np.std(before))
    return abs(float(np.mean(after)) - mean_b) / abs(mean_b), abs(float(np.std(after)) - std_b) / std_b
