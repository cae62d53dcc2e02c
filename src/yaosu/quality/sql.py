"""Custom rule SQL: validated with sqlglot, evaluated by a DuckDB connection that cannot touch files or the network.

A rule is one SQL predicate over the assessed table's columns (e.g. `amount >= 0 AND status IN
('a', 'b')`). It is parsed with sqlglot and refused unless it is a single expression made of
column references, literals, operators and functions outside a deny-list (file and network
readers, settings, extension loading). No subquery or table reference is allowed. The SQL that
runs is regenerated from the checked syntax tree, never the raw text. As defence in depth the
DuckDB connection runs with `enable_external_access=false` and a locked configuration.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import duckdb
import pyarrow as pa
import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from yaosu.errors import Invalid, PolicyViolation

MAX_NODES = 2_000
DENIED_PREFIXES = ("read_", "parquet_", "sniff_", "glob", "copy", "attach", "detach", "install", "load", "pragma",
                   "httpfs", "http_", "s3", "getenv", "current_setting", "set_", "query", "duckdb_", "export",
                   "import", "checkpoint", "iceberg", "delta_", "sqlite_", "postgres_", "mysql_", "json_execute",
                   "write", "file", "list_files", "which_secret", "enable_", "disable_", "system")
STATEMENTS = (exp.Select, exp.Subquery, exp.Union, exp.Table, exp.Command, exp.Pragma, exp.Set, exp.Insert,
              exp.Update, exp.Delete, exp.Create, exp.Drop, exp.Alter, exp.Copy, exp.Use, exp.Values, exp.Into,
              exp.Lateral, exp.Placeholder, exp.Parameter, exp.Attach, exp.Detach, exp.Install, exp.Star)


def sandbox(tables: Mapping[str, pa.Table]) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the Arrow `tables` registered, no file or network access, settings locked."""
    con = duckdb.connect(":memory:", config={"enable_external_access": False, "autoinstall_known_extensions": False,
                                             "autoload_known_extensions": False, "threads": 2})
    for name, table in tables.items():
        con.register(name, table)
    con.execute("SET lock_configuration = true")
    return con


def quote(name: str) -> str:
    """A DuckDB identifier for a column name, whatever characters it holds."""
    return '"' + name.replace('"', '""') + '"'


def _function_name(node: exp.Func) -> str:
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    return node.sql_name().lower()


def _refuse(expr: str, why: str) -> PolicyViolation:
    return PolicyViolation(f"规则被拒绝 / rule refused: {why}: {expr[:200]}", field="rules.expr", code="rule_refused")


def check_rule(expr: str, columns: Iterable[str]) -> str:
    """The rule as DuckDB SQL regenerated from its checked syntax tree; PolicyViolation/Invalid if refused."""
    try:
        parsed = sqlglot.parse(expr, read="duckdb")
    except (ParseError, sqlglot.errors.TokenError) as exc:
        raise Invalid(f"规则不是有效的 SQL 表达式 / rule is not valid SQL: {str(exc)[:300]}", field="rules.expr",
                      code="bad_rule") from None
    if len(parsed) != 1 or parsed[0] is None:
        raise _refuse(expr, "只允许单个表达式 / only a single expression is allowed")
    tree = parsed[0]
    known = {c.lower() for c in columns}
    for count, node in enumerate(tree.walk()):
        if count > MAX_NODES:
            raise _refuse(expr, "表达式过大 / expression too large")
        _check_node(expr, node, known)
    return tree.sql(dialect="duckdb")


def _check_node(expr: str, node: object, known: set[str]) -> None:
    if isinstance(node, STATEMENTS):
        raise _refuse(expr, f"不允许 {type(node).__name__} / {type(node).__name__} is not allowed (no statements, "
                            "tables or subqueries; only a predicate over the columns)")
    if isinstance(node, exp.Func):
        name = _function_name(node)
        if name.startswith(DENIED_PREFIXES):
            raise _refuse(expr, f"函数 {name} 可访问文件或网络 / function {name} may touch files or the network")
    if isinstance(node, exp.Column):
        if node.table:
            raise _refuse(expr, f"不允许限定列名 / qualified column {node.sql()} is not allowed")
        if node.name.lower() not in known:
            raise Invalid(f"规则引用了不存在的列 / rule names an unknown column: {node.name}", field="rules.expr",
                          code="unknown_column")


def rule_columns(sql: str, columns: Iterable[str]) -> list[str]:
    """The table columns a checked rule reads, in order of first mention (names as the table spells them)."""
    by_lower = {c.lower(): c for c in columns}
    named = [by_lower[c.name.lower()] for c in sqlglot.parse_one(sql, read="duckdb").find_all(exp.Column)
             if c.name.lower() in by_lower]
    return list(dict.fromkeys(named))
