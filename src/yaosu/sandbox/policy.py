"""The sandbox policy check: a buyer's SQL against an aggregation, list or DP rule, into a Plan (pure)."""

from __future__ import annotations

from sqlglot import exp

from yaosu.sandbox.checker import (
    Output,
    Plan,
    Ref,
    Scope,
    check_filter,
    check_join,
    check_limit,
    check_order,
    output_name,
    parse,
)
from yaosu.sandbox.refusals import refusal
from yaosu.sandbox.rules import BUYER_TABLE, AggregationRule, ListRule

FUNCTIONS: dict[type[exp.Expression], str] = {exp.Count: "count", exp.Sum: "sum", exp.Avg: "avg"}


def _buyer_refs(scope: Scope, join: tuple[tuple[Ref, Ref], ...]) -> set[Ref]:
    """The buyer's own columns it may group or filter by: all but its join keys."""
    if BUYER_TABLE not in scope.aliases.values():
        return set()
    keys = {b for _, b in join}
    return {Ref(BUYER_TABLE, c) for c in scope.schemas[BUYER_TABLE]} - keys


def _aggregate(node: exp.Expression, scope: Scope, rule: AggregationRule) -> tuple[str, Ref | None]:
    """(function, column) of an allowed aggregate call; a refusal otherwise."""
    function = FUNCTIONS[type(node)]
    if {k for k, v in node.args.items() if v} - {"this", "big_int"}:
        raise refusal("sql_aggregate_not_allowed", node.sql(dialect="duckdb")[:80])
    arg = node.this
    if function == "count" and isinstance(arg, exp.Star):
        return "count", None
    if function == "count" and isinstance(arg, exp.Distinct) and len(arg.expressions) == 1:
        function, arg = "count_distinct", arg.expressions[0]
    if not isinstance(arg, exp.Column):
        raise refusal("sql_aggregate_not_allowed", node.sql(dialect="duckdb")[:80])
    ref = scope.resolve(arg)
    if ref.table != rule.table or function not in rule.aggregates.get(ref.name, ()):
        raise refusal("sql_aggregate_not_allowed", f"{function}({ref.name})")
    return function, ref


def check_aggregation(select: exp.Select, scope: Scope, rule: AggregationRule,
                      join: tuple[tuple[Ref, Ref], ...]) -> Plan:
    """The plan of an aggregate query: dimensions in GROUP BY, allowed aggregates, a threshold later."""
    dims = {Ref(rule.table, d) for d in rule.dimensions} | _buyer_refs(scope, join)
    group: list[Ref] = []
    for node in (select.args["group"].expressions if select.args.get("group") else []):
        ref = scope.resolve(node) if isinstance(node, exp.Column) else None
        if ref is None or ref not in dims:
            raise refusal("sql_group_by_not_allowed", node.sql(dialect="duckdb")[:80])
        group.append(ref)
    outputs: list[Output] = []
    taken: set[str] = set()
    for item in select.expressions:
        node = item.this if isinstance(item, exp.Alias) else item
        if isinstance(node, exp.Column):
            ref = scope.resolve(node)
            if ref not in dims:
                raise refusal("sql_output_not_allowed", ref.name)
            if ref not in group:
                raise refusal("sql_group_by_missing", ref.name)
            outputs.append(Output(output_name(item, ref.name, taken), ref))
        elif type(node) in FUNCTIONS:
            function, column = _aggregate(node, scope, rule)
            default = function if column is None else f"{function}_{column.name}"
            outputs.append(Output(output_name(item, default, taken), column, function))
        else:
            raise refusal("sql_output_not_allowed", node.sql(dialect="duckdb")[:80])
    if not any(o.function for o in outputs):
        raise refusal("sql_no_aggregate")
    where = select.args.get("where")
    return Plan(outputs=tuple(outputs), group_by=tuple(group), join=join,
                where=check_filter(where.this, scope, frozenset(dims)) if where is not None else None,
                order=check_order(select, tuple(outputs)), limit=check_limit(select, rule.max_rows),
                tables=frozenset(scope.aliases.values()))


def check_list(select: exp.Select, scope: Scope, rule: ListRule, join: tuple[tuple[Ref, Ref], ...]) -> Plan:
    """The plan of a list query: listed columns of the rows that join the buyer's table."""
    if not join:
        raise refusal("sql_join_required")
    if select.args.get("group"):
        raise refusal("sql_group_by_not_allowed", "GROUP BY")
    listed = {Ref(rule.table, c) for c in rule.list_columns} | _buyer_refs(scope, join)
    outputs: list[Output] = []
    taken: set[str] = set()
    for item in select.expressions:
        node = item.this if isinstance(item, exp.Alias) else item
        if not isinstance(node, exp.Column):
            raise refusal("sql_output_not_allowed", node.sql(dialect="duckdb")[:80])
        ref = scope.resolve(node)
        if ref not in listed:
            raise refusal("sql_output_not_allowed", ref.name)
        outputs.append(Output(output_name(item, ref.name, taken), ref))
    filters = frozenset(listed | {Ref(rule.table, c) for c in rule.filter_columns})
    where = select.args.get("where")
    return Plan(outputs=tuple(outputs), join=join,
                where=check_filter(where.this, scope, filters) if where is not None else None,
                order=check_order(select, tuple(outputs)), limit=check_limit(select, rule.max_rows),
                tables=frozenset(scope.aliases.values()))


def check(sql: str, rule: AggregationRule | ListRule, buyer_columns: tuple[str, ...] = ()) -> Plan:
    """The plan for `sql` under `rule` (the buyer's uploaded table has `buyer_columns`), or a refusal."""
    select = parse(sql)
    scope = Scope(rule, tuple(c.lower() for c in buyer_columns))
    from_ = select.args.get("from_")
    if from_ is None:
        raise refusal("sql_unknown_table", "FROM")
    if scope.add(from_.this) != rule.table:
        raise refusal("sql_unknown_table", f"FROM {rule.table}")
    join = check_join(select, scope)
    if isinstance(rule, ListRule):
        return check_list(select, scope, rule, join)
    return check_aggregation(select, scope, rule, join)
