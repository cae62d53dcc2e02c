"""Apply a policy to a stream of record batches, one batch at a time (memory bounded by the batch)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace

import numpy as np
import pyarrow as pa

from yaosu.errors import Invalid, PolicyViolation
from yaosu.privacy.mask.base import MASKERS, Context, DigestMemo, Span, SpanFinder, check_key
from yaosu.privacy.mask.policy import Policy
from yaosu.privacy.mask.simple import rare_mask

REMOVES_COLUMN = frozenset({"drop"})


def check_columns(schema: pa.Schema, policy: Policy) -> None:
    """Refuse policy columns missing from `schema`, and (strict) schema columns the policy does not name."""
    names = set(schema.names)
    unknown = sorted(set(policy.columns) - names)
    if unknown:
        raise Invalid(f"policy names columns not in the input: {', '.join(unknown)} / 策略中的列不存在",
                      field=f"columns.{unknown[0]}")
    unnamed = [n for n in schema.names if n not in policy.columns]
    if policy.strict and unnamed:
        raise PolicyViolation(f"strict policy does not name columns: {', '.join(unnamed)} / 严格策略未覆盖这些列",
                              field=f"columns.{unnamed[0]}")


def output_schema(schema: pa.Schema, policy: Policy) -> pa.Schema:
    """The schema `apply_policy` yields: dropped columns removed, masked columns typed by their operator."""
    probe = pa.RecordBatch.from_pylist([], schema=schema)
    context = Context(key=bytes(32), spans={name: () for name in schema.names})
    return mask_batch(probe, policy, context).schema


def _row_filter(batch: pa.RecordBatch, policy: Policy, context: Context) -> pa.BooleanArray | None:
    """Rows to keep when some rule suppresses whole rows (scope "rows"), else None."""
    keep = np.ones(batch.num_rows, dtype=bool)
    for name, rule in policy.columns.items():
        if rule.operator == "suppress" and rule.params.get("scope") == "rows":
            rare = rare_mask(batch.column(name), rule.params, _for(context, name))
            keep &= ~np.asarray(rare.to_numpy(zero_copy_only=False), dtype=bool)
    return None if keep.all() else pa.array(keep)


def _for(context: Context, column: str) -> Context:
    return replace(context, column=column)


def mask_batch(batch: pa.RecordBatch, policy: Policy, context: Context) -> pa.RecordBatch:
    """One batch through the policy: each named column through its operator, others unchanged."""
    arrays: list[pa.Array] = []
    fields: list[pa.Field] = []
    for field in batch.schema:
        rule = policy.columns.get(field.name)
        if rule is not None and rule.operator in REMOVES_COLUMN:
            continue
        column = batch.column(field.name)
        if rule is not None:
            column = MASKERS.get(rule.operator)(column, rule.params, _for(context, field.name))
        arrays.append(column)
        fields.append(pa.field(field.name, column.type, metadata=field.metadata))
    return pa.RecordBatch.from_arrays(arrays, schema=pa.schema(fields, metadata=batch.schema.metadata))


def apply_policy(batches: Iterable[pa.RecordBatch], schema: pa.Schema, policy: Policy, key: bytes, *,
                 frequencies: Mapping[str, pa.Table] | None = None,
                 spans: Mapping[str, tuple[Span, ...]] | None = None,
                 find_spans: SpanFinder | None = None) -> Iterator[pa.RecordBatch]:
    """Yield each batch de-identified by `policy` under the product `key`, one batch in memory at a time."""
    check_key(key)
    check_columns(schema, policy)
    row_offset = 0
    memo: dict[str, DigestMemo] = {}  # HMAC results shared across batches (bounded per column)
    for index, batch in enumerate(batches):
        context = Context(key, "", index, row_offset, frequencies or {}, spans or {}, find_spans, memo)
        row_offset += batch.num_rows
        rows = _row_filter(batch, policy, context)
        masked = mask_batch(batch, policy, context)
        yield masked if rows is None else masked.filter(rows)


def suppression_columns(policy: Policy) -> list[str]:
    """Columns whose rule counts value frequencies (a first pass over the input can supply them)."""
    return [name for name, rule in policy.columns.items() if rule.operator == "suppress"]


