"""A small people table for sandbox tests: identifiers (id_number, phone, name) and exposable columns."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from yaosu.sandbox.query import load_product
from yaosu.sandbox.rules import AggregationRule, DPRule, ListRule

ROWS = 400
SALT = b"test-product-salt"
COLUMNS = ("id_number", "phone", "name", "city", "age", "segment", "income")
CITIES = ("北京", "上海", "广州", "深圳")


def people(rows: int = ROWS, seed: int = 7) -> pa.Table:
    """`rows` people; the last is the only 77-year-old in 北京 (a differencing target)."""
    rng = np.random.default_rng(seed)
    ages = rng.integers(20, 70, rows)
    cities = rng.choice(CITIES, rows)
    ages[-1], cities[-1] = 77, "北京"
    return pa.table({
        "id_number": [f"110101{1950 + i % 50}0101{i:04d}" for i in range(rows)],
        "phone": [f"139{i:08d}" for i in range(rows)],
        "name": [f"测试人员{i:04d}" for i in range(rows)],
        "city": cities, "age": ages,
        "segment": rng.choice(["金卡", "银卡", "普通"], rows),
        "income": rng.integers(3000, 60000, rows),
    })


def identifiers(table: pa.Table) -> set[str]:
    """Every raw identifier value in the table: none may ever appear in an answer."""
    return {str(v) for c in ("id_number", "phone", "name") for v in table.column(c).to_pylist()}


AGG = AggregationRule(subject="id_number", columns=COLUMNS, join_columns=("phone",), dimensions=("city", "age"),
                      aggregates={"income": ("count", "sum", "avg"), "segment": ("count_distinct",)},
                      bounds={"income": (0.0, 100_000.0)})
LIST = ListRule(subject="id_number", columns=COLUMNS, join_columns=("phone",), list_columns=("segment", "city"),
                filter_columns=("age",))
DP = DPRule(**{**AGG.model_dump(), "kind": "dp"})


def product(table: pa.Table | None = None) -> pa.Table:
    """The people table prepared for the sandbox (with its keyed subject hash)."""
    return load_product(table if table is not None else people(), AGG, SALT)
