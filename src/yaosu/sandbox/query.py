"""The query path as one kernel: check → emit → run locked down → noise (pure of the database).

`prepare` is the policy step (parse, check, emit; no data touched); `execute` runs a prepared
query over the product's loaded table and the buyer's upload. Services meter and record around it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pyarrow as pa

from yaosu.sandbox.checker import Plan
from yaosu.sandbox.dp import add_noise, cost
from yaosu.sandbox.policy import check
from yaosu.sandbox.rewrite import emit
from yaosu.sandbox.rules import AggregationRule, DPRule, ListRule
from yaosu.sandbox.runner import Engine, Limits, check_buyer_table, prepare_product, run, tables_for

Rule = AggregationRule | ListRule | DPRule


@dataclass(frozen=True)
class Prepared:
    """A checked query: its plan, the SQL that will run, its text hash and the epsilon it will cost."""

    plan: Plan
    sql: str
    text_hash: str
    epsilon: float


@dataclass(frozen=True)
class Answer:
    """What the buyer gets: the result table and what it cost."""

    table: pa.Table
    epsilon: float

    @property
    def rows(self) -> int:
        return int(self.table.num_rows)


def text_hash(sql: str) -> str:
    """SHA-256 (hex) of the buyer's query text, as the ledger records it."""
    return hashlib.sha256(sql.encode("utf-8")).hexdigest()


def load_product(table: pa.Table, rule: Rule, salt: bytes) -> pa.Table:
    """The product's table as `rule` has it read: rows per subject checked, bounds clamped, subjects hashed."""
    bounds = rule.bounds if isinstance(rule, AggregationRule) else {}
    return prepare_product(table, rule.subject, salt, rule.rows_per_subject, bounds)


def prepare(sql: str, rule: Rule, buyer_columns: tuple[str, ...] = ()) -> Prepared:
    """Check `sql` against `rule` and emit the sandbox SQL; a PolicyViolation with the reason if refused."""
    plan = check(sql, rule, buyer_columns)
    epsilon = cost(plan, rule) if isinstance(rule, DPRule) else 0.0
    return Prepared(plan, emit(plan, rule), text_hash(sql), epsilon)


def execute(prepared: Prepared, rule: Rule, product: pa.Table, buyer: pa.Table | None = None,
            limits: Limits | None = None, engine: Engine | None = None) -> Answer:
    """Run a prepared query over the product table (from `load_product`) and the buyer's upload
    (on `engine`, the product's database, if given; else on a fresh one)."""
    if buyer is not None:
        buyer = check_buyer_table(buyer, tuple(b.name for _, b in prepared.plan.join))
    result = run(prepared.sql, tables_for(rule.table, product, buyer), limits, engine)
    if isinstance(rule, DPRule):
        noised = add_noise(result, prepared.plan, rule)
        return Answer(noised.table, noised.epsilon)
    return Answer(result, 0.0)


def answer(sql: str, rule: Rule, product: pa.Table, buyer: pa.Table | None = None,
           limits: Limits | None = None) -> Answer:
    """Check, emit and run `sql` in one step (the buyer's table's columns come from its upload)."""
    columns = tuple(c.lower() for c in buyer.column_names) if buyer is not None else ()
    return execute(prepare(sql, rule, columns), rule, product, buyer, limits)
