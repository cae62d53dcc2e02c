"""The locked-down DuckDB: even SQL that skipped the checker cannot reach files, settings or extensions."""

from __future__ import annotations

import pyarrow as pa
import pytest

from tests.unit.sandbox.fixtures import AGG, people, product
from yaosu.errors import PolicyViolation
from yaosu.sandbox.query import answer
from yaosu.sandbox.runner import Engine, Limits, prepare_product, run

TABLES = {"data": pa.table({"x": [1, 2, 3]})}


@pytest.mark.parametrize(("sql", "error"), [
    ("SELECT * FROM read_csv('/etc/passwd')", "PermissionException"),
    ("SELECT * FROM glob('/etc/*')", "PermissionException"),
    ("COPY data TO '/tmp/yaosu-sandbox-leak.csv'", "PermissionException"),
    ("ATTACH '/tmp/yaosu-sandbox-leak.db' AS x", "PermissionException"),
    ("INSTALL httpfs", "PermissionException"),
    ("LOAD httpfs", "PermissionException"),
    ("SET enable_external_access = true", "InvalidInputException"),
    ("SET threads = 64", "InvalidInputException"),
    ("SET lock_configuration = false", "InvalidInputException"),
    ("INSERT INTO data VALUES (4)", "CatalogException"),
], ids=["read-csv", "glob", "copy", "attach", "install", "load", "set-access", "set-threads", "unlock", "insert"])
def test_the_runner_refuses_what_the_checker_would_never_let_through(sql: str, error: str) -> None:
    with pytest.raises(PolicyViolation) as caught:  # DuckDB's own refusal, reported by its kind only
        run(sql, TABLES)
    assert caught.value.code == "sandbox_query_failed" and caught.value.details["detail"] == error


def test_duckdb_errors_do_not_quote_the_data() -> None:
    with pytest.raises(PolicyViolation) as caught:
        run("SELECT COUNT(*) FROM data WHERE x = 'secret-looking'", {"data": pa.table({"x": [1]})})
    assert caught.value.code == "sandbox_query_failed" and "secret" not in caught.value.message


def test_a_query_past_its_time_limit_is_interrupted() -> None:
    with pytest.raises(PolicyViolation) as caught:
        run("SELECT COUNT(*) FROM range(1000000000) a, range(1000) b WHERE a.range % 7 = b.range",
            TABLES, Limits(timeout_s=0.2))
    assert caught.value.code == "sandbox_timeout"


def test_the_buyer_table_is_gone_after_the_run() -> None:
    buyer = pa.table({"phone": [f"139{i:08d}" for i in range(20)]})
    result = answer("SELECT COUNT(*) AS n FROM data t JOIN buyer b ON t.phone = b.phone", AGG, product(), buyer)
    assert result.rows == 1
    with pytest.raises(PolicyViolation) as caught:  # the next run has no buyer table: it is not known at all
        answer("SELECT COUNT(*) AS n FROM data t JOIN buyer b ON t.phone = b.phone", AGG, product())
    assert caught.value.code == "sql_unknown_table"
    with pytest.raises(PolicyViolation) as gone:  # and the sandbox engine itself has no such table
        run("SELECT COUNT(*) FROM buyer", {"data": product()})
    assert gone.value.details["detail"] == "CatalogException"


def test_more_rows_per_subject_than_the_rule_allows_is_refused_at_load() -> None:
    table = people(20)
    doubled = pa.concat_tables([table, table])
    with pytest.raises(PolicyViolation):
        prepare_product(doubled, "id_number", b"salt")
    assert prepare_product(doubled, "id_number", b"salt", rows_per_subject=2).num_rows == 40


def test_the_subject_hash_is_keyed() -> None:
    table = people(20)
    a = prepare_product(table, "id_number", b"one").column("__h")
    b = prepare_product(table, "id_number", b"two").column("__h")
    assert a != b and a == prepare_product(table, "id_number", b"one").column("__h")


def test_bounded_columns_are_clamped_once_at_load() -> None:
    table = pa.table({"id": ["a", "b", "c"], "v": [-5, 50, 500]})
    assert prepare_product(table, "id", b"s", bounds={"v": (0.0, 100.0)}).column("v").to_pylist() == [0, 50, 100]


def test_queries_on_one_engine_do_not_see_each_others_tables() -> None:
    engine = Engine()
    buyer = pa.table({"phone": ["13900000001"]})
    assert run("SELECT COUNT(*) AS n FROM buyer", {"data": TABLES["data"], "buyer": buyer}, engine=engine
               ).column("n").to_pylist() == [1]
    with pytest.raises(PolicyViolation) as caught:  # the next query's connection never had the buyer's table
        run("SELECT COUNT(*) FROM buyer", TABLES, engine=engine)
    assert caught.value.details["detail"] == "CatalogException"
    with pytest.raises(PolicyViolation):  # and the engine's configuration stays locked
        run("SET enable_external_access = true", TABLES, engine=engine)
    with pytest.raises(PolicyViolation):
        run("SELECT * FROM read_csv('/etc/passwd')", TABLES, engine=engine)
    engine.close()
