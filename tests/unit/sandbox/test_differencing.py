"""Differencing: two answers whose groups differ by one subject do not reveal that subject's value.

The defence is the threshold plus sticky noise (rewrite.py): each group's noise is seeded by its
set of subjects, so (1) the same set always gets the same noise — repeating or rephrasing a query
gives nothing new to average — and (2) two sets differing by one subject get independent noise
whose scale is one subject's largest contribution, so their difference misses the value by about
that much. The contract's count limit bounds how many such pairs a buyer can ask for.
"""

from __future__ import annotations

import statistics

import pyarrow as pa

from tests.unit.sandbox.fixtures import AGG, people, product
from yaosu.sandbox.query import answer

TABLE = people()
PRODUCT = product(TABLE)
BOUND = AGG.bounds["income"][1]


def _sum(sql: str, buyer: pa.Table | None = None) -> float:
    rows = answer(sql, AGG, PRODUCT, buyer).table.to_pylist()
    assert len(rows) == 1
    return float(rows[0]["s"])


def test_filter_differencing_misses_the_target_income() -> None:
    target = TABLE.slice(TABLE.num_rows - 1).to_pylist()[0]  # the only 77-year-old in 北京
    with_target = _sum("SELECT SUM(income) AS s FROM data WHERE city = '北京'")
    without = _sum("SELECT SUM(income) AS s FROM data WHERE city = '北京' AND age <> 77")
    assert abs((with_target - without) - target["income"]) > 1.0


def test_the_same_subjects_get_the_same_noise_however_the_query_is_written() -> None:
    answers = {_sum(sql) for sql in (
        "SELECT SUM(income) AS s FROM data WHERE city = '北京'",
        "SELECT SUM(income) AS s FROM data WHERE city IN ('北京')",
        "SELECT SUM(income) AS s FROM data WHERE NOT city <> '北京' AND age BETWEEN 0 AND 200",
        "SELECT SUM(income) AS s FROM data WHERE city = '北京'",
    )}
    assert len(answers) == 1


def test_buyer_table_differencing_errs_by_about_the_noise_scale() -> None:
    phones = TABLE.column("phone").to_pylist()
    incomes = TABLE.column("income").to_pylist()
    errors = []
    for start in range(0, 300, 15):  # 20 pairs: 12 subjects, then the same 12 plus one target
        base = phones[start:start + 12]
        target = start + 12
        small = _sum("SELECT SUM(income) AS s FROM data t JOIN buyer b ON t.phone = b.phone",
                     pa.table({"phone": base}))
        large = _sum("SELECT SUM(income) AS s FROM data t JOIN buyer b ON t.phone = b.phone",
                     pa.table({"phone": [*base, phones[target]]}))
        errors.append(abs((large - small) - incomes[target]))
    assert statistics.median(errors) > 0.25 * BOUND  # incomes are below 60,000: the error swamps them
    assert min(errors) > 1.0


def test_noise_off_makes_differencing_exact_which_is_why_it_is_on_by_default() -> None:
    exact = AGG.model_copy(update={"noise": 0.0})
    target = TABLE.slice(TABLE.num_rows - 1).to_pylist()[0]
    a = answer("SELECT SUM(income) AS s FROM data WHERE city = '北京'", exact, PRODUCT).table.to_pylist()[0]["s"]
    b = answer("SELECT SUM(income) AS s FROM data WHERE city = '北京' AND age <> 77", exact,
               PRODUCT).table.to_pylist()[0]["s"]
    assert a - b == target["income"] and AGG.noise > 0
