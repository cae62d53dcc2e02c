"""The policy check: allowed queries become plans; the emitted SQL carries the threshold and clamps."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tests.unit.sandbox.fixtures import AGG, COLUMNS, LIST
from yaosu.errors import PolicyViolation
from yaosu.sandbox.policy import check
from yaosu.sandbox.query import prepare
from yaosu.sandbox.rules import AggregationRule, parse_rule


@pytest.mark.parametrize(("sql", "outputs"), [
    ("SELECT city, COUNT(*) AS n FROM data GROUP BY city", ["city", "n"]),
    ("select City, sum(INCOME) from DATA group by city", ["city", "sum_income"]),
    ("SELECT t.city, t.age, AVG(t.income) AS 平均收入 FROM data AS t GROUP BY t.city, t.age",
     ["city", "age", "平均收入"]),
    ("SELECT COUNT(DISTINCT segment) AS k FROM data WHERE city IN ('北京', '上海') AND age BETWEEN 30 AND 40",
     ["k"]),
    ("SELECT city, COUNT(income) AS n FROM data WHERE NOT (age < 20 OR age IS NULL) GROUP BY city "
     "ORDER BY n DESC LIMIT 3", ["city", "n"]),
    ("SELECT b.seg, COUNT(*) AS n FROM data t JOIN buyer b ON t.phone = b.phone GROUP BY b.seg", ["seg", "n"]),
], ids=["count", "case-insensitive", "cjk-alias", "count-distinct-filters", "order-limit", "join-buyer-dim"])
def test_allowed_queries_become_plans(sql: str, outputs: list[str]) -> None:
    plan = check(sql, AGG, ("phone", "seg"))
    assert [o.name for o in plan.outputs] == outputs


def test_emitted_sql_has_threshold_noise_and_limit() -> None:
    sql = prepare("SELECT city, SUM(income) AS s FROM data GROUP BY city", AGG).sql
    assert "HAVING COUNT(*) >= 10" in sql
    assert "bit_xor(t.__h) AS __s" in sql and "* 100000.0 AS \"s\"" in sql  # noise scaled to the bound
    assert sql.endswith("LIMIT 1000")


def test_a_join_counts_distinct_subjects() -> None:
    sql = prepare("SELECT COUNT(*) AS n FROM data t JOIN buyer b ON t.phone = b.phone", AGG, ("phone",)).sql
    assert "HAVING COUNT(DISTINCT t.__h) >= 10" in sql


def test_the_buyer_table_must_exist_to_be_joined() -> None:
    with pytest.raises(PolicyViolation) as caught:
        check("SELECT COUNT(*) FROM data t JOIN buyer b ON t.phone = b.phone", AGG)
    assert caught.value.code == "sql_unknown_table"


def test_refusal_speaks_chinese_and_english() -> None:
    with pytest.raises(PolicyViolation) as caught:
        check("SELECT id_number FROM data", AGG)
    assert caught.value.details["zh"] == "列 id_number 不能输出"
    assert caught.value.details["en"] == "column id_number may not be output"


def test_list_rule_outputs_listed_columns() -> None:
    plan = check("SELECT segment, city FROM data t JOIN buyer b ON t.phone = b.phone WHERE age > 30", LIST,
                 ("phone",))
    assert [o.name for o in plan.outputs] == ["segment", "city"]


@pytest.mark.parametrize("changes", [
    {"dimensions": ("id_number",)},
    {"dimensions": ("phone",)},
    {"aggregates": {"income": ("sum",)}, "bounds": {}},
    {"aggregates": {"income": ("median",)}},
    {"aggregates": {"phone": ("sum",)}, "bounds": {"phone": (0, 1)}},
    {"bounds": {"income": (5.0, 5.0)}},
    {"subject": "nobody"},
    {"threshold": 1},
], ids=["id-dimension", "join-dimension", "sum-without-bounds", "unknown-function", "sum-identifier",
        "empty-bounds", "unknown-subject", "threshold-one"])
def test_unsafe_rules_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        AggregationRule.model_validate({**AGG.model_dump(), **changes})


def test_rules_parse_by_kind() -> None:
    rule = parse_rule({"kind": "dp", "subject": "id_number", "columns": list(COLUMNS),
                       "aggregates": {"income": ["sum"]}, "bounds": {"income": [0, 10]}, "epsilon_budget": 2})
    assert rule.kind == "dp" and rule.threshold == 10


def test_a_constant_on_the_left_keeps_its_meaning() -> None:
    sql = prepare("SELECT COUNT(*) AS n FROM data WHERE 30 < age", AGG).sql
    assert '30 < "t"."age"' in sql


@pytest.mark.parametrize("alias", ["__s", "_x", "__h"])
def test_aliases_cannot_shadow_the_sandbox_columns(alias: str) -> None:
    with pytest.raises(PolicyViolation) as caught:
        check(f"SELECT COUNT(*) AS {alias} FROM data", AGG)
    assert caught.value.code == "sql_output_not_allowed"
