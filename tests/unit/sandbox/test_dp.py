"""DP rule: OpenDP noise on every aggregate and the epsilon a query costs."""

from __future__ import annotations

from tests.unit.sandbox.fixtures import DP, product
from yaosu.sandbox.query import answer, prepare

PRODUCT = product()


def test_a_query_costs_epsilon_per_aggregate_and_double_for_an_average() -> None:
    prepared = prepare("SELECT city, COUNT(*) AS n, SUM(income) AS s, AVG(income) AS a FROM data GROUP BY city", DP)
    assert abs(prepared.epsilon - 4 * DP.epsilon_per_aggregate) < 1e-12


def test_answers_are_noisy_ordered_and_limited() -> None:
    sql = "SELECT city, COUNT(*) AS n FROM data GROUP BY city ORDER BY n DESC LIMIT 2"
    exact = {r["city"]: r["n"] for r in answer(sql.replace(" LIMIT 2", ""), DP.model_copy(
        update={"epsilon_per_aggregate": 1.0}), PRODUCT).table.to_pylist()}
    runs = [answer(sql, DP, PRODUCT).table.to_pylist() for _ in range(5)]
    assert all(len(r) == 2 and r[0]["n"] >= r[1]["n"] for r in runs)
    assert len({tuple(row["n"] for row in r) for r in runs}) > 1  # fresh noise each release
    assert set(exact) == {"北京", "上海", "广州", "深圳"}
