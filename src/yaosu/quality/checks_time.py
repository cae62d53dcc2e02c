"""Timeliness (时效性) and accessibility (可访问性) checks (shared/DOMAIN.md §4)."""

from __future__ import annotations

from datetime import date

from yaosu.quality.columns import examples, is_temporal, is_text
from yaosu.quality.consistency import date_expr
from yaosu.quality.measures import CHECKS, Context, Measure
from yaosu.quality.sql import quote

EARLIEST = date(1900, 1, 1)  # default lower bound of a plausible time when no period is declared


def _timestamp(ctx: Context, column: str) -> str:
    if is_temporal(ctx.table.schema.field(column).type):
        return f"CAST({quote(column)} AS TIMESTAMP)"
    text = f"trim(CAST({quote(column)} AS VARCHAR))"
    return f"coalesce(TRY_CAST({text} AS TIMESTAMP), CAST({date_expr(ctx, column)} AS TIMESTAMP))"


def time_columns(ctx: Context) -> list[str]:
    """The declared time column, or every date/timestamp-typed column."""
    declared = ctx.spec.time.column
    if declared is not None:
        return [declared] if declared in ctx.table.column_names else []
    return [f.name for f in ctx.table.schema if is_temporal(f.type)]


@CHECKS.register("time_period")
def time_period(ctx: Context) -> list[Measure]:
    """Per time column: values inside the declared period (default: from 1900-01-01 up to today)."""
    spec = ctx.spec.time
    start, end = spec.period_start or EARLIEST, spec.period_end or ctx.today
    out = []
    for column in time_columns(ctx):
        ts = _timestamp(ctx, column)
        inside = f"{ts} >= DATE '{start.isoformat()}' AND {ts} < DATE '{end.isoformat()}' + INTERVAL 1 DAY"
        a, b = ctx.row(f"SELECT count(*) FILTER (WHERE {inside}), count(*) FROM t WHERE {ts} IS NOT NULL")  # noqa: S608
        out.append(Measure("period_correctness", "time_period", column, a, b,
                           examples(ctx, column, f"{ts} IS NOT NULL AND NOT ({inside})") if a < b else (),
                           note=f"{start.isoformat()}..{end.isoformat()}"))
    return out


@CHECKS.register("update_frequency")
def update_frequency(ctx: Context) -> list[Measure]:
    """The latest time is no older than the declared update frequency (1/1 on time, 0/1 late)."""
    days = ctx.spec.time.update_frequency_days
    columns = time_columns(ctx)
    if days is None or not columns:
        return []
    ts = _timestamp(ctx, columns[0])
    rows = ctx.con.execute(f"SELECT CAST(max({ts}) AS DATE) FROM t").fetchall()  # noqa: S608
    latest = rows[0][0] if rows else None
    age = (ctx.today - latest).days if isinstance(latest, date) else None
    on_time = age is not None and age <= days
    return [Measure("point_timeliness", "update_frequency", columns[0], int(on_time), 1,
                    note=f"latest {latest}, age {age} d, frequency {days:g} d")]


@CHECKS.register("time_order")
def time_order(ctx: Context) -> list[Measure]:
    """Per declared (earlier, later) pair: rows where the earlier time is not after the later one."""
    out = []
    for first, second in ctx.spec.time.order:
        if first not in ctx.table.column_names or second not in ctx.table.column_names:
            continue
        x, y = _timestamp(ctx, first), _timestamp(ctx, second)
        both = f"{x} IS NOT NULL AND {y} IS NOT NULL"
        a, b = ctx.row(f"SELECT count(*) FILTER (WHERE {x} <= {y}), count(*) FROM t WHERE {both}")  # noqa: S608
        out.append(Measure("ordering", "time_order", f"{first}<={second}", a, b,
                           examples(ctx, first, f"{both} AND {x} > {y}") if a < b else ()))
    return out


@CHECKS.register("readable")
def readable(ctx: Context) -> list[Measure]:
    """Rows read over rows the source declared (a source that cannot be opened fails before any check)."""
    declared = max(ctx.read.rows_declared or 0, ctx.read.rows)
    return [Measure("accessibility", "readable", None, ctx.read.rows, declared,
                    note=f"{ctx.read.batches} batches")]


@CHECKS.register("decodable")
def decodable(ctx: Context) -> list[Measure]:
    """Text cells free of the U+FFFD replacement character (bytes that were not valid text)."""
    texts = [f.name for f in ctx.table.schema if is_text(f.type)]
    if not texts:
        return []
    bad = " + ".join(f"count(*) FILTER (WHERE contains({quote(c)}, '\ufffd'))" for c in texts)
    cells = " + ".join(f"count({quote(c)})" for c in texts)
    bad_n, total = ctx.row(f"SELECT {bad}, {cells} FROM t")  # noqa: S608
    return [Measure("usability", "decodable", None, total - bad_n, total)]


@CHECKS.register("schema_stable")
def schema_stable(ctx: Context) -> list[Measure]:
    """Columns of the baseline (previous version) still present with the same type."""
    if ctx.baseline is None:
        return []
    now = {f.name: f.type for f in ctx.table.schema}
    kept = [f.name for f in ctx.baseline if now.get(f.name) == f.type]
    lost = [f.name for f in ctx.baseline if f.name not in kept]
    return [Measure("usability", "schema_stable", None, len(kept), len(ctx.baseline),
                    note=("changed: " + ", ".join(lost[:10])) if lost else "")]
