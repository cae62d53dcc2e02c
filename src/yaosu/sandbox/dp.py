"""Noise for a DP rule's answer through OpenDP's vector Laplace mechanism (pure; GB/T 37964, DOMAIN.md §3).

The sandbox SQL returns each group's exact clamped aggregate (groups hold at least `threshold`
subjects). Groups are disjoint in subjects, so one subject changes one group's value by at most
its contribution: the L1 sensitivity of an aggregate's column of groups is `rows_per_subject`
for a count and `rows_per_subject x max|bound|` for a sum (parallel composition across groups,
sequential across aggregates). An average is released as noisy sum / noisy count and costs two.
The threshold uses the exact subject count, so the group keys' release is not itself private:
the guarantee holds for the values, as in AWS Clean Rooms' differential privacy with thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from yaosu.sandbox.checker import Output, Plan
from yaosu.sandbox.rules import DPRule


@dataclass(frozen=True)
class Noised:
    """A DP answer and the epsilon it cost."""

    table: pa.Table
    epsilon: float


def cost(plan: Plan, rule: DPRule) -> float:
    """Epsilon a query costs: `epsilon_per_aggregate` per aggregate (an average counts twice)."""
    return sum(rule.epsilon_per_aggregate * (2 if o.function == "avg" else 1) for o in plan.outputs if o.function)


def _laplace(values: list[Any], sensitivity: float, epsilon: float, integer: bool) -> list[Any]:
    import opendp.prelude as dp

    dp.enable_features("contrib")
    kind: type = int if integer else float
    atom = dp.atom_domain(T=kind) if integer else dp.atom_domain(T=float, nan=False)
    measurement = dp.m.make_laplace(dp.vector_domain(atom), dp.l1_distance(T=kind), scale=sensitivity / epsilon)
    return list(measurement([kind(v) for v in values]))


def _column(out: Output, values: pa.ChunkedArray, rule: DPRule) -> list[Any]:
    eps, per = rule.epsilon_per_aggregate, rule.rows_per_subject
    if out.function in ("count", "count_distinct"):
        return [max(0, v) for v in _laplace(values.to_pylist(), per, eps, integer=True)]
    assert out.column is not None
    low, high = rule.bounds[out.column.name]
    if out.function == "sum":
        return _laplace(values.to_pylist(), per * max(abs(low), abs(high)), eps, integer=False)
    raise AssertionError(out.function)


def add_noise(exact: pa.Table, plan: Plan, rule: DPRule) -> Noised:
    """`exact` with every aggregate replaced by its OpenDP release, ordered and cut as the plan asks."""
    columns: dict[str, Any] = {}
    counts = exact.column("__n")
    for out in plan.outputs:
        values = exact.column(out.name)
        if out.function == "avg":
            assert out.column is not None
            low, high = rule.bounds[out.column.name]
            sums = _laplace(pc.multiply(values, pc.cast(counts, pa.float64())).to_pylist(),
                            rule.rows_per_subject * max(abs(low), abs(high)), rule.epsilon_per_aggregate, False)
            ns = _laplace(counts.to_pylist(), rule.rows_per_subject, rule.epsilon_per_aggregate, True)
            columns[out.name] = [s / max(n, 1) for s, n in zip(sums, ns, strict=True)]
        elif out.function:
            columns[out.name] = _column(out, values, rule)
        else:
            columns[out.name] = values
    table = pa.table(columns)
    if plan.order:
        table = table.sort_by([(name, "descending" if desc else "ascending") for name, desc in plan.order])
    return Noised(table.slice(0, min(plan.limit or rule.max_rows, rule.max_rows)), cost(plan, rule))
