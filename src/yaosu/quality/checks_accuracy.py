"""Completeness (完整性) and accuracy (准确性) checks (shared/DOMAIN.md §4)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from yaosu.quality.columns import examples, is_text, present, present_mask
from yaosu.quality.measures import CHECKS, Context, Measure, arrow_only
from yaosu.quality.sql import quote

PLACEHOLDERS = ("null", "none", "nan", "n/a", "#n/a", "na", "undefined", "-", "--", "?", "??", "空", "无数据")
DIRTY_PATTERN = r"^\s|\s$|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
SQL_TYPES = {"integer": "BIGINT", "float": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE", "timestamp": "TIMESTAMP"}


def required_columns(ctx: Context) -> list[str]:
    """The declared required columns present in the table, or every column when none is declared."""
    declared = [c for c, s in ctx.spec.columns.items() if s.required and c in ctx.table.column_names]
    return declared or list(ctx.table.column_names)


@CHECKS.register("completeness")
@arrow_only
def completeness(ctx: Context) -> list[Measure]:
    """Per required column, cells holding a value over rows; and rows where every required column does."""
    rows = ctx.read.rows
    out, every = [], None
    for column in required_columns(ctx):
        has = present_mask(ctx.table.column(column))
        every = has if every is None else pc.and_(every, has)
        out.append(Measure("element_completeness", "element_completeness", column, int(pc.sum(has).as_py() or 0),
                           rows))
    full = int(pc.sum(every).as_py() or 0) if every is not None else ctx.table.num_rows
    return [*out, Measure("record_completeness", "record_completeness", None, full, rows)]


@CHECKS.register("declared_ranges")
def declared_ranges(ctx: Context) -> list[Measure]:
    """Per column with a declared min/max: present values inside the range (text is cast, unparsable fails)."""
    out = []
    for column, spec in ctx.spec.columns.items():
        if (spec.min is None and spec.max is None) or column not in ctx.table.column_names:
            continue
        value = f"TRY_CAST({quote(column)} AS DOUBLE)"
        inside = " AND ".join([f"{value} IS NOT NULL"] + ([f"{value} >= {spec.min!r}"] if spec.min is not None else [])
                              + ([f"{value} <= {spec.max!r}"] if spec.max is not None else []))
        has = present(column, ctx.table.schema.field(column).type)
        a, b = ctx.row(f"SELECT count(*) FILTER (WHERE {inside}), count(*) FROM t WHERE {has}")  # noqa: S608
        out.append(Measure("content_correctness", "declared_ranges", column, a, b,
                           examples(ctx, column, f"{has} AND NOT ({inside})") if a < b else ()))
    return out


@CHECKS.register("declared_types")
def declared_types(ctx: Context) -> list[Measure]:
    """Per text column declared as a number, boolean, date or timestamp: present values that parse as that type."""
    out = []
    for column, spec in ctx.spec.columns.items():
        if spec.type not in SQL_TYPES or column not in ctx.table.column_names:
            continue
        if not is_text(ctx.table.schema.field(column).type):
            continue  # already typed: the declared-model check compares the type itself
        parsed = f"TRY_CAST(trim({quote(column)}) AS {SQL_TYPES[spec.type]}) IS NOT NULL"
        if spec.type == "integer":  # DuckDB rounds '2.5' to a BIGINT; an integer has digits only
            parsed += f" AND regexp_full_match(trim({quote(column)}), '[+-]?[0-9]+')"
        has = present(column, ctx.table.schema.field(column).type)
        a, b = ctx.row(f"SELECT count(*) FILTER (WHERE {parsed}), count(*) FROM t WHERE {has}")  # noqa: S608
        out.append(Measure("format_compliance", "declared_types", column, a, b,
                           examples(ctx, column, f"{has} AND NOT ({parsed})") if a < b else (), note=spec.type or ""))
    return out


def _narrowed(ctx: Context) -> pa.Table | None:
    """The rows that can repeat another row: those whose first declared key (or unique column) value repeats.

    Two equal rows agree on every column, so a row whose key value occurs once repeats no row; the
    exact comparison then runs on the (usually few) candidates only. None when nothing is declared."""
    unique = [c for c, s in ctx.spec.columns.items() if s.unique]
    column = next((c for c in [*ctx.spec.keys, *unique] if c in ctx.table.column_names), None)
    if column is None:
        return None
    values = ctx.table.column(column)
    counts = pc.value_counts(values)
    repeated = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
    candidates = pc.is_in(values, value_set=repeated)
    if values.null_count:  # rows with no key value may still repeat each other
        candidates = pc.or_(pc.fill_null(candidates, False), pc.is_null(values))
    return ctx.table.filter(candidates)


@CHECKS.register("duplicate_rows")
def duplicate_rows(ctx: Context) -> list[Measure]:
    """Rows repeating an earlier row (all columns equal). Exact over the rows a declared key narrows down to;
    without a declared key, compared by a 64-bit row hash. Lower is better."""
    narrowed = _narrowed(ctx)
    if narrowed is not None:
        names = narrowed.column_names
        distinct = narrowed.group_by(names).aggregate([]).num_rows if narrowed.num_rows else 0
        return [Measure("duplicate_rate", "duplicate_rows", None, narrowed.num_rows - distinct, ctx.read.rows)]
    columns = ", ".join(quote(c) for c in ctx.table.column_names)
    distinct = ctx.scalar(f"SELECT count(DISTINCT hash({columns})) FROM t")  # noqa: S608
    return [Measure("duplicate_rate", "duplicate_rows", None, ctx.read.rows - distinct, ctx.read.rows)]


@CHECKS.register("key_uniqueness")
def key_uniqueness(ctx: Context) -> list[Measure]:
    """For the declared key and each `unique` column: rows whose (non-null) key value occurs exactly once."""
    keys = [tuple(ctx.spec.keys)] if ctx.spec.keys else []
    keys += [(c,) for c, s in ctx.spec.columns.items() if s.unique and (c,) not in keys]
    out = []
    for key in keys:
        if any(k not in ctx.table.column_names for k in key):
            continue
        cols = ", ".join(quote(k) for k in key)
        where = " AND ".join(f"{quote(k)} IS NOT NULL" for k in key)
        a, b = ctx.row(f"SELECT sum(n) FILTER (WHERE n = 1), sum(n) FROM "  # noqa: S608
                       f"(SELECT count(*) AS n FROM t WHERE {where} GROUP BY {cols})")
        dup = f"({cols}) IN (SELECT ({cols}) FROM t GROUP BY {cols} HAVING count(*) > 1)"  # noqa: S608
        out.append(Measure("uniqueness", "key_uniqueness", "+".join(key), a, b,
                           examples(ctx, key[0], dup) if a < b else ()))
    return out


@CHECKS.register("dirty_values")
def dirty_values(ctx: Context) -> list[Measure]:
    """Per text column: placeholders (null, N/A, -, ?), edge whitespace, control characters. Lower is better."""
    texts = [f.name for f in ctx.table.schema if is_text(f.type)]
    if not texts:
        return []
    tokens = ", ".join(f"'{p}'" for p in PLACEHOLDERS)
    dirty = {c: f"(lower(trim({quote(c)})) IN ({tokens}) OR regexp_matches({quote(c)}, '{DIRTY_PATTERN}'))"
             for c in texts}
    parts = [f"count(*) FILTER (WHERE {dirty[c]}), count({quote(c)})" for c in texts]
    counts = ctx.row("SELECT " + ", ".join(parts) + " FROM t")  # noqa: S608
    out = []
    for i, c in enumerate(texts):
        a, b = counts[2 * i], counts[2 * i + 1]
        out.append(Measure("dirty_rate", "dirty_values", c, a, b, examples(ctx, c, dirty[c]) if a else ()))
    return out
