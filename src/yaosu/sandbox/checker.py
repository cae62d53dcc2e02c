"""Check a buyer's SQL against an analysis rule, by allow-list, into a plan (pure).

This module holds the parts every rule shares; policy.py checks each rule's shape.

The query is parsed once with sqlglot (DuckDB dialect). It must be one SELECT whose every syntax
node is of a type in `ALLOWED_NODES`; then each clause is checked for its place: outputs are
dimension columns or allowed aggregates of plain columns, GROUP BY names dimensions, filters compare
an allowed column with constants, the only join is an inner equi-join with the buyer's table on
join columns. Nothing the checker does not recognise passes. The buyer's text is never executed:
the rewriter builds new SQL from the plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from yaosu.sandbox.refusals import refusal
from yaosu.sandbox.rules import BUYER_TABLE, AggregationRule, ListRule

MAX_SQL_CHARS = 8000
MAX_IN_LIST = 200
ALIAS = re.compile(r"^(?!_)\w{1,63}$")  # "_" first is the sandbox's own (__h, __n, __s…)
ALLOWED_NODES: frozenset[type[exp.Expression]] = frozenset({
    exp.Select, exp.From, exp.Join, exp.Table, exp.TableAlias, exp.Identifier, exp.Column, exp.Alias, exp.Star,
    exp.Count, exp.Sum, exp.Avg, exp.Distinct, exp.Where, exp.Group, exp.Order, exp.Ordered, exp.Limit,
    exp.Literal, exp.Boolean, exp.Null, exp.Neg, exp.Paren, exp.And, exp.Or, exp.Not, exp.EQ, exp.NEQ,
    exp.GT, exp.GTE, exp.LT, exp.LTE, exp.In, exp.Between, exp.Is,
})
SELECT_CLAUSES = frozenset({"expressions", "from_", "joins", "where", "group", "order", "limit"})
COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)


@dataclass(frozen=True)
class Ref:
    """A resolved column: `table` is the rule's table or "buyer"."""

    table: str
    name: str


@dataclass(frozen=True)
class Output:
    """One output column: a dimension, a listed column, or an aggregate (`function` of `column`)."""

    name: str
    column: Ref | None
    function: str | None = None  # count | count_distinct | sum | avg; None for a plain column


@dataclass(frozen=True)
class Plan:
    """A checked query: what to output, group, filter, join, order and how many rows."""

    outputs: tuple[Output, ...]
    group_by: tuple[Ref, ...] = ()
    where: exp.Expression | None = None  # columns replaced by canonical `t."x"` / `b."x"` references
    join: tuple[tuple[Ref, Ref], ...] = ()  # (product column, buyer column) pairs
    order: tuple[tuple[str, bool], ...] = ()  # (output name, descending)
    limit: int | None = None
    tables: frozenset[str] = field(default_factory=frozenset)


def parse(sql: str) -> exp.Select:
    """The one SELECT statement in `sql`; a refusal for anything longer, unparsable or else."""
    if len(sql) > MAX_SQL_CHARS:
        raise refusal("sql_too_long", f"{len(sql)} > {MAX_SQL_CHARS}")
    try:
        trees = [t for t in sqlglot.parse(sql, read="duckdb") if t is not None and not isinstance(t, exp.Semicolon)]
    except (ParseError, TokenError) as exc:
        raise refusal("sql_parse_error", str(exc).splitlines()[0] if str(exc) else "syntax") from None
    if len(trees) != 1:
        raise refusal("sql_not_one_statement")
    tree = trees[0]
    if not isinstance(tree, exp.Select):
        raise refusal("sql_not_select", tree.key.upper())
    for node in tree.walk():
        if type(node) not in ALLOWED_NODES:
            if isinstance(node, exp.Func):
                name = node.name if isinstance(node, exp.Anonymous) else node.sql_name()
                raise refusal("sql_function_not_allowed", name.upper())
            raise refusal("sql_node_not_allowed", node.key.upper())
    extra = {k for k, v in tree.args.items() if v} - SELECT_CLAUSES
    if extra:
        raise refusal("sql_node_not_allowed", ", ".join(sorted(extra)).upper())
    return tree


class Scope:
    """Table aliases in the query and the columns each table has."""

    def __init__(self, rule: AggregationRule | ListRule, buyer_columns: tuple[str, ...]) -> None:
        self.rule = rule
        self.schemas = {rule.table: frozenset(rule.columns), BUYER_TABLE: frozenset(buyer_columns)}
        self.aliases: dict[str, str] = {}

    def add(self, table: exp.Expression) -> str:
        if not isinstance(table, exp.Table) or table.args.get("db") or table.args.get("catalog"):
            raise refusal("sql_unknown_table", table.sql(dialect="duckdb")[:80])
        name = table.name.lower()
        if name not in self.schemas or (name == BUYER_TABLE and not self.schemas[BUYER_TABLE]):
            raise refusal("sql_unknown_table", table.name)
        alias = (table.alias or table.name).lower()
        if alias in self.aliases:
            raise refusal("sql_join_not_allowed", f"table {alias} twice")
        self.aliases[alias] = name
        return name

    def resolve(self, column: exp.Column) -> Ref:
        name = column.name.lower()
        if column.table:
            table = self.aliases.get(column.table.lower())
            if table is None or name not in self.schemas[table]:
                raise refusal("sql_unknown_column", column.sql(dialect="duckdb"))
            return Ref(table, name)
        found = [t for t in set(self.aliases.values()) if name in self.schemas[t]]
        if len(found) != 1:
            raise refusal("sql_unknown_column", column.name)
        return Ref(found[0], name)


