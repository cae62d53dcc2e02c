"""Emit the SQL that runs in the sandbox from a checked Plan: threshold, sticky noise, limits (pure).

The buyer's text is never run. The emitted query reads the product table as `t` (it carries
`__h`, a keyed hash of the subject, and its bounded columns clamped, both done once when the table
is loaded, see runner.prepare_product)
and the buyer's table as `b`, groups, keeps only groups with at least `threshold` distinct
subjects (HAVING COUNT(DISTINCT subject) >= k), and perturbs every aggregate.

Sticky noise (after Diffix): each aggregate of a group gets a Laplace deviate whose seed is the
XOR of the keyed subject hashes in the group, so the same set of subjects always gets the same
noise (repeating or rephrasing a query cannot average it away), while two groups differing by
one subject get independent noise whose scale is one subject's largest possible contribution
(`noise` x bound) — the difference of the two answers does not reveal that subject's value.
Under a DP rule the SQL computes exact clamped aggregates and dp.py adds OpenDP noise.
"""

from __future__ import annotations

from yaosu.sandbox.checker import Output, Plan, Ref
from yaosu.sandbox.rules import BUYER_TABLE, AggregationRule, DPRule, ListRule

HASH = "__h"
MODULUS = 4294967291  # a prime below 2**32: the seed hash modulo it is a uniform fraction


def q(name: str) -> str:
    """A double-quoted identifier (names are validated: letters, digits, underscores, CJK for aliases)."""
    return '"' + name.replace('"', '""') + '"'


def _col(ref: Ref) -> str:
    return f"{'b' if ref.table == BUYER_TABLE else 't'}.{q(ref.name)}"


def _from(plan: Plan, rule: AggregationRule | ListRule) -> str:
    sql = f"FROM {q(rule.table)} AS t"
    if plan.join:
        on = " AND ".join(f"{_col(p)} = {_col(b)}" for p, b in plan.join)
        sql += f" JOIN {q(BUYER_TABLE)} AS b ON {on}"
    if plan.where is not None:
        sql += " WHERE " + plan.where.sql(dialect="duckdb", comments=False)
    return sql


def _aggregate(out: Output, rule: AggregationRule) -> str:
    assert out.function is not None
    if out.column is None:
        return "COUNT(*)"
    column = _col(out.column)
    if out.function == "count_distinct":
        return f"COUNT(DISTINCT {column})"
    if out.function == "count":
        return f"COUNT({column})"
    return f"{out.function.upper()}({column})"  # clamped into the rule's bounds when loaded


def _laplace(index: int) -> str:
    """A standard Laplace deviate seeded by the group's subject set `__s` and the output's position."""
    u = f"((hash(__s, {index}) % {MODULUS}) + 0.5) / {MODULUS} - 0.5"
    return f"(-sign({u}) * ln(1 - 2 * abs({u})))"


def _noised(out: Output, index: int, rule: AggregationRule) -> str:
    value = f"__a{index}"
    if isinstance(rule, DPRule) or rule.noise == 0:
        return value
    per_subject = rule.rows_per_subject
    if out.function in ("count", "count_distinct"):
        return f"CAST(GREATEST(ROUND({value} + {_laplace(index)} * {rule.noise * per_subject!r}), 0) AS BIGINT)"
    assert out.column is not None
    low, high = rule.bounds[out.column.name]
    if out.function == "sum":
        return f"{value} + {_laplace(index)} * {rule.noise * per_subject * max(abs(low), abs(high))!r}"
    return f"{value} + {_laplace(index)} * {rule.noise * per_subject * (high - low)!r} / __n"


def aggregation_sql(plan: Plan, rule: AggregationRule) -> str:
    """The sandbox SQL of an aggregate plan: grouped, thresholded, clamped and (unless DP) noised."""
    distinct = "DISTINCT " if plan.join or rule.rows_per_subject > 1 else ""
    subjects = f"COUNT({distinct}t.{HASH})" if distinct else "COUNT(*)"
    inner = [f"{_col(g)} AS __g{i}" for i, g in enumerate(plan.group_by)]
    inner += [f"{_aggregate(o, rule)} AS __a{i}" for i, o in enumerate(plan.outputs) if o.function]
    inner += [f"{subjects} AS __n", f"bit_xor({distinct}t.{HASH}) AS __s"]
    group = (" GROUP BY " + ", ".join(_col(g) for g in plan.group_by)) if plan.group_by else ""
    outer = []
    for i, out in enumerate(plan.outputs):
        expr = _noised(out, i, rule) if out.function else f"__g{plan.group_by.index(_ref(out))}"
        outer.append(f"{expr} AS {q(out.name)}")
    if isinstance(rule, DPRule):
        outer.append("__n")  # the subject count, for a DP average (dp.py drops it)
    # names are validated Names or quoted aliases; values are the rule's numbers
    sql = (f"SELECT {', '.join(outer)} FROM (SELECT {', '.join(inner)} {_from(plan, rule)}{group} "  # noqa: S608
           f"HAVING {subjects} >= {rule.threshold}) AS g")
    if isinstance(rule, DPRule):  # ordered and cut after the noise is added (dp.py)
        return sql
    return sql + _order_limit(plan, rule)


def _ref(out: Output) -> Ref:
    assert out.column is not None
    return out.column


def _order_limit(plan: Plan, rule: AggregationRule | ListRule) -> str:
    order = ", ".join(f"{q(name)}{' DESC' if desc else ''}" for name, desc in plan.order)
    limit = min(plan.limit or rule.max_rows, rule.max_rows)
    return (f" ORDER BY {order}" if order else "") + f" LIMIT {limit}"


def list_sql(plan: Plan, rule: ListRule) -> str:
    """The sandbox SQL of a list plan: listed columns of the overlap, only if it has `threshold` subjects."""
    cols = ", ".join(f"{_col(_ref(o))} AS {q(o.name)}" for o in plan.outputs)
    names = ", ".join(q(o.name) for o in plan.outputs)
    sql = (f"WITH o AS (SELECT {cols}, t.{HASH} AS __h {_from(plan, rule)}) SELECT {names} FROM o "  # noqa: S608
           f"WHERE (SELECT COUNT(DISTINCT __h) FROM o) >= {rule.threshold}")
    return sql + _order_limit(plan, rule)


def emit(plan: Plan, rule: AggregationRule | ListRule) -> str:
    """The SQL to run for `plan` under `rule`."""
    return list_sql(plan, rule) if isinstance(rule, ListRule) else aggregation_sql(plan, rule)

