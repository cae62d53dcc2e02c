"""The attack suite: queries that try to get a raw value out. Each is refused or answered without one.

Every answer is searched for every raw identifier (ID number, phone, name) as a substring of any
cell. Refusals must carry a stable code. Differencing attacks are in test_differencing.py.
"""

from __future__ import annotations

import pyarrow as pa
import pytest

from tests.unit.sandbox.fixtures import AGG, DP, LIST, identifiers, people, product
from yaosu.errors import PolicyViolation
from yaosu.sandbox.query import answer
from yaosu.sandbox.rules import AggregationRule, ListRule

TARGET_PHONE = "13900000005"
TABLE = people()
PRODUCT = product(TABLE)
RAW = identifiers(TABLE)
CITIES = set(TABLE.column("city").to_pylist())
ONE = pa.table({"phone": [TARGET_PHONE]})
TEN_TAGGED = pa.table({"phone": [f"139{i:08d}" for i in range(10)], "tag": [f"t{i}" for i in range(10)]})
DUPLICATED = pa.table({"phone": [TARGET_PHONE] * 20})

R = "refused"
A = "answered"
# (id, rule, sql, buyer table, expected: refused | answered)
ATTACKS: list[tuple[str, AggregationRule | ListRule, str, pa.Table | None, str]] = [
    # direct selection
    ("select-star", AGG, "SELECT * FROM data", None, R),
    ("select-id", AGG, "SELECT id_number FROM data", None, R),
    ("select-name-phone", AGG, "SELECT name, phone FROM data", None, R),
    ("quoted-id", AGG, 'SELECT "id_number" FROM data', None, R),
    ("comment-hidden-id", AGG, "SELECT /* count */ id_number FROM data", None, R),
    ("distinct-dimension", AGG, "SELECT DISTINCT city FROM data", None, R),
    # GROUP BY a unique key
    ("group-by-id", AGG, "SELECT id_number, COUNT(*) FROM data GROUP BY id_number", None, R),
    ("group-by-phone-hidden", AGG, "SELECT city, COUNT(*) FROM data GROUP BY city, phone", None, R),
    ("group-by-ordinal", AGG, "SELECT city, COUNT(*) FROM data GROUP BY 1", None, R),
    ("group-by-expression", AGG, "SELECT COUNT(*) FROM data GROUP BY SUBSTR(id_number, 1, 17)", None, R),
    ("rollup", AGG, "SELECT city, COUNT(*) FROM data GROUP BY ROLLUP (city)", None, R),
    ("grouping-sets", AGG, "SELECT city, COUNT(*) FROM data GROUP BY GROUPING SETS ((city), (age))", None, R),
    # value-picking aggregates on identifiers
    ("min-id", AGG, "SELECT MIN(id_number) FROM data", None, R),
    ("max-phone", AGG, "SELECT MAX(phone) FROM data", None, R),
    ("any-value", AGG, "SELECT ANY_VALUE(name) FROM data", None, R),
    ("first", AGG, "SELECT FIRST(id_number) FROM data", None, R),
    ("last", AGG, "SELECT LAST(phone) FROM data", None, R),
    ("list", AGG, "SELECT LIST(id_number) FROM data", None, R),
    ("array-agg", AGG, "SELECT ARRAY_AGG(phone) FROM data", None, R),
    ("string-agg", AGG, "SELECT STRING_AGG(name, ',') FROM data", None, R),
    ("arg-max", AGG, "SELECT ARG_MAX(id_number, income) FROM data", None, R),
    ("histogram", AGG, "SELECT HISTOGRAM(id_number) FROM data", None, R),
    ("mode", AGG, "SELECT MODE(name) FROM data", None, R),
    ("sum-distinct", AGG, "SELECT SUM(DISTINCT income) FROM data", None, R),
    ("count-distinct-id-not-allowed", AGG, "SELECT COUNT(DISTINCT id_number) FROM data", None, R),
    ("max-income", AGG, "SELECT MAX(income) FROM data", None, R),
    # string functions and bit extraction
    ("length-sum", AGG, "SELECT SUM(LENGTH(id_number)) FROM data", None, R),
    ("substr-group", AGG, "SELECT SUBSTR(id_number, 1, 6) AS p, COUNT(*) FROM data GROUP BY p", None, R),
    ("like-filter", AGG, "SELECT COUNT(*) FROM data WHERE id_number LIKE '1101%'", None, R),
    ("substr-filter", AGG, "SELECT COUNT(*) FROM data WHERE SUBSTR(id_number, 18, 1) = 'X'", None, R),
    ("ascii-sum", AGG, "SELECT SUM(ASCII(SUBSTR(name, 1, 1))) FROM data", None, R),
    ("case-bit", AGG, "SELECT SUM(CASE WHEN SUBSTR(id_number, 1, 1) = '1' THEN 1 ELSE 0 END) FROM data", None, R),
    ("case-target", AGG, f"SELECT SUM(CASE WHEN phone = '{TARGET_PHONE}' THEN income ELSE 0 END) FROM data",
     None, R),
    ("cast-id", AGG, "SELECT SUM(CAST(id_number AS BIGINT)) FROM data", None, R),
    ("filter-clause", AGG, f"SELECT COUNT(*) FILTER (WHERE phone = '{TARGET_PHONE}') FROM data", None, R),
    ("filter-on-id", AGG, f"SELECT COUNT(*) FROM data WHERE phone = '{TARGET_PHONE}'", None, R),
    ("filter-income", AGG, "SELECT COUNT(*) FROM data WHERE income = 12345", None, R),
    ("tautology", AGG, "SELECT COUNT(*) FROM data WHERE city = 'x' OR 1 = 1", None, R),
    ("function-in-filter", AGG, "SELECT COUNT(*) FROM data WHERE city = chr(21271)", None, R),
    ("getenv", AGG, "SELECT getenv('HOME')", None, R),
    ("current-setting", AGG, "SELECT current_setting('threads') FROM data", None, R),
    # subqueries, CTEs, set operations, windows
    ("subquery-from", AGG, "SELECT COUNT(*) FROM (SELECT * FROM data) AS s", None, R),
    ("subquery-in", AGG, "SELECT COUNT(*) FROM data WHERE city IN (SELECT name FROM data)", None, R),
    ("scalar-subquery", AGG, "SELECT COUNT(*) FROM data WHERE city = (SELECT city FROM data LIMIT 1)", None, R),
    ("cte", AGG, "WITH x AS (SELECT id_number FROM data) SELECT * FROM x", None, R),
    ("union", AGG, "SELECT city FROM data UNION SELECT id_number FROM data", None, R),
    ("union-all-counts", AGG, "SELECT COUNT(*) FROM data UNION ALL SELECT COUNT(*) FROM data", None, R),
    ("intersect", AGG, "SELECT phone FROM data INTERSECT SELECT phone FROM data", None, R),
    ("window-row-number", AGG, "SELECT city, ROW_NUMBER() OVER (ORDER BY id_number) FROM data", None, R),
    ("window-count", AGG, "SELECT COUNT(*) OVER () FROM data", None, R),
    ("having-small", AGG, "SELECT city, COUNT(*) FROM data GROUP BY city HAVING COUNT(*) < 2", None, R),
    ("qualify", AGG, "SELECT city, COUNT(*) FROM data GROUP BY city QUALIFY COUNT(*) < 2", None, R),
    ("offset", AGG, "SELECT city, COUNT(*) AS n FROM data GROUP BY city ORDER BY n LIMIT 1 OFFSET 1", None, R),
    ("sample", AGG, "SELECT COUNT(*) FROM data USING SAMPLE 1 ROWS", None, R),
    ("order-by-id", AGG, "SELECT city, AVG(income) FROM data GROUP BY city ORDER BY id_number", None, R),
    ("huge-limit", AGG, "SELECT city, COUNT(*) FROM data GROUP BY city LIMIT 99999999", None, R),
    ("pivot", AGG, "PIVOT data ON city USING SUM(income)", None, R),
    # joins that single out a subject
    ("join-one-subject", AGG, "SELECT COUNT(*), SUM(income) FROM data t JOIN buyer b ON t.phone = b.phone", ONE, A),
    ("join-output-key", AGG, "SELECT b.phone, COUNT(*) FROM data t JOIN buyer b ON t.phone = b.phone "
                             "GROUP BY b.phone", TEN_TAGGED, R),
    ("join-unique-tags", AGG, "SELECT b.tag, SUM(income) FROM data t JOIN buyer b ON t.phone = b.phone "
                              "GROUP BY b.tag", TEN_TAGGED, A),
    ("join-duplicated-key", AGG, "SELECT SUM(income) FROM data t JOIN buyer b ON t.phone = b.phone", DUPLICATED, R),
    ("join-on-id", AGG, "SELECT COUNT(*) FROM data t JOIN buyer b ON t.id_number = b.phone", ONE, R),
    ("left-join", AGG, "SELECT COUNT(*) FROM data t LEFT JOIN buyer b ON t.phone = b.phone", ONE, R),
    ("cross-join", AGG, "SELECT COUNT(*) FROM data CROSS JOIN buyer", ONE, R),
    ("comma-join", AGG, "SELECT COUNT(*) FROM data, buyer", ONE, R),
    ("self-join", AGG, "SELECT COUNT(*) FROM data a JOIN data b ON a.phone = b.phone", None, R),
    ("join-using", AGG, "SELECT COUNT(*) FROM data t JOIN buyer b USING (phone)", ONE, R),
    ("join-or-true", AGG, "SELECT COUNT(*) FROM data t JOIN buyer b ON t.phone = b.phone OR 1 = 1", ONE, R),
    ("small-group", AGG, "SELECT city, SUM(income) FROM data WHERE age = 77 AND city = '北京' GROUP BY city",
     None, A),
    ("group-by-age-city", AGG, "SELECT city, age, SUM(income) AS s FROM data GROUP BY city, age", None, A),
    # DuckDB table functions, catalogs and statements
    ("read-csv", AGG, "SELECT * FROM read_csv('/etc/passwd')", None, R),
    ("read-csv-auto", AGG, "SELECT COUNT(*) FROM read_csv_auto('/etc/passwd')", None, R),
    ("read-parquet", AGG, "SELECT COUNT(*) FROM read_parquet('/tmp/x.parquet')", None, R),
    ("read-text", AGG, "SELECT * FROM read_text('/etc/passwd')", None, R),
    ("glob", AGG, "SELECT * FROM glob('/etc/*')", None, R),
    ("sniff-csv", AGG, "SELECT * FROM sniff_csv('/etc/passwd')", None, R),
    ("file-as-table", AGG, "SELECT COUNT(*) FROM '/etc/passwd'", None, R),
    ("duckdb-settings", AGG, "SELECT * FROM duckdb_settings()", None, R),
    ("information-schema", AGG, "SELECT COUNT(*) FROM information_schema.tables", None, R),
    ("qualified-table", AGG, "SELECT COUNT(*) FROM main.data", None, R),
    ("pragma", AGG, "PRAGMA database_list", None, R),
    ("set", AGG, "SET enable_external_access = true", None, R),
    ("attach", AGG, "ATTACH '/tmp/x.db' AS x", None, R),
    ("copy", AGG, "COPY data TO '/tmp/out.csv'", None, R),
    ("install", AGG, "INSTALL httpfs", None, R),
    ("load", AGG, "LOAD httpfs", None, R),
    ("export", AGG, "EXPORT DATABASE '/tmp/x'", None, R),
    ("call", AGG, "CALL pragma_table_info('data')", None, R),
    ("create", AGG, "CREATE TABLE leak AS SELECT * FROM data", None, R),
    ("two-statements", AGG, "SELECT COUNT(*) FROM data; SELECT * FROM data", None, R),
    ("comment-tail", AGG, "SELECT COUNT(*) AS n FROM data -- ; SELECT * FROM data", None, A),
    ("quote-in-alias", AGG, 'SELECT COUNT(*) AS "x"" FROM data --" FROM data', None, R),
    ("type-error-quotes-a-value", AGG, "SELECT COUNT(*) AS n FROM data WHERE city = 5", None, R),
    ("type-error-in-between", AGG, "SELECT SUM(income) AS s FROM data WHERE city BETWEEN 1 AND 2", None, R),
    ("too-long", AGG, "SELECT COUNT(*) FROM data WHERE " + " OR ".join(["city = 'x'"] * 2000), None, R),
    # DP rule: the same checker, then OpenDP noise
    ("dp-select-id", DP, "SELECT id_number FROM data", None, R),
    ("dp-group-by-id", DP, "SELECT id_number, COUNT(*) FROM data GROUP BY id_number", None, R),
    ("dp-min-phone", DP, "SELECT MIN(phone) FROM data", None, R),
    ("dp-join-one-subject", DP, "SELECT SUM(income) AS s FROM data t JOIN buyer b ON t.phone = b.phone", ONE, A),
    ("dp-counts", DP, "SELECT city, COUNT(*) AS n FROM data GROUP BY city", None, A),
    # list rule
    ("list-output-key", LIST, "SELECT t.phone FROM data t JOIN buyer b ON t.phone = b.phone", TEN_TAGGED, R),
    ("list-output-id", LIST, "SELECT id_number FROM data t JOIN buyer b ON t.phone = b.phone", TEN_TAGGED, R),
    ("list-without-join", LIST, "SELECT segment FROM data", None, R),
    ("list-one-subject", LIST, "SELECT segment FROM data t JOIN buyer b ON t.phone = b.phone", ONE, A),
    ("list-aggregate", LIST, "SELECT MIN(name) FROM data t JOIN buyer b ON t.phone = b.phone", TEN_TAGGED, R),
]


