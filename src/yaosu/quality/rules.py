"""Custom rules: the spec's SQL predicates, checked (yaosu.quality.sql) and counted by DuckDB."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from yaosu.errors import Invalid
from yaosu.quality.columns import examples
from yaosu.quality.measures import Context, Measure
from yaosu.quality.spec import CustomRule
from yaosu.quality.sql import check_rule, rule_columns


def compile_rules(rules: Sequence[CustomRule], columns: Sequence[str]) -> list[tuple[CustomRule, str]]:
    """Each rule with its checked SQL; the first refused rule raises (before anything runs)."""
    return [(rule, check_rule(rule.expr, columns)) for rule in rules]


def run_rule(ctx: Context, rule: CustomRule, sql: str) -> Measure:
    """Rows where the predicate is true over rows where it is not NULL (NULL means a missing input: not checked)."""
    read = rule_columns(sql, ctx.table.column_names)
    try:
        a, b = ctx.row(f"SELECT count(*) FILTER (WHERE ({sql})), count(*) FROM t WHERE ({sql}) IS NOT NULL")  # noqa: S608
        shown = examples(ctx, read[0], f"NOT ({sql})") if a < b and read else ()
    except duckdb.Error as exc:
        raise Invalid(f"规则 {rule.id} 无法执行 / rule {rule.id} failed: {str(exc).splitlines()[0][:300]}",
                      field="rules.expr", code="bad_rule") from None
    return Measure(rule.indicator, f"rule:{rule.id}", read[0] if read else None, a, b, shown, note=rule.description)