def _constant(node: exp.Expression) -> bool:
    if isinstance(node, exp.Neg):
        return isinstance(node.this, exp.Literal) and not node.this.is_string
    return isinstance(node, exp.Literal | exp.Boolean | exp.Null)


def check_filter(node: exp.Expression, scope: Scope, allowed: frozenset[Ref]) -> exp.Expression:
    """A copy of the predicate with canonical column references, if it only compares allowed columns."""
    def column(c: exp.Expression) -> exp.Expression:
        if not isinstance(c, exp.Column):
            raise refusal("sql_filter_not_allowed", c.sql(dialect="duckdb")[:80])
        ref = scope.resolve(c)
        if ref not in allowed:
            raise refusal("sql_filter_not_allowed", ref.name)
        return exp.column(ref.name, table="b" if ref.table == BUYER_TABLE else "t", quoted=True)

    def consts(*nodes: exp.Expression) -> None:
        for n in nodes:
            if not _constant(n):
                raise refusal("sql_filter_not_allowed", n.sql(dialect="duckdb")[:80])

    if isinstance(node, exp.And | exp.Or):
        return node.__class__(this=check_filter(node.this, scope, allowed),
                              expression=check_filter(node.expression, scope, allowed))
    if isinstance(node, exp.Not | exp.Paren):
        return node.__class__(this=check_filter(node.this, scope, allowed))
    if isinstance(node, COMPARISONS):  # one side a column, the other a constant, in the order written
        if isinstance(node.this, exp.Column):
            consts(node.expression)
            return node.__class__(this=column(node.this), expression=node.expression.copy())
        consts(node.this)
        return node.__class__(this=node.this.copy(), expression=column(node.expression))
    if isinstance(node, exp.In) and not node.args.get("query") and not node.args.get("unnest"):
        values = node.expressions
        if not 1 <= len(values) <= MAX_IN_LIST:
            raise refusal("sql_filter_not_allowed", f"IN with {len(values)} values")
        consts(*values)
        return exp.In(this=column(node.this), expressions=[v.copy() for v in values])
    if isinstance(node, exp.Between):
        consts(node.args["low"], node.args["high"])
        return exp.Between(this=column(node.this), low=node.args["low"].copy(), high=node.args["high"].copy())
    if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):
        return exp.Is(this=column(node.this), expression=exp.Null())
    raise refusal("sql_filter_not_allowed", node.sql(dialect="duckdb")[:80])


def check_join(select: exp.Select, scope: Scope) -> tuple[tuple[Ref, Ref], ...]:
    joins = select.args.get("joins") or []
    if not joins:
        return ()
    if len(joins) > 1:
        raise refusal("sql_join_not_allowed", f"{len(joins)} joins")
    join = joins[0]
    extra = {k for k, v in join.args.items() if v} - {"this", "on", "kind"}
    if extra or (join.args.get("kind") or "INNER").upper() != "INNER" or join.args.get("on") is None:
        raise refusal("sql_join_not_allowed", join.sql(dialect="duckdb")[:80])
    tables = {scope.add(join.this)}
    if BUYER_TABLE not in tables | set(scope.aliases.values()) or len(set(scope.aliases.values())) != 2:
        raise refusal("sql_join_not_allowed", "the join is with the buyer's table")
    pairs: list[tuple[Ref, Ref]] = []
    for cond in join.args["on"].flatten() if isinstance(join.args["on"], exp.And) else [join.args["on"]]:
        if not (isinstance(cond, exp.EQ) and isinstance(cond.this, exp.Column)
                and isinstance(cond.expression, exp.Column)):
            raise refusal("sql_join_not_allowed", cond.sql(dialect="duckdb")[:80])
        a, b = scope.resolve(cond.this), scope.resolve(cond.expression)
        product, buyer = (a, b) if a.table != BUYER_TABLE else (b, a)
        if product.table == BUYER_TABLE or buyer.table != BUYER_TABLE or product.name not in scope.rule.join_columns:
            raise refusal("sql_join_not_allowed", cond.sql(dialect="duckdb")[:80])
        pairs.append((product, buyer))
    return tuple(pairs)


def output_name(node: exp.Expression, default: str, taken: set[str]) -> str:
    name = (node.alias if isinstance(node, exp.Alias) else default).lower()
    if not ALIAS.match(name) or name in taken:
        raise refusal("sql_output_not_allowed", f"alias {name}")
    taken.add(name)
    return name


def check_order(select: exp.Select, outputs: tuple[Output, ...]) -> tuple[tuple[str, bool], ...]:
    order = select.args.get("order")
    if order is None:
        return ()
    names = {o.name for o in outputs}
    result = []
    for item in order.expressions:
        target = item.this
        if not isinstance(target, exp.Column) or target.table or target.name.lower() not in names:
            raise refusal("sql_order_not_allowed", target.sql(dialect="duckdb")[:80])
        result.append((target.name.lower(), bool(item.args.get("desc"))))
    return tuple(result)


def check_limit(select: exp.Select, maximum: int) -> int | None:
    limit = select.args.get("limit")
    if limit is None:
        return None
    value = limit.expression
    extra = {k for k, v in limit.args.items() if v} - {"expression"}
    if extra or not isinstance(value, exp.Literal) or value.is_string or not value.this.isdigit():
        raise refusal("sql_limit_not_allowed", maximum)
    if not 0 < int(value.this) <= maximum:
        raise refusal("sql_limit_not_allowed", maximum)
    return int(value.this)