@pytest.mark.parametrize(("rule", "sql", "buyer", "expected"), [a[1:] for a in ATTACKS], ids=[a[0] for a in ATTACKS])
def test_attack_is_refused_or_answered_without_a_raw_value(rule: AggregationRule | ListRule, sql: str,
                                                           buyer: pa.Table | None, expected: str) -> None:
    try:
        result = answer(sql, rule, PRODUCT, buyer).table
    except PolicyViolation as exc:
        assert expected == R, f"refused ({exc.code}): {exc.message}"
        assert exc.code.startswith(("sql_", "buyer_table_", "sandbox_")) and exc.details["zh"] and exc.details["en"]
        assert not [raw for raw in RAW | CITIES if raw in exc.message]  # not even in the error's text
        return
    assert expected == A, f"answered: {result.to_pylist()[:3]}"
    cells = [str(v) for column in result.columns for v in column.to_pylist()]
    assert not [raw for raw in RAW for cell in cells if raw in cell]


def test_the_suite_has_at_least_fifty_attacks() -> None:
    assert len(ATTACKS) >= 50 and len({a[0] for a in ATTACKS}) == len(ATTACKS)


@pytest.mark.parametrize("sql", [
    "SELECT COUNT(*), SUM(income) FROM data t JOIN buyer b ON t.phone = b.phone",
    "SELECT city, SUM(income) FROM data WHERE age = 77 AND city = '北京' GROUP BY city",
])
def test_a_group_of_fewer_than_threshold_subjects_is_suppressed(sql: str) -> None:
    assert answer(sql, AGG, PRODUCT, ONE).rows == 0


def test_unique_buyer_tags_give_no_row_at_all() -> None:
    sql = "SELECT b.tag, SUM(income) FROM data t JOIN buyer b ON t.phone = b.phone GROUP BY b.tag"
    assert answer(sql, AGG, PRODUCT, TEN_TAGGED).rows == 0


def test_a_list_needs_an_overlap_of_threshold_subjects() -> None:
    sql = "SELECT segment FROM data t JOIN buyer b ON t.phone = b.phone"
    assert answer(sql, LIST, PRODUCT, ONE).rows == 0
    assert answer(sql, LIST, PRODUCT, TEN_TAGGED).rows == 10
