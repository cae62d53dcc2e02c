"""Custom SQL rules: counted by DuckDB; anything that reads or writes files, or is not a predicate, is refused."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from tests.unit.quality.tables import ab, assess
from yaosu.errors import Invalid, PolicyViolation
from yaosu.quality.spec import load_spec
from yaosu.quality.sql import check_rule, sandbox

TABLE = {"amount": [10, -5, 0, None, 7], "status": ["paid", "paid", "void", "paid", "???"]}


def rule(expr: str, **kw: str) -> dict[str, object]:
    return {"rules": [{"id": "r1", "expr": expr, **kw}]}


@pytest.mark.parametrize(("expr", "expected"), [
    ("amount > 0", (2, 4)),
    ("amount >= 0 AND status IN ('paid', 'void')", (2, 4)),
    ("status IN ('paid', 'void')", (4, 5)),
    ("length(status) = 4 OR status IS NULL", (4, 5)),
    ("coalesce(amount, 0) >= 0", (4, 5)),
], ids=["positive", "and-in", "code-list", "function", "coalesce-null"])
def test_rule_counts(expr: str, expected: tuple[int, int]) -> None:
    assert ab(assess(TABLE, rule(expr)), "rule:r1") == expected


def test_rule_examples_are_masked_values_of_the_first_column_it_reads() -> None:
    result = assess({"code": ["AB-2024-000017", "AB-2024-000018", "bad"], "n": [1, 2, 3]},
                    rule("regexp_full_match(code, 'AB-[0-9]{4}-[0-9]{6}') AND n > 1"))
    (m,) = [m for m in result.measures if m.check == "rule:r1"]
    assert (m.column, m.a, m.b, m.examples) == ("code", 1, 3, ("AB-*********17", "b**"))


def test_rule_can_feed_another_indicator() -> None:
    result = assess(TABLE, rule("amount IS NULL OR amount > -100", indicator="security_spec"))
    (score,) = [s for s in result.scores.indicators if s.indicator.code == "security_spec"]
    assert (score.a, score.b, score.score) == (5, 5, 100.0)


@pytest.mark.parametrize("expr", [
    "length(read_text('/etc/passwd')) > 0",
    "amount IN (SELECT 1 FROM read_csv('/etc/passwd'))",
    "(SELECT count(*) FROM read_parquet('x.parquet')) > 0",
    "amount > 0; COPY t TO '/tmp/out.csv'",
    "COPY t TO '/tmp/out.csv'",
    "ATTACH '/tmp/x.db' AS x",
    "INSTALL httpfs",
    "LOAD httpfs",
    "PRAGMA database_list",
    "SET enable_external_access = true",
    "getenv('HOME') IS NOT NULL",
    "glob('/etc/*') IS NOT NULL",
    "amount IN (SELECT amount FROM t)",
    "other.amount > 0",
    "query('SELECT 1') IS NOT NULL",
    "current_setting('threads') = 1",
], ids=lambda e: e[:30])
def test_file_network_and_statements_are_refused(expr: str) -> None:
    with pytest.raises((PolicyViolation, Invalid)) as info:
        assess(TABLE, rule(expr))
    assert info.value.field == "rules.expr"
    assert "refused" in info.value.message or "not valid SQL" in info.value.message


def test_file_read_is_refused_with_a_clear_error() -> None:
    with pytest.raises(PolicyViolation, match="read_csv may touch files or the network"):
        check_rule(["amount > (SELECT 1)", "read_csv('/etc/passwd') IS NOT NULL"][1], ["amount"])


def test_unknown_column_is_invalid() -> None:
    with pytest.raises(Invalid, match="unknown column: price"):
        assess(TABLE, rule("price > 0"))


def test_aggregate_rule_fails_cleanly() -> None:
    with pytest.raises(Invalid, match="rule r1 failed"):
        assess(TABLE, rule("sum(amount) > 0"))


def test_sandbox_itself_refuses_file_reads_and_writes(tmp_path: Path) -> None:
    """Defence in depth: even SQL that slipped past the checker cannot read or write files."""
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n", encoding="utf-8")
    con = sandbox({"t": pa.table({"a": [1]})})
    with pytest.raises(duckdb.PermissionException):
        con.execute(f"SELECT * FROM read_csv('{secret}')")
    with pytest.raises(duckdb.PermissionException):
        con.execute(f"COPY t TO '{tmp_path / 'out.csv'}'")
    with pytest.raises(duckdb.Error):
        con.execute("SET enable_external_access = true")
    assert not (tmp_path / "out.csv").exists()


def test_spec_file_is_validated(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - id: x\n    expr: a > 0\n    indicator: duplicate_rate\n", encoding="utf-8")
    with pytest.raises(Invalid, match="higher-is-better"):
        load_spec(bad)
    bad.write_text("weights: {indicators: {nope: 1}}\n", encoding="utf-8")
    with pytest.raises(Invalid, match="unknown indicators"):
        load_spec(bad)
    bad.write_text(": : :\n", encoding="utf-8")
    with pytest.raises(Invalid, match="invalid YAML"):
        load_spec(bad)
