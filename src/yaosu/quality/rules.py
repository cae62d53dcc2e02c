"""Custom rules: the spec's SQL predicates, checked (yaosu.quality.sql) and counted by DuckDB."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from yaosu.errors import Invalid
from yaosu.quality.columns import mask
from yaosu.quality.measures import EXAMPLES, Context, Measure
from yaosu.quality.spec import CustomRule
from yaosu.quality.sql import check_rule


def compile_rules(rules: Sequence[CustomRule], columns: Sequence[str]) -> list[tuple[CustomRule, str]]:
    """Each rule with its checked SQL; the first refused rule raises (before anything runs)."""
    return [(rule, check_rule(rule.expr, columns)) for rule in rules]


def run_rule(ctx: Context, rule: CustomRule, sql: str) -> Measure:
    """Rows where the predicate is true over rows where it is not NULL (NULL means a missing input: not checked)."""
    try:
        a, b = ctx.row(f"SELECT count(*) FILTER (WHERE ({sql})), count(*) FROM t WHERE ({sql}) IS NOT NULL")  # noqa: S608
        failing = ctx.con.execute(f"SELECT CAST(COLUMNS(*) AS VARCHAR) FROM t WHERE NOT ({sql}) "  # noqa: S608
                                  f"LIMIT {EXAMPLES}").fetchall() if a < b else []
    except duckdb.Error as exc:
        raise Invalid(f"规则 {rule.id} 无法执行 / rule {rule.id} failed: {str(exc).splitlines()[0][:300]}",
                      field="rules.expr", code="bad_rule") from None
    shown = tuple(mask(next((v for v in row if v is not None), "")) for row in failing)
    return Measure(rule.indicator, f"rule:{rule.id}", None, a, b, shown, note=rule.description)
