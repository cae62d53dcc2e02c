"""Suppression-family and randomisation operators (GB/T 37964 Annex A, DOMAIN.md §3).

keep, drop, redact, partial_mask, suppress, noise, permute: each one Arrow / NumPy expression over
the whole column.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from yaosu.errors import Invalid
from yaosu.privacy.mask.base import MASKERS, Context, Params, as_plain, as_text

MAX_TOKEN = 64
MAX_KEEP = 64


def _int(params: Params, name: str, default: int, low: int, high: int) -> int:
    value = params.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Invalid(f"{name} must be an integer {low}..{high}", field=name)
    return value


def _number(params: Params, name: str, default: float | None = None) -> float:
    value = params.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Invalid(f"{name} must be a number", field=name)
    return float(value)


@MASKERS.register("keep")
def keep(column: pa.Array, params: Params, context: Context) -> pa.Array:
    """The column unchanged (only for columns that carry no personal information)."""
    return as_plain(column)


@MASKERS.register("drop")
def drop(column: pa.Array, params: Params, context: Context) -> pa.Array:
    """All nulls; `apply_policy` removes a dropped column from the output altogether."""
    return pa.nulls(len(column), pa.string())


@MASKERS.register("redact")
def redact(column: pa.Array, params: Params, context: Context) -> pa.Array:
    """Every non-null value replaced by one fixed token (default "***")."""
    token = str(params.get("token", "***"))
    if len(token) > MAX_TOKEN:
        raise Invalid(f"token is longer than {MAX_TOKEN}", field="token")
    plain = as_plain(column)
    return pc.if_else(pc.is_null(plain), pa.scalar(None, pa.string()), pa.scalar(token, pa.string()))


@MASKERS.register("partial_mask")
def partial_mask(column: pa.Array, params: Params, context: Context) -> pa.Array:
    """Keep the first N and last M characters, mask the rest one for one; a value of ≤ N+M characters is all masked."""
    first = _int(params, "keep_first", 0, 0, MAX_KEEP)
    last = _int(params, "keep_last", 0, 0, MAX_KEEP)
    mask_char = str(params.get("mask_char", "*"))
    if len(mask_char) != 1:
        raise Invalid("mask_char must be one character", field="mask_char")
    text = as_text(column)
    length = pc.utf8_length(text)
    enough = pc.greater(length, first + last)
    head = pc.if_else(enough, pc.utf8_slice_codeunits(text, 0, first), "")
    ending = pc.utf8_slice_codeunits(text, -last) if last else pc.utf8_slice_codeunits(text, 0, 0)
    tail = pc.if_else(enough, ending, "")
    hidden = pc.subtract(length, pc.add(pc.utf8_length(head), pc.utf8_length(tail)))
    middle = pc.binary_repeat(pa.scalar(mask_char, pa.string()), hidden)
    return pc.binary_join_element_wise(head, middle, tail, "")


def rare_mask(column: pa.Array, params: Params, context: Context) -> pa.BooleanArray:
    """True where a non-null value occurs under `threshold` times (in the whole input if counted, else the batch)."""
    threshold = _int(params, "threshold", 5, 1, 1_000_000)
    plain = as_plain(column)
    counts = context.frequencies.get(context.column)
    if counts is None:
        counts = pa.Table.from_struct_array(pc.value_counts(plain))
    rare_values = pc.filter(counts.column("values"), pc.less(counts.column("counts"), threshold))
    return pc.fill_null(pc.is_in(plain, value_set=as_plain(rare_values)), False)


@MASKERS.register("suppress")
def suppress(column: pa.Array, params: Params, context: Context) -> pa.Array:
    """Null out the values seen fewer than `threshold` times (scope "rows" also removes their rows, in apply_policy)."""
    if params.get("scope", "values") not in ("values", "rows"):
        raise Invalid("scope must be values or rows", field="scope")
    plain = as_plain(column)
    return pc.if_else(rare_mask(plain, params, context), pa.scalar(None, plain.type), plain)


def count_values(batches: Iterable[pa.RecordBatch], columns: Sequence[str]) -> dict[str, pa.Table]:
    """Value → count per column over a whole stream (one pass), the shape `Context.frequencies` takes."""
    totals: dict[str, pa.Table] = {}
    for batch in batches:
        for name in columns:
            counts = pa.Table.from_struct_array(pc.value_counts(batch.column(name)))
            if name in totals:  # fold as we go: memory is the distinct values, not the batches
                counts = (pa.concat_tables([totals[name], counts]).group_by("values")
                          .aggregate([("counts", "sum")]).select(["values", "counts_sum"])
                          .rename_columns(["values", "counts"]))
            totals[name] = counts
    return totals


@MASKERS.register("noise")
def noise(column: pa.Array, params: Params, context: Context) -> pa.Array:
    """Add uniform or Laplace noise clamped to ±bound (seeded from the key); optional min/max clamp of the result."""
    bound = _number(params, "bound")
    if bound <= 0:
        raise Invalid("bound must be positive", field="bound")
    kind = params.get("distribution", "laplace")
    plain = as_plain(column)
    values = pc.cast(plain, pa.float64()).to_numpy(zero_copy_only=False)
    rng = context.rng("noise")
    if kind == "uniform":
        delta = rng.uniform(-bound, bound, len(values))
    elif kind == "laplace":
        scale = _number(params, "scale", bound / 3)
        delta = np.clip(rng.laplace(0.0, scale, len(values)), -bound, bound)
    else:
        raise Invalid("distribution must be uniform or laplace", field="distribution")
    low, high = _number(params, "min", -np.inf), _number(params, "max", np.inf)
    if low > high:
        raise Invalid("min must not exceed max", field="min")
    noisy = np.clip(values + delta, low, high)
    if pa.types.is_integer(plain.type):
        out = pa.array(np.rint(noisy), pa.float64()).cast(plain.type, safe=False)
    else:
        out = pa.array(noisy, pa.float64())
    return pc.if_else(pc.is_null(plain), pa.scalar(None, out.type), out)


@MASKERS.register("permute")
def permute(column: pa.Array, params: Params, context: Context) -> pa.Array:
    """The column's values shuffled within the batch (seeded from the key, the column and the batch)."""
    plain = as_plain(column)
    order = context.rng("permute").permutation(len(plain))
    return pc.take(plain, pa.array(order))
