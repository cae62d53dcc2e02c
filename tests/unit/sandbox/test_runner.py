"""The locked-down DuckDB: even SQL that skipped the checker cannot reach files, settings or extensions."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from tests.unit.sandbox.fixtures import AGG, people, product
from yaosu.errors import PolicyViolation
from yaosu.sandbox.query import answer
from yaosu.sandbox.runner import Limits, prepare_product, run

TABLES = {"data": pa.table({"x": [1, 2, 3]})}


@pytest.mark.parametrize("sql", [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM glob('/etc/*')",
    "COPY data TO '/tmp/yaosu-sandbox-leak.csv'",
    "ATTACH '/tmp/yaosu-sandbox-leak.db' AS x",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "SET threads = 64",
    "SET lock_configuration = false",
    "INSERT INTO data VALUES (4)",
], ids=["read-csv", "glob", "copy", "attach", "install", "load", "set-access", "set-threads", "unlock", "insert"])
def test_the_runner_refuses_what_the_checker_would_never_let_through(sql: str) -> None:
    with pytest.raises(duckdb.Error):  # DuckDB's own refusals: permission, locked configuration, catalog
        run(sql, TABLES)


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
    with pytest.raises(duckdb.CatalogException, match="buyer"):  # and the sandbox engine itself has no such table
        run("SELECT COUNT(*) FROM buyer", {"data": product()})


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
